"""The input contract: data files and audience profiles as frozen, strict pydantic models.

`extra="forbid"` makes a typo in a key an error instead of a silently ignored field. Field
docstrings become the descriptions of the JSON Schema that `briefs schema` prints for editors.
Cross-references (source and topic ids) are checked in `loading`, where the line of each
reference is known.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from .languages import DEFAULT_LANGUAGE, Language
from .pages import PageName

__all__ = [
    "LABEL_KINDS",
    "LIMITS",
    "SECTION_NAMES",
    "STATUSES",
    "Dataset",
    "Fact",
    "Faq",
    "Figure",
    "LabelKind",
    "Profile",
    "Quantity",
    "Source",
    "Takeaway",
    "Topic",
    "TopicEntry",
    "for_audience",
    "is_noncharacter",
    "same_label",
]

LabelKind = Literal["unverified", "disputed", "corrected", "reported", "confirmed", "note"]
"""The kinds of `<span class="label KIND">` a template may print, each with its colour in the theme: stated once here."""
LABEL_KINDS: tuple[str, ...] = get_args(LabelKind)
SECTION_NAMES = ("summary", "key_facts", "claims", "figures", "takeaways", "faqs", "caveats", "sources")

Status = Literal["confirmed", "reported", "unverified", "disputed", "corrected"]
STATUSES: tuple[str, ...] = get_args(Status)
Section = Literal["summary", "key_facts", "claims", "figures", "takeaways", "faqs", "caveats", "sources"]
Grade = Literal["A", "B", "C", "D", "E", "F"]


LIMITS: dict[str, Any] = {
    "text": 5_000,
    "short_text": 300,
    "label": 200,
    "url": 8_000,
    "value": 1e15,
    "weight": 1_000.0,
    "first_date": dt.date(1800, 1, 1),
    "last_date": dt.date(2200, 12, 31),
}
"""Every bound a user can meet in a data file or profile, stated once (the README's table of limits
is this one): characters in a text field, a title or name, a chart label or a URL; the largest
number a figure or quantity may hold; the largest profile weight; the range of dates."""

_LINE_BREAKS = {"\u0085": "\n", "\u2028": "\n", "\u2029": "\n\n", "\r\n": "\n", "\r": "\n"}


def _printable(text: str) -> str:
    """Refuse characters no writer can print: controls other than tab and newline, lone surrogates and
    non-characters (U+FFFE, U+FFFF, ...); read the Unicode line and paragraph separators as line breaks."""
    for odd, plain in _LINE_BREAKS.items():
        text = text.replace(odd, plain)
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\t\n") or category == "Cs" or is_noncharacter(char):
            raise ValueError(f"contains an unprintable character U+{ord(char):04X} at position {index + 1}")
    return text


def is_noncharacter(char: str) -> bool:
    """True for U+FFFE, U+FFFF and the other Unicode non-characters, which no writer prints."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def same_label(first: str, second: str) -> bool:
    """True when two quantity labels name one thing (case and spacing aside): a disagreement is named only by such a label."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def _in_range(value: dt.date) -> dt.date:
    if not LIMITS["first_date"] <= value <= LIMITS["last_date"]:
        raise ValueError(f"must be between {LIMITS['first_date']} and {LIMITS['last_date']}, got {value}")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5_000), AfterValidator(_printable)]
"""Plain text of a claim, a paragraph, a note: at most LIMITS["text"] characters."""
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_printable)]
"""A title, name or label: at most LIMITS["short_text"] characters."""
LabelText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_printable)]
"""A chart's category label: at most LIMITS["label"] characters."""
Date = Annotated[dt.date, AfterValidator(_in_range)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-LIMITS["value"], le=LIMITS["value"])]
"""A figure's or quantity's value: finite, at most 10^15 either way."""
Weight = Annotated[float, Field(allow_inf_nan=False, ge=-LIMITS["weight"], le=LIMITS["weight"])]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
_UNSAFE_IN_URLS = ' <>"`{}|\\^'


def _encoded_url(value: object) -> object:
    """Percent-encode what a URL pasted from a browser may hold unencoded (spaces, <, >, ", ...), keeping the link
    working; letters of other scripts stay as they are, readable (every writer links them as they are)."""
    if not isinstance(value, str):
        return value
    return "".join(f"%{ord(char):02X}" if char in _UNSAFE_IN_URLS else char for char in value.strip())


Url = Annotated[str, BeforeValidator(_encoded_url), StringConstraints(pattern=r"^(https?://|mailto:)[^\s<>\"]+$",
                                                                      max_length=LIMITS["url"])]


def _has_default(value: dict[str, str]) -> dict[str, str]:
    if "default" not in value:
        raise ValueError("give a `default:` text for every audience, and a text per audience id where it differs")
    return value


Opening = Text | Annotated[dict[Slug, Text], AfterValidator(_has_default)]
"""One text for every audience, or `{default: ..., investor: ...}`; `[@source-id]` markers cite sources."""


class _Model(BaseModel):
    # Attribute docstrings become the descriptions of `briefs schema`, which editors show on hover.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Topic(_Model):
    """A topic that facts, FAQs and figures are tagged with, and where it sits in the scheme."""

    label: ShortText | None = None
    """Readable name; for a scheme id, the scheme's label when left out."""
    broader: tuple[Slug, ...] = ()
    """Broader topics (scheme ids or this file's own): an audience weighs this topic as the highest of them
    when its profile does not name it."""
    description: Text | None = None
    """What the topic covers, for authors."""


def _topic_shorthand(value: object) -> object:
    """Accept `id: Label` and `id:` (a scheme id with its scheme label) beside the full mapping."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"label": value}
    return value


TopicEntry = Annotated[Topic, BeforeValidator(_topic_shorthand, json_schema_input_type=Topic | str | None)]
"""A topic as written in a file: a mapping, a plain label, or nothing."""


class Source(_Model):
    """Where a claim comes from."""

    id: Slug
    """Short id that facts, takeaways, FAQs and figures cite."""
    title: Text
    """The source's own title (or a plain description when it has none)."""
    publisher: ShortText
    """Who published it: an agency, an outlet, a website."""
    date: Date | None = None
    """Publication date; leave out when unknown."""
    url: Url | None = None
    """http(s) address; leave out when unknown, never guess one (and say why in `no_address`)."""
    archived: Url | None = None
    """An archived copy of the page (e.g. in a web archive), printed beside the address."""
    no_address: ShortText | None = None
    """Why a reader cannot follow this source (e.g. "a print edition"); `check` warns about a source with neither."""
    descriptive_title: bool = False
    """True when the source's own headline is not known and `title` describes it; the sources list says so."""
    reliability: Grade
    """Admiralty grade: A completely reliable .. E unreliable, F reliability cannot be judged."""
    note: Text | None = None
    """What a reader should know about this source (e.g. which outlet carried a wire story)."""
    csl: SkipJsonSchema[dict[str, Any] | None] = Field(default=None, exclude=True)
    """The reference as CSL JSON, when it comes from the data file's `references:` file (never written by hand)."""


class Quantity(_Model):
    """A number a fact states, for tables and for spotting disagreements."""

    value: Number
    """The number, without thousands separators (270000, not 270,000)."""
    unit: ShortText
    """E.g. `t REO`, `%`, `USD bn`."""
    measure: Slug | None = None
    """Id of what is measured; two facts with one measure and different values are a conflict."""
    label: ShortText | None = None
    """What is measured, in words, for the brief's "sources disagree" line; used only when every labelled fact of the
    disagreement gives the same label (otherwise, and by default, the line quotes each fact's text)."""


def _duration(text: str) -> str:
    if not re.fullmatch(r"[1-9][0-9]{0,3} (day|week|month|year)s?", text):
        raise ValueError(f"give a whole number of days, weeks, months or years, e.g. `6 months` or `180 days`, got {text!r}")
    return text


class Deadline(_Model):
    """A time limit the fact states, counted from a dated event: the brief prints the calendar date."""

    within: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_duration)]
    """How long after the event: `6 months`, `180 days`, `2 weeks`, `1 year` (calendar months and years)."""
    of: Slug
    """The id of the fact stating the event; it must have a `date`."""
    event: ShortText
    """The event in words, as the rule prints it: `signing` gives "by 28 April 2026 (6 months after signing)"."""
    what: ShortText
    """What is due, in a few words, for the brief's "Key dates": `measures to support selected projects`."""


class Fact(_Model):
    """One claim about the topic, with its sources and how far it is established."""

    id: Slug
    """Short unique id (letters, digits, '-', '_'), used by `explain --fact` and in the manifest."""
    text: Text
    """The claim as the brief prints it: one or two plain sentences."""
    topics: tuple[Slug, ...] = Field(min_length=1)
    """Topic ids (the scheme's or the file's own `topics:`); audiences select facts by them."""
    sources: tuple[Slug, ...] = ()
    """Ids of the sources that support the claim; cited after it in the brief."""
    corrects: tuple[Slug, ...] = ()
    """Ids of sources that say otherwise (the ones this claim corrects): never cited as support, but in the
    claim's caveat, after its `note` (which says what they said)."""
    status: Status
    """confirmed (primary text or several independent reports), reported (one credible secondary report),
    unverified (only a weak or unattributed source), disputed (sources disagree), corrected (`text` is the
    corrected version; `note` says what the original said)."""
    priority: int = Field(default=0, ge=-100, le=100)
    """Added to the score in selection, and the first tie-breaker."""
    audiences: dict[Slug, Text] = {}
    """Phrasing of this fact for one audience, by profile id."""
    quantity: Quantity | None = None
    """The number the fact states, for spotting disagreements between sources."""
    deadline: Deadline | None = None
    """A time limit the fact states relative to a dated event; the brief prints its date and lists it in "Key dates"."""
    date: Date | None = None
    """The date the fact refers to; `check` warns when it is much older than `as_of`."""
    note: Text | None = None
    """What a reader must know: for `corrected`, what the original source said. Printed under the fact,
    or with its label in the caveats."""


class Takeaway(_Model):
    """Practical advice for one audience."""

    audience: Slug
    """The id of the audience profile this takeaway is for (e.g. investor)."""
    text: Text
    """The advice, as printed."""
    sources: tuple[Slug, ...] = ()
    """Ids of the sources it rests on; advice resting only on sources graded E or F, or on none, is labelled UNVERIFIED."""
    corrects: tuple[Slug, ...] = ()
    """As for facts: sources that say otherwise, cited only in the caveat."""
    status: Status | None = None
    """Leave out for advice; set it when the takeaway states a claim."""
    note: Text | None = None
    """What a reader must know about it; printed with it."""


class Faq(_Model):
    """A question readers ask, with its answer."""

    question: Text
    """The question, as a reader would ask it."""
    answer: Text
    """The answer, as printed."""
    topics: tuple[Slug, ...] = ()
    """Topic ids; the FAQ shows to audiences that weigh one of them (every audience when empty)."""
    sources: tuple[Slug, ...] = ()
    """Ids of the sources the answer rests on."""
    corrects: tuple[Slug, ...] = ()
    """As for facts: sources that say otherwise, cited only in the caveat."""
    status: Status | None = None
    """As for facts; leave out for a plain explanation."""
    note: Text | None = None
    """What a reader must know about the answer; printed with it."""


class Figure(_Model):
    """A small data series drawn as a chart, with its data table beside it."""

    id: Slug
    """Short unique id."""
    title: ShortText
    """Caption of the chart, without the unit."""
    kind: Literal["bar"] = "bar"
    """The chart drawn: a bar chart."""
    source: Slug
    """One source: a figure's data comes from one table."""
    topics: tuple[Slug, ...] = ()
    """Topic ids; the figure shows to audiences that weigh one of them (every audience when empty)."""
    data: dict[LabelText, Number] = Field(min_length=1, max_length=60)
    """Label: value, in the order to draw."""
    unit: ShortText | None = None
    """Unit of the values, shown in the caption and the table header."""
    category: ShortText = "Item"
    """Heading of the label column in the data table (e.g. Country)."""
    alt: Text | None = None
    """Alt text; a sentence is generated from the data when absent."""
    note: Text | None = None
    """What a reader must know about the data; printed under its table."""
    status: Status = "confirmed"
    """As for facts."""


def for_audience(opening: str | dict[str, str], audience: str) -> str:
    """Return the text of a summary or bottom line for one audience."""
    return opening if isinstance(opening, str) else opening.get(audience, opening["default"])


class Acknowledgement(_Model):
    """A warning of `check` the data file keeps on purpose, and why."""

    code: Slug
    """The warning's code, as `check` prints it in `--format json` and in `check --strict` (e.g. unreachable-fact)."""
    item: ShortText
    """What it is about: the id of a fact, source, figure or topic, `takeaways[N]` or `faqs[N]` (from 0), or a top-level key."""
    reason: Text
    """Why it stays; `check --strict` prints it beside the warning."""


class Dataset(_Model):
    """Everything known about one topic: the data file."""

    id: Slug
    """Used in output paths: out/<id>/<audience>.<ext>."""
    title: ShortText
    """The brief's title."""
    subtitle: ShortText
    """One line under the title."""
    as_of: Date
    """The date the content is current to; also the documents' date (YYYY-MM-DD)."""
    summary: Opening
    """One paragraph, bottom line up front, citing its sources inline: `... 69% [@usgs-mcs-2025].` Give
    `{default: ..., investor: ...}` to tailor it to an audience."""
    short_title: ShortText | None = None
    """Running header; the title when absent."""
    bottom_line: Opening | None = None
    """One sentence for the cover, citing its sources inline like the summary; per audience like the summary."""
    organisation: ShortText | None = None
    """Shown on the cover line and in the document properties."""
    author: ShortText | None = None
    """The document properties' author."""
    citation_style: ShortText | None = None
    """The sources list and citations in a CSL style: `apa`, `chicago-author-date`, `harvard`, `ieee`, ... or a `.csl` file
    beside the data file; an audience profile's `citation_style` wins. None: numbered citations, the built-in list."""
    references: ShortText | None = None
    """A BibTeX (.bib) or CSL JSON (.json) file beside the data file, e.g. a Zotero export: a source whose id is a citation key
    in it takes its title, publisher, date and address from there (what the source gives here wins)."""
    logo: ShortText | None = None
    """A PNG or JPEG image for the top of page 1, relative to the data file."""
    page_size: PageName | None = None
    """A3, A4, A5, Letter or Legal (any case); the command line wins, the theme and reference document follow."""
    language: Language = DEFAULT_LANGUAGE
    """The language the data is written in, as a BCP 47 tag (en, en-GB, ja, zh-Hant, ar): screen readers,
    spelling checkers and hyphenation in every format read it."""
    topics: dict[Slug, TopicEntry] = {}
    """This file's own topics, each mapped onto the scheme with `broader`, e.g.
    `cell-chemistry: {label: Cell chemistry, broader: [technology]}`. Scheme ids (investment, markets,
    supply, ...) can be used without listing them; list one to give it another label."""
    sources: tuple[Source, ...] = Field(min_length=1)
    """Everything the claims rest on, each with a reliability grade."""
    facts: tuple[Fact, ...] = Field(min_length=1)
    """The claims; each audience's brief selects the ones it weighs most."""
    takeaways: tuple[Takeaway, ...] = ()
    """Practical advice, each for one audience."""
    faqs: tuple[Faq, ...] = ()
    """Questions readers ask, with answers."""
    figures: tuple[Figure, ...] = ()
    """Small data series drawn as bar charts."""
    acknowledged: tuple[Acknowledgement, ...] = Field(default=(), max_length=1_000)
    """Warnings kept on purpose, each with its reason: shown by `check --strict` only, never counted as warnings."""

    @property
    def grades(self) -> dict[str, str]:
        """Return each source's reliability grade by id (what `evidence.confidence` weighs)."""
        return {source.id: source.reliability for source in self.sources}


def _each_once(sections: tuple[str, ...]) -> tuple[str, ...]:
    repeated = sorted({section for section in sections if sections.count(section) > 1})
    if repeated:
        raise ValueError(f"lists {repeated[0]!r} more than once: each section appears once")
    return _with_claims(sections)


def _with_claims(sections: tuple[str, ...]) -> tuple[str, ...]:
    """Put "claims" after "key_facts" in a list that predates it, so its claims are never silently dropped."""
    if "key_facts" not in sections or "claims" in sections:
        return sections
    at = sections.index("key_facts") + 1
    return (*sections[:at], "claims", *sections[at:])


CutKind = Literal["facts", "faqs", "figures", "takeaways"]
"""The kinds of item a page budget may cut."""


class ProfileWords(_Model):
    """A profile's words in another language: what a brief in that language prints instead of the English."""

    label: ShortText
    """The audience's name in that language, as in "Prepared for <label>"."""
    focus: ShortText
    """What this reader cares about, in that language."""
    disclaimer: Text
    """The disclaimer, in that language."""


class Profile(_Model):
    """What one audience cares about, and how its brief is laid out."""

    id: Slug
    """Must match the file name (investor.yaml: investor)."""
    label: ShortText
    """Shown as "Prepared for <label>"."""
    focus: ShortText
    """One line saying what this reader cares about; printed under the summary."""
    interests: dict[Slug, Weight] = Field(min_length=1, max_length=200)
    """Topic id (the scheme's, or a data file's): weight. A fact scores the sum of the weights of its topics;
    a topic not named here weighs as much as its broader topic."""
    max_facts: int = Field(ge=0, le=10_000)
    """The most key facts the brief shows."""
    min_score: Weight = 0
    """Facts scoring less are left out."""
    sections: Annotated[tuple[Section, ...], AfterValidator(_each_once)] = Field(min_length=1)
    """Which sections the brief has, in order: summary, key_facts, claims, figures, takeaways, faqs, caveats, sources.
    Key facts are the confirmed facts selected; claims are the selected facts not confirmed (labelled). A list with
    key_facts and no claims gets claims right after key_facts."""
    disclaimer: Text
    """Printed at the end of the brief."""
    caveats: Literal["full", "summary"] = "full"
    """How much of the caveats section this audience sees; labels are always shown."""
    show_changes: bool = True
    """With --since, whether this audience's brief opens with "What changed since ..." (after the title block)."""
    exclude_status: tuple[Status, ...] = ()
    """Statuses this audience never sees: facts, takeaways, FAQs and figures with them are left out."""
    template: ShortText | None = None
    """Its own layout, a template name on the template search path."""
    citation_style: ShortText | None = None
    """This audience's citation style (a CSL style name such as `apa`, or a `.csl` file beside the data file), over the data file's."""
    max_pages: int | None = Field(default=None, ge=1, le=1_000)
    """A page budget: the brief is cut to fit it, lowest-scored items first (`fitting`); None: no budget."""
    cut_order: Annotated[tuple[CutKind, ...], AfterValidator(_each_once)] = ("facts", "faqs", "figures", "takeaways")
    """Which kinds of item a page budget cuts first; within a kind, the lowest-scored first. A kind not named is never cut."""
    language: Language = DEFAULT_LANGUAGE
    """The language `label`, `focus` and `disclaimer` are written in."""
    translations: dict[Language, ProfileWords] = Field(default={}, max_length=200)
    """By BCP 47 tag: `label`, `focus` and `disclaimer` in that language, for briefs written in it (`ja: {label: 投資家, ...}`).
    A brief in a language with none shows the profile's own words, tagged with their language, and `check` warns."""




assert (LIMITS["text"], LIMITS["short_text"], LIMITS["label"]) == (5_000, 300, 200), "keep the Text types in step with LIMITS"
