"""``python -m fakeclaude``: the ``fakeclaude`` command."""

from fakeclaude.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
