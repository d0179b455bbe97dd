"""The ecosystem check's folder: the harness (``ecosystem.harness``) and the client scripts (``clients/``)."""
