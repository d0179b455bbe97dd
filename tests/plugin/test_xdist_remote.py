"""Cassette replay over xdist's own remote execution, without ssh: two execnet socket gateways on 127.0.0.1.

Each "remote host" is an execnet socket server (``execnet/script/socketserver.py``) started from its own
temporary folder; the controller runs ``pytest -d --tx socket=127.0.0.1:PORT --tx socket=... --rsyncdir
PROJECT`` (the command of ``docs/scaling.md``), so the project, cassettes included, is copied to each host
and the tests run there. The cassette was recorded from a fake that is closed before the run, with
``--claude-record-mode=none``: a test passes only by replaying, and each test checks it runs from a
host's copy, not the controller's folder. Plugins are not autoloaded (``lean``): xdist and fakeclaude's are
named, on the controller and so on each worker; the others of this environment would cost seconds each.
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path

import pytest

from benchmarks.xdist_replay import make_project, remote_args, run, socket_gateway

pytest.importorskip("xdist", reason="pytest-xdist is not installed")
execnet = pytest.importorskip("execnet", reason="execnet (pytest-xdist's transport) is not installed")

XDIST_MAJOR = int(version("pytest-xdist").split(".")[0])
SERVER_SCRIPT = Path(execnet.__file__).parent / "script" / "socketserver.py"
pytestmark = [
    pytest.mark.skipif(XDIST_MAJOR >= 4, reason=f"pytest-xdist {version('pytest-xdist')} removed --rsyncdir (4.0)"),
    pytest.mark.skipif(not SERVER_SCRIPT.exists(), reason=f"execnet {version('execnet')} has no socketserver.py"),
]
TESTS = 6


def test_cassettes_replay_on_two_remote_hosts_over_socket_gateways(tmp_path: Path) -> None:
    project = tmp_path / "project"
    hosts = [tmp_path / "host0", tmp_path / "host1"]
    for host in hosts:
        host.mkdir()
    make_project(project, TESTS)
    with ExitStack() as gateways:
        specs = [gateways.enter_context(socket_gateway(host, lean=True)) for host in hosts]
        assert all(spec.startswith("socket=127.0.0.1:") for spec in specs)
        _, output = run(project, len(hosts), *remote_args(specs, project), "-vv", str(project / "test_replay.py"),
                        timeout=240, lean=True)
    assert f"{TESTS} passed" in output, output[-3000:]
    workers = {line.split("]")[0].lstrip("[") for line in output.splitlines() if line.startswith("[gw")}
    assert workers == {"gw0", "gw1"}, output[-3000:]  # both hosts ran tests
    for host in hosts:  # rsync sent the project, cassettes included, into each host's execnet cache
        copy = host / "pyexecnetcache" / project.name
        assert sorted(p.name for p in (copy / "cassettes").iterdir()) == sorted(
            p.name for p in (project / "cassettes").iterdir())
        assert (copy / "test_replay.py").read_text() == (project / "test_replay.py").read_text()
