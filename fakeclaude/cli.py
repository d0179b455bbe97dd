"""The ``fakeclaude`` command: ``fakeclaude serve`` runs the fake Messages API on a local port,
``fakeclaude check`` validates the requests recorded in cassettes.

    $ fakeclaude serve --port 8765 --seed 0 --validation strict
    $ fakeclaude serve --batch-processing-seconds 600   # batches stay in_progress 10 minutes
    $ fakeclaude serve --rate-limit-requests 50          # the 51st request in a minute gets a 429
    $ fakeclaude --version
    $ fakeclaude check cassettes/

``serve`` logs one line per request (method, path, status, duration, request id; never a key) and
serves the control API under ``/_fakeclaude/`` (``fakeclaude.server.control``). Errors are one line
on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, cast

__all__ = ["main", "port_number"]


def port_number(value: str) -> int:
    """A ``--port`` value: 0-65535 (0 picks a free port)."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535; 0 picks a free one)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0-65535; 0 picks a free one)")
    return port


def _batch_seconds(value: str) -> float:
    """A ``--batch-processing-seconds`` value: a finite number of seconds >= 0."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a number of seconds >= 0")
    return seconds


def _worker_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"{value} is not a number of workers (1-64)")
    return count


def _per_minute(value: str) -> int:
    """A ``--rate-limit-*`` value: a whole number per minute >= 1."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number per minute") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a limit (a whole number per minute >= 1)")
    return count


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line: ``fakeclaude serve: argument --port: 'abc' is not a port number ...``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _announce(base_url: str, api_key: str) -> None:
    print(f"fakeclaude: serving the fake Messages API on {base_url}")
    print("Point a client at it (any API key is accepted):")
    print(f"  export ANTHROPIC_BASE_URL={base_url}")
    print(f"  export ANTHROPIC_API_KEY={api_key}")
    print("Press Ctrl+C to stop.", flush=True)


def _access_log(enabled: bool) -> None:
    logger = logging.getLogger("fakeclaude.access")
    logger.propagate = False
    if enabled:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("fakeclaude: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _script_log() -> None:
    """Failed scripts on stdout, access log or not: under ``serve`` no test fails with them."""
    logger = logging.getLogger("fakeclaude.script")
    logger.propagate = False
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("fakeclaude: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)


def _serve(args: argparse.Namespace) -> int:
    from fakeclaude.server import FAKE_API_KEY, FakeClaude
    from fakeclaude.server.adapters.runner import base_url, serve_forever
    from fakeclaude.server.adapters.workers import WorkerEngine, run_workers
    from fakeclaude.server.control import ControlApi
    from fakeclaude.server.control_pool import PoolControlApi
    from fakeclaude.server.ratelimit import RateLimits
    from fakeclaude.server.statestore import open_state

    if args.workers > 1 and args.state in ("memory", "memory://"):
        print(f"fakeclaude: --workers {args.workers} needs a shared --state (sqlite:///PATH on one host, "
              "redis://HOST:PORT/DB on many): with memory:// each worker would keep its own batches", file=sys.stderr)
        return 2
    try:
        state = open_state(args.state)
        state.get("fakeclaude-ping")  # fail now, not on the first batch
    except Exception as exc:  # a bad URL, a missing client, an unreachable server: one line, no traceback
        print(f"fakeclaude: cannot open the state store {args.state}: {exc}", file=sys.stderr)
        return 1
    if args.workers > 1 and not args.pool_worker:
        state.close()

        def pool_ready(port: int) -> None:
            url = base_url(args.host, port)
            _announce(url, FAKE_API_KEY)
            print(f"{args.workers} workers share the port; state in {args.state}", flush=True)

        try:
            return run_workers(args.argv, args.workers, args.host, args.port, on_ready=pool_ready)
        except OSError as exc:
            print(f"fakeclaude: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return 1
    fake = FakeClaude(seed=args.seed, validation=args.validation, tool_policy=args.tool_policy,
                      batch_processing_seconds=args.batch_processing_seconds,
                      rate_limits=RateLimits(args.rate_limit_requests, args.rate_limit_input_tokens,
                                             args.rate_limit_output_tokens),
                      state=None if args.state in ("memory", "memory://") else state,  # None: the fastest path
                      worker=str(os.getpid()) if args.pool_worker else "")
    _access_log(not args.no_access_log)
    _script_log()

    def ready(url: str) -> None:
        fake.base_url = url
        if args.pool_worker:
            print(f"fakeclaude: worker {os.getpid()} listening on {url}", flush=True)
            return
        _announce(url, FAKE_API_KEY)
        print(f"Control API and request log page: {url}/_fakeclaude/", flush=True)

    control = PoolControlApi(fake, state) if args.pool_worker else ControlApi(fake)
    engine = (WorkerEngine(fake.engine, before=control.before, after=control.record)
              if isinstance(control, PoolControlApi) else fake.engine)
    try:
        serve_forever(engine, args.host, args.port, on_ready=ready, control=control, reuse_port=args.pool_worker)
    except OSError as exc:
        print(f"fakeclaude: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    finally:
        state.close()
    if not args.pool_worker:
        print("fakeclaude: stopped", flush=True)
    return 0


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve", help="serve the fake Messages API on a local port",
        description="Serve the fake Claude Messages API until interrupted (Ctrl+C or SIGTERM).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    serve.add_argument("--port", type=port_number, default=8765, help="port to listen on, 0 for a free one (default: %(default)s)")
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
    serve.add_argument(
        "--batch-processing-seconds", type=_batch_seconds, default=0.0, metavar="SECONDS",
        help="how long a message batch stays in_progress (so cancel can be tried); a request of a batch of n "
             "finishes after its share of it; batches expire after 24 h (86400) (default: %(default)s, "
             "ended on the first poll)",
    )
    limits = serve.add_argument_group(
        "rate limits", "per API key and per minute, as the API enforces them (429 rate_limit_error with retry-after "
        "and the anthropic-ratelimit-* headers); shared by every worker of --workers; default: not enforced")
    for kind, what in (("requests", "requests"), ("input-tokens", "input tokens"), ("output-tokens", "output tokens")):
        limits.add_argument(f"--rate-limit-{kind}", type=_per_minute, metavar="N",
                            help=f"admit at most N {what} per minute per API key")
    serve.add_argument(
        "--workers", type=_worker_count, default=1, metavar="N",
        help="answer with N processes sharing the port (SO_REUSEPORT); needs a shared --state (default: 1)",
    )
    serve.add_argument(
        "--state", default="memory://", metavar="URL",
        help="where batches live: memory:// (this process), sqlite:///PATH (one host), redis://HOST:PORT/DB "
             "(many hosts); see docs/scaling.md (default: %(default)s)",
    )
    serve.add_argument("--pool-worker", action="store_true", help=argparse.SUPPRESS)  # set by --workers
    serve.add_argument("--no-access-log", action="store_true", help="do not log a line per request")
    serve.set_defaults(command=_serve)


# Each subcommand registers itself here; `replay` (serve cassettes) comes with its own issue.
def _add_replay(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fakeclaude.replay_server import add_replay_command

    add_replay_command(commands)


def _add_record(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fakeclaude.record_proxy import add_record_command

    add_record_command(commands, port=port_number)


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from fakeclaude.cassette_check import add_check_command

    add_check_command(commands)


_SUBCOMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    _add_serve, _add_replay, _add_record, _add_check,
)


def _parser() -> argparse.ArgumentParser:
    from fakeclaude._version import __version__

    parser = _Parser(prog="fakeclaude", description="A faithful offline Claude Messages API.")
    parser.add_argument("--version", action="version", version=f"fakeclaude {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True, parser_class=_Parser)
    for add in _SUBCOMMANDS:
        add(cast("argparse._SubParsersAction[argparse.ArgumentParser]", commands))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    args.argv = argv
    command: Callable[[argparse.Namespace], int] = args.command
    return command(args)
