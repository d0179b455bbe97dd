"""fakeclaude: the Claude Messages API, offline."""
