"""`check`: every finding in crafted bad data, profiles and templates, with its file, line and severity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, MINIMAL

from briefs.checking import Finding, Report, check

SECOND_FACT = """\
  - id: fact-two
    text: The second fact.
    topics: [markets]
    sources: [src-a]
    status: confirmed
"""
TAKEAWAY = """\
takeaways:
  - audience: investor
    text: Do something.
"""


def _findings(report: Report, path: Path, code: str) -> list[Finding]:
    return [f for f in report.findings if f.file == str(path) and f.code == code]


def _only(report: Report, path: Path, code: str) -> Finding:
    found = _findings(report, path, code)
    assert len(found) == 1, (code, report.findings)
    return found[0]


def _profile_dir(tmp_path: Path, text: str, name: str = "tester") -> Path:
    folder = tmp_path / "tpl"
    (folder / "audiences").mkdir(parents=True, exist_ok=True)
    (folder / "audiences" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


TESTER = """\
id: tester
label: Testers
focus: Tests
interests:
  markets: 1
  supply: 1
max_facts: 5
min_score: 1
sections: [key_facts, caveats, sources]
disclaimer: Test.
"""

# (what is wrong, (text, its replacement) in MINIMAL + SECOND_FACT + TAKEAWAY, first occurrence only,
#  expected line, severity, code, words)
END_OF_SECOND = "    status: confirmed\ntakeaways"
CASES = [
    ("unknown source", ("sources: [src-a]", "sources: [src-b]"), 18, "error", "unknown-source", "unknown source 'src-b'"),
    ("unknown topic", ("topics: [markets]", "topics: [marktes]"), 17, "error", "unknown-topic", "unknown topic 'marktes'"),
    ("duplicate id", ("id: fact-two", "id: fact-one"), 20, "error", "duplicate-id", "duplicate fact id 'fact-one'"),
    ("takeaway for no audience", ("audience: investor", "audience: astronaut"), 26, "error", "unknown-audience", "'astronaut'"),
    ("fact without sources", ("    sources: [src-a]\n" + END_OF_SECOND, END_OF_SECOND), 20, "warning", "unsourced", "no sources"),
    ("confirmed claim on a D source", ("reliability: B", "reliability: D"), 19, "warning", "weak-sources", "src-a (D)"),
    ("confirmed claim on an E source", ("reliability: B", "reliability: E"), 18, "warning", "labelled-unverified",
     "src-a (E)), so briefs label it UNVERIFIED"),
    ("stale fact", (END_OF_SECOND, "    status: confirmed\n    date: 2020-01-31\ntakeaways"),
     25, "warning", "stale", "'fact-two' is 2115 days older than as_of 2025-11-15"),
    ("phrasing for no audience", (END_OF_SECOND, "    status: confirmed\n    audiences:\n      astronaut: Zero g.\ntakeaways"),
     26, "warning", "unknown-audience", "'astronaut'"),
]


@pytest.mark.parametrize(("case", "change", "line", "severity", "code", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_finding_names_its_line_severity_and_hint(tiny_data, case, change, line, severity, code, words) -> None:
    text = MINIMAL + SECOND_FACT + TAKEAWAY
    assert change[0] in text, case
    path = tiny_data(text.replace(change[0], change[1], 1))
    found = _findings(check([path]), path, code)
    assert found, case
    finding = found[0]
    assert (finding.line, finding.severity) == (line, severity), finding
    assert words in finding.message
    assert finding.hint
    assert finding.text().startswith(f"{path}:{line}: {severity}: ")


def test_check_collects_every_problem_instead_of_stopping_at_the_first(tiny_data) -> None:
    text = MINIMAL.replace("sources: [src-a]", "sources: [src-b, src-c]").replace("topics: [markets]", "topics: [nope]")
    path = tiny_data(text)
    report = check([path])
    assert [(f.line, f.code) for f in report.findings if f.file == str(path) and f.severity == "error"] == [
        (17, "unknown-topic"), (18, "unknown-source"), (18, "unknown-source"),
    ]


def test_a_source_nobody_cites_is_reported_at_its_id(tiny_data) -> None:
    extra = "  - id: src-b\n    title: Source B\n    publisher: Publisher B\n    reliability: A\nfacts:"
    path = tiny_data(MINIMAL.replace("facts:", extra))
    finding = _only(check([path]), path, "uncited-source")
    assert (finding.line, finding.severity) == (14, "warning")
    assert "'src-b' is never cited" in finding.message


def test_a_source_cited_only_by_a_figure_or_faq_counts_as_cited(tiny_data) -> None:
    extra = "  - id: src-b\n    title: Source B\n    publisher: Publisher B\n    reliability: A\nfacts:"
    figure = "figures:\n  - id: fig\n    title: A figure\n    source: src-b\n    data: {a: 1}\n"
    path = tiny_data(MINIMAL.replace("facts:", extra) + figure)
    assert not _findings(check([path]), path, "uncited-source")


def test_conflicting_quantities_are_reported_at_the_second_value_naming_the_first(tiny_data) -> None:
    one = "    status: confirmed\n    quantity: {value: 270000, unit: t, measure: china-output}\n"
    two = SECOND_FACT + "    quantity: {value: 140000, unit: t, measure: china-output}\n"
    path = tiny_data(MINIMAL.replace("    status: confirmed\n", one) + two)
    finding = _only(check([path]), path, "conflict")
    assert (finding.line, finding.severity) == (26, "warning")
    assert "china-output is 140000 t in 'fact-two' but 270000 t in 'fact-one' (line 20)" in finding.message


def test_max_age_days_sets_how_old_a_fact_may_be(tiny_data) -> None:
    path = tiny_data(MINIMAL + "    date: 2024-10-01\n")  # 410 days before as_of
    assert _findings(check([path]), path, "stale")
    assert not _findings(check([path], max_age_days=410), path, "stale")


def test_a_topic_no_fact_uses_is_reported_at_its_key(tiny_data) -> None:
    path = tiny_data()
    finding = _only(check([path]), path, "unused-topic")
    assert (finding.line, finding.severity) == (8, "warning")
    assert "'supply'" in finding.message


def test_a_fact_no_audience_selects_is_reported_with_the_closest_audience(tiny_data, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL + SECOND_FACT.replace("fact-two", "fact-low").replace("[markets]", "[supply]") + "    priority: -50\n")
    finding = _only(check([path], [_profile_dir(tmp_path, TESTER)]), path, "unreachable-fact")
    assert (finding.line, finding.severity) == (20, "warning")
    assert "'fact-low'" in finding.message and "below min_score" in finding.message


def test_a_profile_weighting_an_unknown_topic_is_an_error_at_that_key(tiny_data, tmp_path: Path) -> None:
    templates = _profile_dir(tmp_path, TESTER.replace("  supply: 1", "  suply: 1"))
    report = check([tiny_data()], [templates])
    finding = _only(report, templates / "audiences" / "tester.yaml", "unknown-topic")
    assert (finding.line, finding.severity) == (6, "error")
    assert "did you mean 'supply'?" in finding.hint
    assert report.exit_code() == 1


def test_a_profile_that_selects_nothing_is_reported_at_its_min_score(tiny_data, tmp_path: Path) -> None:
    templates = _profile_dir(tmp_path, TESTER.replace("min_score: 1", "min_score: 99"))
    finding = _only(check([tiny_data()], [templates]), templates / "audiences" / "tester.yaml", "selects-nothing")
    assert (finding.line, finding.severity) == (8, "warning")
    assert "min_score 99" in finding.message


def test_a_data_file_that_does_not_load_is_an_error_finding_not_a_crash(cli, tiny_data) -> None:
    path = tiny_data(MINIMAL.replace("reliability: B", "reliability: Z").replace("status: confirmed", "status: rumour"))
    report = check([path])
    assert [(f.line, f.severity, f.code) for f in report.findings if f.file == str(path)] == [
        (13, "error", "invalid"), (19, "error", "invalid"),
    ]
    result = cli("check", "--data", path)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "tiny.yaml:13: error: sources[0].reliability: input should be" in result.out


def test_invalid_yaml_and_a_broken_profile_are_reported_with_their_lines(tiny_data, tmp_path: Path) -> None:
    path = tiny_data(MINIMAL.replace("summary: One paragraph.", "summary: [unclosed"))
    templates = _profile_dir(tmp_path, "id: broken\nlabel: [\n", "broken")
    report = check([path], [templates])
    assert _only(report, path, "invalid-yaml").line == 6
    assert _only(report, templates / "audiences" / "broken.yaml", "invalid-yaml").line == 3
    assert report.exit_code() == 1


def test_a_profile_whose_id_differs_from_its_file_name_is_an_error(tiny_data, tmp_path: Path) -> None:
    templates = _profile_dir(tmp_path, TESTER, "other")
    finding = _only(check([tiny_data()], [templates]), templates / "audiences" / "other.yaml", "invalid")
    assert finding.line == 1 and "must match the file name" in finding.message


def test_a_tag_outside_the_layout_vocabulary_is_a_template_error_at_its_line(tiny_data, tmp_path: Path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "brief.html.j2").write_text("<p>{{ brief.title }}</p>\n<div>x</div>\n", encoding="utf-8")
    findings = [f for f in check([tiny_data()], [templates]).findings if f.code == "template"]
    assert [(Path(f.file).name, f.line, f.severity) for f in findings] == [("brief.html.j2", 2, "error")]
    assert "<div>" in findings[0].message


def test_a_template_that_fails_while_laying_out_is_reported_once(tiny_data, tmp_path: Path) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "brief.html.j2").write_text(
        '{% extends "builtin/brief.html.j2" %}\n{% block disclaimer %}\n<p>{{ brief.nope }}</p>\n{% endblock %}\n', encoding="utf-8"
    )
    findings = [f for f in check([tiny_data()], [templates]).findings if f.code == "template"]
    assert len(findings) == 1, findings
    assert (Path(findings[0].file).name, findings[0].line) == ("brief.html.j2", 3)
    assert "nope" in findings[0].message


def test_default_data_has_no_errors_and_exits_0(cli) -> None:
    result = cli("check", "--data", DEFAULT_DATA)
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].startswith("check: 0 errors, ")
    assert result.out.splitlines()[-1].endswith(" warnings in 1 data file, 4 profiles, 1 template")


def test_strict_turns_warnings_into_exit_1(cli, tiny_data) -> None:
    path = tiny_data(MINIMAL + SECOND_FACT.replace("    sources: [src-a]\n", ""))
    report = check([path])
    assert report.errors == 0 and report.warnings > 0
    assert cli("check", "--data", path).code == 0
    assert cli("check", "--data", path, "--strict").code == 1


def test_json_output_lists_findings_and_a_summary_for_ci(cli, tiny_data) -> None:
    path = tiny_data(MINIMAL.replace("sources: [src-a]", "sources: [src-b]"))
    result = cli("check", "--data", path, "--format", "json")
    assert result.code == 1
    document = json.loads(result.out)
    assert set(document) == {"findings", "acknowledged", "summary"}
    finding = next(f for f in document["findings"] if f["code"] == "unknown-source")
    assert finding == {
        "file": str(path),
        "line": 18,
        "severity": "error",
        "code": "unknown-source",
        "item": "fact-one",
        "message": "facts[0].sources[0]: unknown source 'src-b'",
        "hint": "add it under `sources:` or fix the id; did you mean 'src-a'?",
    }
    assert document["summary"]["data_files"] == 1
    assert document["summary"]["errors"] == sum(f["severity"] == "error" for f in document["findings"])


def test_check_writes_nothing(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("check").code == 0
    assert list(tmp_path.iterdir()) == []


def test_a_profile_naming_a_missing_template_is_an_error_at_its_template_key(tiny_data, tmp_path: Path) -> None:
    templates = _profile_dir(tmp_path, TESTER + "template: fancy.html.j2\n")
    report = check([tiny_data()], [templates])
    finding = _only(report, templates / "audiences" / "tester.yaml", "template")
    assert (finding.line, finding.severity) == (11, "error")
    assert "'fancy.html.j2' not found" in finding.message
    assert report.templates == 2


def test_check_uses_the_template_folders_of_the_config_file(cli, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "mine" / "audiences"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("id: broken\nlabel: B\n", encoding="utf-8")
    (tmp_path / "briefs.yaml").write_text("templates: [mine]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.code == 1
    assert "broken.yaml" in result.out


def test_check_names_the_field_holding_a_character_no_pdf_font_covers(cli, tiny_data) -> None:
    # U+E000 is a private-use character: no font of the chain has a glyph for it.
    path = tiny_data(MINIMAL.replace("text: The first fact.", 'text: "The first \\ue000 fact."'))
    result = cli("check", "--data", path)
    assert "tiny.yaml:16: warning: facts[0].text: no PDF font can print U+E000" in result.out
    clean = cli("check", "--data", tiny_data(MINIMAL))
    assert "no PDF font" not in clean.out


def _theme(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "theme" / "theme.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_check_reports_every_key_of_a_theme_and_its_missing_font_files(cli, tmp_path: Path) -> None:
    theme = _theme(tmp_path, "page_size: A4\ncolurs: {headings: '#000000'}\nbase_font_size: 100\n")
    result = cli("check", "--theme", theme)
    assert result.code == 1
    assert "theme.yaml:2: error: colurs: unknown key" in result.out
    assert "theme.yaml:3: error: base_font_size: must be at most 24, got 100" in result.out
    theme = _theme(tmp_path, "fonts:\n  body: {name: House, regular: fonts/House.ttf}\n")
    result = cli("check", "--theme", theme)
    assert result.code == 1 and "theme.yaml:2: error: fonts.body.regular: no font file at" in result.out, result.out


@pytest.mark.parametrize(("colour", "ok"), [("'#F00'", True), ("'#1F3864'", True), ("'ff0000'", False), ("'#12'", False)])
def test_theme_colours_are_hex_in_any_case_and_errors_say_so(cli, tmp_path: Path, colour: str, ok: bool) -> None:
    result = cli("check", "--theme", _theme(tmp_path, f"colours: {{headings: {colour}}}\n"))
    assert (result.code == 0) is ok, result.out
    if not ok:
        assert '"#rgb" or "#rrggbb"' in result.out and "lowercase id" not in result.out


def test_a_single_margin_out_of_range_is_worded_for_the_author(cli, tmp_path: Path) -> None:
    result = cli("check", "--theme", _theme(tmp_path, "margins: 0.1\n"))
    assert result.code == 1 and "must be at least 0.5, got 0.1" in result.out and "constrained" not in result.out


def test_check_reports_an_unreadable_reference_document_and_config_file(cli, tmp_path: Path, monkeypatch) -> None:
    reference = tmp_path / "reference.docx"
    reference.write_text("not a zip", encoding="utf-8")
    result = cli("check", "--reference-docx", reference)
    assert result.code == 1 and "reference.docx" in result.out and "not a Word .docx document" in result.out
    (tmp_path / "briefs.yaml").write_text("templates: [house]\npage_sise: A4\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.code == 1 and "briefs.yaml:2: error: page_sise: unknown key" in result.out, result.out


def test_check_reports_a_missing_data_logo_at_its_line(tiny_data) -> None:
    path = tiny_data(MINIMAL.replace("summary: One paragraph.", "summary: One paragraph.\nlogo: images/nope.png"))
    [finding] = [f for f in check([path]).findings if f.severity == "error"]
    assert (finding.line, finding.code) == (6, "logo") and "no image file at" in finding.message


def test_an_acknowledged_warning_is_listed_only_by_strict_check_with_its_reason(tmp_path: Path, cli) -> None:
    data = tmp_path / "d.yaml"
    unsourced = MINIMAL + SECOND_FACT.replace("    sources: [src-a]\n", "")
    data.write_text(unsourced, encoding="utf-8")
    before = check([data])
    assert _only(before, data, "unsourced").subject == "fact-two"
    data.write_text(unsourced + "acknowledged:\n  - {code: unsourced, item: fact-two, reason: Kept to show the label.}\n",
                    encoding="utf-8")
    report = check([data])
    assert not _findings(report, data, "unsourced") and report.warnings == before.warnings - 1
    assert [(f.code, f.subject, why) for f, why in report.acknowledged] == [("unsourced", "fact-two", "Kept to show the label.")]
    plain = cli("check", "--data", data)
    assert plain.code == 0 and "acknowledged warning" not in plain.out and f"{report.warnings} warning" in plain.out
    strict = cli("check", "--strict", "--data", data)
    assert "acknowledged warning" in strict.out and "Kept to show the label." in strict.out


def test_a_mistyped_acknowledgement_is_a_warning_offering_the_code_meant(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(MINIMAL + SECOND_FACT.replace("    sources: [src-a]\n", "")
                    + "acknowledged:\n  - {code: unsourcd, item: fact-two, reason: Kept.}\n", encoding="utf-8")
    stale = _only(check([data]), data, "stale-acknowledgement")
    assert "did you mean 'unsourced'?" in stale.hint


def test_an_acknowledgement_that_matches_no_warning_is_itself_a_warning(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(MINIMAL + "acknowledged:\n  - {code: unsourced, item: no-such-fact, reason: Old.}\n", encoding="utf-8")
    stale = _only(check([data]), data, "stale-acknowledgement")
    assert stale.severity == "warning" and "no-such-fact" in stale.message and stale.line == 2 + MINIMAL.count("\n")


def test_the_default_data_runs_with_no_warning_line(cli, tmp_path: Path) -> None:
    result = cli("--data", DEFAULT_DATA, "--out", tmp_path, "-f", "html")
    assert result.code == 0 and "warning" not in result.err
    assert check([DEFAULT_DATA]).warnings == 0 and check([DEFAULT_DATA]).acknowledged


def test_two_data_files_with_one_id_are_an_error_naming_both_files_and_lines(tiny_data, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first, second = tiny_data(name="a.yaml"), tiny_data("# the same topic again\n" + MINIMAL, name="b.yaml")
    report = check([first, second]).relative_to(tmp_path)
    finding = _only(report, Path("b.yaml"), "duplicate-data-id")
    assert (finding.severity, finding.line) == ("error", 2)
    assert finding.text() == ("b.yaml:2: error: id: 'tiny' is also the id of a.yaml (line 1) (hint: each topic needs its own id: "
                              "its briefs go to OUT/<id>/, where the briefs of one would replace the other's)")
    assert not _findings(report, Path("a.yaml"), "duplicate-data-id")


def test_one_data_file_named_twice_is_not_a_duplicate_of_itself(tiny_data, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                cli) -> None:
    monkeypatch.chdir(tmp_path)
    tiny_data()
    result = cli("check", "--data", "tiny.yaml", "--data", "./tiny.yaml", "--data", tmp_path / "tiny.yaml")
    assert result.code == 0, result.err
    assert "duplicate-data-id" not in result.out + result.err and "1 data file" in result.out


def _labelled(first: str, second: str) -> str:
    """Return a data file whose two facts measure one thing, differ in value, and are labelled `first` and `second`."""
    one = f"    status: confirmed\n    quantity: {{value: 270000, unit: t, measure: china-output, label: \"{first}\"}}\n"
    two = SECOND_FACT + f"    quantity: {{value: 140000, unit: t, measure: china-output, label: \"{second}\"}}\n"
    return MINIMAL.replace("    status: confirmed\n", one) + two


def test_conflicting_facts_labelled_differently_are_reported_naming_both_facts_and_lines(tiny_data) -> None:
    path = tiny_data(_labelled("China's mine output", "China's refined output"))
    finding = _only(check([path]), path, "conflict-label")
    assert (finding.line, finding.severity) == (26, "warning")
    assert "'fact-two' labels china-output \"China's refined output\"" in finding.message
    assert "'fact-one' (line 20) labels it \"China's mine output\"" in finding.message


def test_conflicting_facts_with_one_label_raise_no_label_warning(tiny_data) -> None:
    path = tiny_data(_labelled("China's mine output", "china's  mine output"))
    assert _findings(check([path]), path, "conflict")
    assert not _findings(check([path]), path, "conflict-label")
