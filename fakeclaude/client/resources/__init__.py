"""The client's resources, one module per resource (``messages``, ``batches``, ``models``, ``beta``); nothing re-exported here."""

__all__: list[str] = []
