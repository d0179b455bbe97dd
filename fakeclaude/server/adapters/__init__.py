"""The fake's ways onto the wire, thin and without logic of their own.

``app`` (the service answering aiohttp requests: behind an application's router with ``make_app``, or
on aiohttp's low-level server), ``runner`` (that low-level server on uvloop in a background thread or in
the foreground for ``fakeclaude serve``) and ``transports`` (in-process ``httpx2`` and ``httpx``
transports, no socket). What they all do around the engine (body limits, the adapter's own error
replies, header joining) is in ``_guard``; how they hand a streamed reply's chunks over is ``_chunks``;
the HTTP layer's own refusals (API-shaped, never echoing the request) and the timeouts are ``_protocol``.
Nothing is imported here, so that loading one adapter never loads another's HTTP library.
"""

__all__: list[str] = []
