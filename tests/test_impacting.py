"""`impact --source ID`: every brief and claim that depends on a source, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, MINIMAL

from briefs.brief import Brief
from briefs.impacting import Impact, impact
from briefs.pipeline import Inputs, load_inputs
from briefs.selection import select

SOURCE = "seed-article"


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return load_inputs([DEFAULT_DATA])


@pytest.fixture(scope="module")
def seed(inputs: Inputs) -> Impact:
    return impact(inputs, SOURCE, Path("out"))


def _expected(brief: Brief, source_id: str) -> dict[str, set[str]] | None:
    """Return what a brief shows citing the source, read from the brief itself (None: it does not cite it)."""
    number = next((s.number for s in brief.sources if s.id == source_id), None)
    if number is None:
        return None
    return {
        "fact": {v.id for v in brief.selected_facts if number in v.citations},
        "figure": {v.id for v in brief.figures if number in v.citations},
        "takeaway": {v.text for v in brief.takeaways if number in v.citations},
        "faq": {v.question for v in brief.faqs if number in v.citations},
    }


def test_impact_lists_every_brief_citing_the_article_and_nothing_else(inputs: Inputs, seed: Impact) -> None:
    dataset = inputs.datasets[0][1]
    (found,) = seed.datasets
    expected = {a: _expected(select(dataset, inputs.profiles[a]), SOURCE) for a in AUDIENCES}
    assert [b.audience for b in found.briefs] == [a for a in AUDIENCES if expected[a] is not None]
    assert found.audiences == len(AUDIENCES)
    for brief in found.briefs:
        want = expected[brief.audience]
        assert want is not None
        got = {kind: {item.key if kind in ("fact", "figure") else item.text for item in brief.items if item.kind == kind} for kind in want}
        assert got == want, brief.audience
        assert brief.number == next(s.number for s in select(dataset, inputs.profiles[brief.audience]).sources if s.id == SOURCE)
        assert brief.outputs == ()  # nothing was written to ./out


def test_items_citing_the_article_that_no_brief_shows_are_listed_apart(inputs: Inputs, seed: Impact) -> None:
    dataset = inputs.datasets[0][1]
    (found,) = seed.datasets
    shown = {item.field for brief in found.briefs for item in (*brief.items, *brief.in_disagreement)}
    citing = {f"facts[{i}]" for i, fact in enumerate(dataset.facts) if SOURCE in fact.sources}
    citing |= {f"takeaways[{i}]" for i, t in enumerate(dataset.takeaways) if SOURCE in t.sources}
    citing |= {f"faqs[{i}]" for i, q in enumerate(dataset.faqs) if SOURCE in q.sources}
    assert {item.field for item in found.unshown} == citing - shown
    assert found.unshown, "the default data has article claims no audience selects"
    assert not {item.field for item in found.unshown} & shown


def test_impact_command_prints_each_brief_with_its_outputs_and_claims(cli, tmp_path: Path, seed: Impact) -> None:
    (found,) = seed.datasets
    written = cli("--data", DEFAULT_DATA, "--out", tmp_path / "dist", "-f", "docx", "-a", found.briefs[0].audience)
    assert written.code == 0, written.err
    result = cli("impact", "--data", DEFAULT_DATA, "--source", SOURCE, "--out", tmp_path / "dist")
    assert result.code == 0, result.err
    blocks = result.out.split("\n\n")
    folder = tmp_path / "dist" / found.dataset_id
    for brief in found.briefs:
        block = next(b for b in blocks if b.startswith(f"{brief.audience}, cited as [{brief.number}]:"))
        assert str(folder / f"{brief.audience}.pdf") not in block
        if brief is found.briefs[0]:
            assert str(folder / f"{brief.audience}.docx") in block.splitlines()[0]
        else:
            assert block.splitlines()[0].endswith(f"no brief written to {folder}")
        keys = [line.split()[1] for line in block.splitlines()[1:]]
        assert keys == [item.key for item in brief.items]
    assert "cited in the data file but shown in no brief:" in result.out


def test_audience_briefs_never_written_to_the_folder_are_not_listed_as_files(cli, tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(BATCH_DATA, encoding="utf-8")
    out = tmp_path / "dist"
    _batch(cli, tmp_path, data, out, "docx")
    (found,) = impact(load_inputs([data]), "src-b", out).datasets
    assert [(brief.audience, brief.outputs) for brief in found.briefs] == [("manufacturer", ()), ("researcher", ())]
    result = cli("impact", "--data", data, "--source", "src-b", "--out", out)
    assert result.code == 0, result.err
    assert str(out / "tiny" / "manufacturer.docx") not in result.out and str(out / "tiny" / "researcher.pdf") not in result.out
    assert f"manufacturer, cited as [2]: no brief written to {out / 'tiny'}" in result.out


def test_a_recipient_counts_once_whatever_the_formats_and_editions_of_their_briefs(cli, tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(BATCH_DATA, encoding="utf-8")
    out = tmp_path / "dist"
    _batch(cli, tmp_path, data, out, "docx")
    data.write_text(BATCH_DATA.replace("as_of: 2025-11-15", "as_of: 2025-12-01"), encoding="utf-8")
    _batch(cli, tmp_path, data, out, "pdf")
    result = cli("impact", "--data", data, "--source", "src-b", "--out", out)
    assert result.code == 0, result.err
    block = result.out.split("issued by batch runs", 1)[1].splitlines()
    assert block[0].endswith(": 6 of 12 files cite it, for 3 recipients")
    assert len(block) == 4
    for line, i in zip(block[1:], (1, 3, 5), strict=True):
        assert f" Person {i} (" in line
        # a new edition in one format rewrote the other format too: one recipient, one edition, both files
        assert line.endswith(f"Person {i}.docx, {out / 'tiny' / 'recipients'}/Person {i}.pdf") and "edition of 2025-12-01" in line


def _batch(cli, tmp_path: Path, data: Path, out: Path, fmt: str) -> None:
    """Write six recipients' briefs in one format (Person 1, 3 and 5 cite src-b)."""
    recipients = tmp_path / "r.csv"
    rows = [f"Person {i},{AUDIENCES[i % len(AUDIENCES)]},p{i}@example.org" for i in range(6)]
    recipients.write_text("name,audience,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = cli("batch", recipients, "--data", data, "--out", out, "-f", fmt, "--jobs", "1")
    assert result.code == 0, result.err


def test_unknown_source_exits_1_naming_close_matches(cli) -> None:
    result = cli("impact", "--data", DEFAULT_DATA, "--source", "seed-artcle")
    assert result.code == 1
    assert "unknown source 'seed-artcle'" in result.err and "seed-article" in result.err


def test_a_source_no_brief_shows_is_reported_as_cited_nowhere(tiny_data, tmp_path: Path) -> None:
    extra = "  - id: src-b\n    title: Source B\n    publisher: Publisher B\n    reliability: A\nfacts:"
    unseen = (
        "  - id: fact-unseen\n    text: Nobody reads this.\n    topics: [supply]\n    sources: [src-b]\n    status: confirmed\n"
        "    priority: -50\n"
    )
    path = tiny_data(MINIMAL.replace("facts:", extra) + unseen)
    (found,) = impact(load_inputs([path]), "src-b", tmp_path).datasets
    assert found.briefs == ()
    assert [item.key for item in found.unshown] == ["fact-unseen"]


def test_a_fact_quoted_in_a_stated_disagreement_counts_for_the_brief(tiny_data, tmp_path: Path) -> None:
    extra = "  - id: src-b\n    title: Source B\n    publisher: Publisher B\n    reliability: D\nfacts:"
    shown = "    status: confirmed\n    quantity: {value: 270000, unit: t, measure: output}\n"
    other = (
        "  - id: fact-other\n    text: A lower figure.\n    topics: [supply]\n    sources: [src-b]\n    status: confirmed\n"
        "    priority: -50\n    quantity: {value: 140000, unit: t, measure: output}\n"
    )
    path = tiny_data(MINIMAL.replace("facts:", extra).replace("    status: confirmed\n", shown) + other)
    inputs = load_inputs([path])
    (found,) = impact(inputs, "src-b", tmp_path).datasets
    assert found.briefs, "briefs showing fact-one state the disagreement and cite src-b"
    for brief in found.briefs:
        assert brief.items == ()
        assert [item.key for item in brief.in_disagreement] == ["fact-other"]
    assert found.unshown == ()


BATCH_DATA = """\
id: tiny
title: A tiny topic
subtitle: For tests
as_of: 2025-11-15
summary: One paragraph.
topics:
  investment: Investment
  supply: Supply
  environment: Environment
sources:
  - id: src-a
    title: Source A
    publisher: Publisher A
    reliability: B
  - id: src-b
    title: Source B
    publisher: Publisher B
    reliability: A
facts:
  - id: investment-fact
    text: Only investors read this.
    topics: [investment]
    sources: [src-a]
    status: confirmed
  - id: supply-fact
    text: Only manufacturers read this.
    topics: [supply]
    sources: [src-a, src-b]
    status: confirmed
  - id: environment-fact
    text: Only researchers read this.
    topics: [environment]
    sources: [src-b]
    status: confirmed
"""


def test_impact_lists_the_batch_outputs_whose_manifest_shows_the_source(cli, tmp_path: Path) -> None:
    data = tmp_path / "tiny.yaml"
    data.write_text(BATCH_DATA, encoding="utf-8")
    recipients = tmp_path / "r.csv"
    rows = [f"Person {i},{AUDIENCES[i % len(AUDIENCES)]},p{i}@example.org" for i in range(6)]
    recipients.write_text("name,audience,email\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "dist"
    batch = cli("batch", recipients, "--data", data, "--out", out, "-f", "docx", "--jobs", "1")
    assert batch.code == 0, batch.err
    citing = {f"Person {i}" for i in range(6) if AUDIENCES[i % len(AUDIENCES)] in ("manufacturer", "researcher")}
    assert citing == {"Person 1", "Person 3", "Person 5"}  # the audiences whose briefs show a fact citing src-b

    (found,) = impact(load_inputs([data]), "src-b", out).datasets
    assert found.manifest == out / "tiny" / "recipients" / "manifest.jsonl" and found.recorded == 6
    assert [(item.name, item.audience, item.path, item.format) for item in found.issued] == [
        (f"Person {i}", AUDIENCES[i % len(AUDIENCES)], out / "tiny" / "recipients" / f"Person {i}.docx", "docx") for i in (1, 3, 5)]
    assert all(item.path.is_file() for item in found.issued)
    assert [item.number for item in found.issued] == [2, 1, 2]  # manufacturers cite src-a first, as [1]

    result = cli("impact", "--data", data, "--source", "src-b", "--out", out)
    assert result.code == 0, result.err
    block = result.out.split("issued by batch runs", 1)[1]
    assert ": 3 of 6 files cite it, for 3 recipients" in block.splitlines()[0]
    listed = block.splitlines()[1:]
    assert [line.split("(")[0].split(maxsplit=3)[3].strip() for line in listed] == sorted(citing)
    for line, i in zip(listed, (1, 3, 5), strict=True):
        assert f"({AUDIENCES[i % len(AUDIENCES)]}, edition of 2025-11-15)" in line
        assert line.endswith(str(out / "tiny" / "recipients" / f"Person {i}.docx"))

    # What was issued counts, not what the data now selects: the manufacturers' briefs still cite src-b.
    data.write_text(BATCH_DATA.replace("sources: [src-a, src-b]", "sources: [src-a]"), encoding="utf-8")
    (edited,) = impact(load_inputs([data]), "src-b", out).datasets
    assert [brief.audience for brief in edited.briefs] == ["researcher"]
    assert [item.name for item in edited.issued] == ["Person 1", "Person 3", "Person 5"]
    assert impact(load_inputs([data]), "src-b", tmp_path / "elsewhere").datasets[0].issued == ()  # --out is where to look
    assert "issued by batch runs" not in cli("impact", "--data", data, "--source", "src-b", "--out", tmp_path / "elsewhere").out


def test_claims_in_circulation_count_as_shown_where_a_source_is_cited(cli) -> None:
    result = cli("impact", "--data", DEFAULT_DATA, "--source", "seed-article")
    assert result.code == 0, result.err
    investor = result.out.split("investor, cited as", 1)[1].split("\n\n", 1)[0]
    assert "joint-fund-size" in investor and "UNVERIFIED" in investor  # a claim, not a key fact: shown all the same
    assert "joint-fund-size" not in result.out.split("shown in no brief", 1)[1]
