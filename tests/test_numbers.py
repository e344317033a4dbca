"""One number format for the text, the tables and every chart."""

from __future__ import annotations

import pytest

from briefs.numbers import format_number


@pytest.mark.parametrize(("value", "decimals", "printed"), [
    (270000, None, "270,000"), (270000.0, None, "270,000"), (0.5, None, "0.5"), (1234.567, None, "1,234.57"),
    (-2.25, None, "-2.25"), (0.001, None, "0"), (2, 1, "2.0"), (1234.5, 0, "1,234"), (float("inf"), None, "inf"),
])
def test_a_number_prints_with_separators_and_at_most_two_decimals(value: float, decimals: int | None, printed: str) -> None:
    assert format_number(value, decimals) == printed


def test_the_table_and_every_chart_print_a_value_alike(tmp_path, cli) -> None:
    from conftest import MINIMAL
    from readback import READERS, squash

    data = tmp_path / "d.yaml"
    data.write_text(MINIMAL + "figures:\n  - {id: f, title: Shares, kind: bar, category: Item, source: src-a, topics: [markets],"
                    " unit: '%', data: {A: 12.345, B: 0.5}}\n", encoding="utf-8")
    for fmt in ("pdf", "html"):
        assert cli("--data", data, "--out", tmp_path / "out", "-f", fmt, "-a", "investor").code == 0, fmt
        text = squash(READERS[fmt](tmp_path / "out" / "tiny" / f"investor.{fmt}"))
        assert text.count("12.35") >= 2 and "12.3%" not in text, fmt  # the chart's label and the table's cell agree
