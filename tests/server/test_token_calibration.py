"""The calibration harness computes its figures correctly (not what they are): fit, splits, quantiles."""

from __future__ import annotations

from benchmarks.token_calibration import (
    MIN_USES,
    Row,
    design,
    fit,
    group_of,
    leave_one_project_out,
    predict,
    quantile,
    random_splits,
    relative_error,
    summarize,
)
from benchmarks.token_pairs import Pair, _hand_written, open_pairs, recorded_input
from fakeclaude.server.tokens import _families
from tests.real_traffic import INTERACTIONS


def test_quantile_is_nearest_rank_and_errors_are_relative() -> None:
    values = [float(v) for v in range(1, 11)]
    assert quantile(values, 0.5) == 5 and quantile(values, 0.9) == 9 and quantile(values, 1.0) == 10
    assert quantile([3.0], 0.9) == 3
    assert relative_error(110, 100) == relative_error(90, 100) == 0.1
    assert (
        recorded_input({"input_tokens": 3, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 7})
        == 110
    )


def test_family_groups() -> None:
    assert [group_of(f) for f in ("claude-3-opus", "claude-2", "claude-3-5-haiku", "claude-3-7-sonnet")] == [
        "claude-3", "claude-3", "claude-3.5", "claude-3.5"]  # fmt: skip
    assert [group_of(f) for f in ("claude-4", "claude-4-5", "claude-5")] == [
        "claude-4",
        "claude-4.5",
        "claude-5",
    ]


def _rows(family: str, n: int, *, off_by: int, project: str = "p") -> list[Row]:
    """``n`` rows that use ``tool_auto`` once and whose recorded count is ``off_by`` above the estimate."""
    return [Row(f"{project}{i % 3}", family, 1000 + 10 * i + off_by, 1000 + 10 * i, {"tool_auto": 1.0})
            for i in range(n)]  # fmt: skip


def test_fit_finds_the_constant_that_explains_the_gap_per_family() -> None:
    rows = _rows("claude-4", MIN_USES + 2, off_by=100) + _rows("claude-3-opus", MIN_USES - 1, off_by=50)
    values, start = fit(rows)
    shipped = _families.FAMILIES["claude-4"].tool_auto
    assert values[("tool_auto", "claude-4")] == shipped + 100
    assert all(predict(r, values, start) == r.recorded for r in rows if r.family == "claude-4")
    # Too few pairs use it in claude-3-opus: its documented value stays.
    assert values[("tool_auto", "claude-3-opus")] == _families.FAMILIES["claude-3-opus"].tool_auto


def test_splits_keep_test_and_training_apart() -> None:
    rows = _rows("claude-4", 30, off_by=0)
    splits = list(random_splits(rows, splits=3, test_share=0.3))
    assert len(splits) == 3
    for train, test in splits:
        assert len(test) == 9 and sorted(map(id, train + test)) == sorted(map(id, rows))
        assert not set(map(id, train)) & set(map(id, test))
    assert [list(map(id, t)) for _, t in random_splits(rows, splits=3)] == [
        list(map(id, t)) for _, t in splits
    ]
    folds = list(leave_one_project_out(rows))
    assert len(folds) == 3
    for train, test in folds:
        assert len({r.project for r in test}) == 1 and test[0].project not in {r.project for r in train}


def test_design_measures_how_often_each_constant_counts() -> None:
    tool = {"name": "t", "description": "d", "input_schema": {"type": "object"}}
    body = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
                         {"role": "user", "content": "Bye"}], "tools": [tool, {**tool, "name": "u"}]}  # fmt: skip
    pair = Pair("s", "p", "claude-sonnet-4-20250514", "claude-4", body, 500, beta=False, count_tokens=False)
    (row,) = design([pair])
    assert row.uses["base"] == 1 and row.uses["tool_auto"] == 1 and row.uses["per_tool"] == 2
    assert row.uses["per_message"] == 2 and "tool_any" not in row.uses and "round_trip" not in row.uses


def test_summary_cells() -> None:
    table = summarize({"a": {"claude-4": [0.1, 0.2], "all": [0.1, 0.2]}})
    assert table == [["claude-4", "2", "10.0% / 20.0%"], ["all", "2", "10.0% / 20.0%"]]


def test_answers_written_by_hand_are_no_calibration_pairs() -> None:
    # dd-trace-py's fixture "msg_thinking_002" reports 100 input tokens for a request with a tool (the
    # tool-use prompt alone is ~300): kept, its weight alone pulled claude-4's fitted tool prompt to 268.
    assert _hand_written({"resp_json": {"id": "msg_thinking_002", "usage": {"input_tokens": 100}}})
    start = {"type": "message_start", "message": {"id": "msg_01NoSearch001"}}
    assert _hand_written({"resp_sse": [{"data": start}]})
    assert not _hand_written({"resp_json": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL"}})
    assert not _hand_written({"resp_json": {"type": "error"}})
    if INTERACTIONS.exists():
        sources = {p.source for p in open_pairs()}
        assert not any("anthropic_completion_thinking_tools.yaml" in s for s in sources)
        assert any("test_anthropic_web_search_tool.yaml" in s for s in sources)
