"""The official SDK's ``anthropic.lib`` module paths, so code importing them runs on fakeclaude unchanged."""

__all__: list[str] = []
