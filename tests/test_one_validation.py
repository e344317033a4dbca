"""Every command that writes runs `check`'s error rules first, over every input, and lists every error."""

from __future__ import annotations

from pathlib import Path

from conftest import DEFAULT_DATA, MINIMAL, ROOT, error_lines


def _house(tmp_path: Path, audience: str, text: str) -> Path:
    folder = tmp_path / "house"
    (folder / "audiences").mkdir(parents=True, exist_ok=True)
    (folder / "audiences" / f"{audience}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_misspelled_topic_in_a_profile_stops_generate_with_a_did_you_mean(cli, tmp_path: Path) -> None:
    profile = (ROOT / "templates" / "audiences" / "investor.yaml").read_text(encoding="utf-8").replace("  markets: 3", "  market: 3")
    folder = _house(tmp_path, "investor", profile)
    result = cli("--data", DEFAULT_DATA, "--templates", folder, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    [line] = error_lines(result.err)
    assert "investor.yaml:" in line and "interests.market:" in line and "did you mean 'markets'" in line, result.err
    assert "nothing written" in result.err.splitlines()[-1]


def test_a_takeaway_for_an_audience_without_a_profile_stops_generate(cli, tiny_data, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL + "takeaways:\n  - audience: investors\n    text: Do something.\n")
    result = cli("--data", path, "--out", tmp_path / "out")
    assert result.code == 1 and not (tmp_path / "out").exists()
    [line] = error_lines(result.err)
    assert "tiny.yaml:21: error: takeaways[0].audience: no profile for audience 'investors'" in line
    assert "did you mean 'investor'" in line


def test_three_faults_in_three_places_are_named_in_one_run_sorted_by_line(cli, tiny_data, tmp_path: Path) -> None:
    broken = (MINIMAL.replace("as_of: 2025-11-15", "as_of: 2025-13-45")
              .replace("    reliability: B", "    reliability: Z")
              .replace("    sources: [src-a]\n    status: confirmed", "    sources: [src-a]\n    status: confirmd"))
    path = tiny_data(broken)
    for command in ([], ["batch", tmp_path / "none.csv"]):
        result = cli(*command, "--data", path, "--out", tmp_path / "out")
        assert result.code == 1 and not (tmp_path / "out").exists()
        lines = error_lines(result.err)
        assert [line.split(": error: ")[0].rsplit(":", 1)[1] for line in lines] == ["4", "13", "19"], result.err
        assert "as_of" in lines[0] and "sources[0].reliability" in lines[1] and "facts[0].status" in lines[2]


def test_two_faults_in_one_profile_are_both_named(cli, tmp_path: Path) -> None:
    profile = (ROOT / "templates" / "audiences" / "investor.yaml").read_text(encoding="utf-8")
    profile = profile.replace("  markets: 3", "  market: 3").replace("max_facts: 10", "max_facts: ten")
    folder = _house(tmp_path, "investor", profile)
    result = cli("explain", "--templates", folder)
    assert result.code == 1
    fields = [line.split(": error: ")[1].split(":")[0] for line in error_lines(result.err)]
    assert fields == ["interests.market", "max_facts"], result.err  # sorted by line
    folder = _house(tmp_path, "investor", profile.replace("max_facts: ten", "max_facts: 10").replace("  trade: 2", "  trad: 2"))
    result = cli("--templates", folder, "--out", tmp_path / "out")
    fields = [line.split(": error: ")[1].split(":")[0] for line in error_lines(result.err)]
    assert fields == ["interests.market", "interests.trad"], result.err


def test_warnings_do_not_stop_generate_and_are_counted(cli, tiny_data, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL.replace("  supply: Supply\n", "  supply: Supply\n  unused-one: Unused\n"))
    result = cli("--data", path, "--out", tmp_path / "out", "-f", "docx")
    assert result.code == 0, result.err
    assert "warning" in result.err and "check" in result.err


def test_invalid_fields_and_bad_references_in_one_file_are_reported_together(cli, tiny_data, tmp_path: Path) -> None:
    broken = (MINIMAL.replace("    status: confirmed", "    status: confirmd").replace("[markets]", "[diplomcy]")
              + "takeaways:\n  - audience: investors\n    text: Do something.\n")
    result = cli("--data", tiny_data(broken), "--out", tmp_path / "out")
    assert result.code == 1
    messages = [line.split(": error: ")[1] for line in error_lines(result.err)]
    assert [m.split(":")[0] for m in messages] == ["facts[0].topics[0]", "facts[0].status", "takeaways[0].audience"], result.err
    assert "did you mean 'confirmed'" in messages[1] and "did you mean 'diplomacy'" in result.err


def test_two_data_files_with_one_id_stop_generate_before_any_brief_is_written(cli, tiny_data, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text(tiny_data().read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("--data", folder, "--out", tmp_path / "out", "-f", "html")
    assert result.code == 1, result.out
    assert "b.yaml:1: error: id: 'tiny' is also the id of" in result.err and "a.yaml (line 1)" in result.err
    assert "wrote" not in result.out and not (tmp_path / "out").exists()
