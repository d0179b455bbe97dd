"""The in-process soak's short form: every kind of its cycle gets the status it expects, and the run reports.

The long form (``SOAK_ONLY=in-process python benchmarks/soak.py``: a million requests) is not part of the
suite; this runs two cycles of each kind through the same code, so a change in what the fake answers (a
status, a rule) shows here, not an hour into the soak.
"""

from __future__ import annotations

from benchmarks.soak import _CYCLE, _InProcess, in_process_rows


def test_each_kind_of_the_cycle_gets_its_expected_status() -> None:
    soak = _InProcess()
    try:
        got = set()
        for index in range(2 * len(_CYCLE)):
            kind = _CYCLE[index % len(_CYCLE)][0]
            got.add((kind, soak.send(index, kind)))
    finally:
        soak.close()
    assert got == set(_CYCLE)
    assert {kind for kind, _ in _CYCLE} >= {"generated", "invalid body", "count_tokens", "scripted by a rule",
                                           "failed by a rule (529)", "through httpx2", "unknown model"}


def test_a_short_run_reports_no_error_flat_rates_and_a_bounded_log() -> None:
    rows = {measure: value for _, measure, value in in_process_rows(requests=1000, max_seconds=120)}
    assert rows["errors (an answer other than the expected)"] == "0"
    assert len(rows["rate per tenth (req/s)"].split()) == 10
    entries, kept = rows["request log kept (entries / body bytes)"].split(" / ")
    assert int(entries.replace(",", "")) == 1000 and int(kept.replace(",", "")) > 0
