"""The benchmark's own figures: each a duration measured directly, so never negative."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import DEFAULT_DATA, ROOT

from briefs.pipeline import load_inputs


@pytest.mark.slow  # loads the bench, its data and both chart drawers: about 3 s
def test_the_chart_first_draw_figures_are_measured_durations() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figure = load_inputs([DEFAULT_DATA]).datasets[0][1].figures[0]
    found = bench.chart_first_draws(figure, 3)
    assert set(found) == {"chart_png_first_draw", "chart_vector_first_draw"}
    assert all(value > 0 for value in found.values()), found
