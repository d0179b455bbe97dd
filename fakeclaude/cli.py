"""The ``fakeclaude`` command: ``fakeclaude serve`` runs the fake Messages API on a local port,
``fakeclaude check`` validates the requests recorded in cassettes.

    $ fakeclaude serve --port 8765 --seed 0 --validation strict
    $ fakeclaude check cassettes/
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

__all__ = ["main"]

def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0-65535; 0 picks a free one)")
    return port


def _announce(base_url: str, api_key: str) -> None:
    print(f"fakeclaude: serving the fake Messages API on {base_url}")
    print("Point a client at it (any API key is accepted):")
    print(f"  export ANTHROPIC_BASE_URL={base_url}")
    print(f"  export ANTHROPIC_API_KEY={api_key}")
    print("Press Ctrl+C to stop.", flush=True)


def _serve(args: argparse.Namespace) -> int:
    from fakeclaude.server import FAKE_API_KEY, FakeClaude
    from fakeclaude.server.adapters.runner import serve_forever

    fake = FakeClaude(seed=args.seed, validation=args.validation, tool_policy=args.tool_policy)
    try:
        serve_forever(fake.engine, args.host, args.port, on_ready=lambda url: _announce(url, FAKE_API_KEY))
    except OSError as exc:
        print(f"fakeclaude: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print("fakeclaude: stopped", flush=True)
    return 0


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve", help="serve the fake Messages API on a local port",
        description="Serve the fake Claude Messages API until interrupted (Ctrl+C or SIGTERM).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    serve.add_argument("--port", type=_port, default=8765, help="port to listen on, 0 for a free one (default: %(default)s)")
    serve.add_argument("--seed", type=int, default=0, help="seed for ids and generated content (default: %(default)s)")
    serve.add_argument(
        "--validation", choices=("strict", "lenient"), default="strict",
        help="strict: the API's semantic checks; lenient: schema-level checks only (default: %(default)s)",
    )
    serve.add_argument(
        "--tool-policy", choices=("relevant", "every"), default="relevant",
        help="unscripted tool calls: relevant: only a tool the last user turn asks for, one call unless parallel "
             "calls are asked for; every: call every offered tool at once (default: %(default)s)",
    )
    serve.set_defaults(command=_serve)


# Each subcommand registers itself here; `replay` (serve cassettes) comes with its own issue.
def _add_replay(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fakeclaude.replay_server import add_replay_command

    add_replay_command(commands)


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fakeclaude.cassette_check import add_check_command

    add_check_command(commands)


_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_serve, _add_replay, _add_check,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakeclaude", description="A faithful offline Claude Messages API.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for add in _SUBCOMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    args = _parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    return command(args)
