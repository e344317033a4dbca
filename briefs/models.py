"""The input contract: data files and audience profiles as frozen, strict pydantic models.

`extra="forbid"` makes a typo in a key an error instead of a silently ignored field. Field
docstrings become the descriptions of the JSON Schema that `briefs schema` prints for editors.
Cross-references (source and topic ids) are checked in `loading`, where the line of each
reference is known.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "SECTION_NAMES",
    "STATUSES",
    "Dataset",
    "Fact",
    "Faq",
    "Figure",
    "Profile",
    "Quantity",
    "Source",
    "Takeaway",
]

STATUSES = ("confirmed", "reported", "unverified", "disputed", "corrected")
SECTION_NAMES = ("summary", "key_facts", "figures", "takeaways", "faqs", "caveats", "sources")

Status = Literal["confirmed", "reported", "unverified", "disputed", "corrected"]
Section = Literal["summary", "key_facts", "figures", "takeaways", "faqs", "caveats", "sources"]
Grade = Literal["A", "B", "C", "D", "E", "F"]


def _printable(text: str) -> str:
    """Refuse characters no writer can print: controls other than tab and newline, lone surrogates."""
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\t\n\r") or category == "Cs":
            raise ValueError(f"contains an unprintable character U+{ord(char):04X} at position {index + 1}")
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Url = Annotated[str, StringConstraints(pattern=r"^(https?://|mailto:)[^\s<>\"]+$", max_length=2000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where a claim comes from."""

    id: Slug
    """Short id that facts, takeaways, FAQs and figures cite."""
    title: Text
    publisher: Text
    date: dt.date | None = None
    """Publication date; leave out when unknown."""
    url: Url | None = None
    """http(s) address; leave out when unknown, never guess one."""
    reliability: Grade
    """Admiralty grade: A completely reliable .. E unreliable, F reliability cannot be judged."""
    note: Text | None = None
    """What a reader should know about this source (e.g. which outlet carried a wire story)."""


class Quantity(_Model):
    """A number a fact states, for tables and for spotting disagreements."""

    value: float
    unit: Text
    measure: Slug | None = None
    """Id of what is measured; two facts with one measure and different values are a conflict."""


class Fact(_Model):
    """One claim about the topic, with its sources and how far it is established."""

    id: Slug
    text: Text
    topics: tuple[Slug, ...] = Field(min_length=1)
    sources: tuple[Slug, ...] = ()
    status: Status
    priority: int = Field(default=0, ge=-100, le=100)
    """Added to the score in selection, and the first tie-breaker."""
    audiences: dict[Slug, Text] = {}
    """Phrasing of this fact for one audience, by profile id."""
    quantity: Quantity | None = None
    date: dt.date | None = None
    """The date the fact refers to."""
    note: Text | None = None
    """What a reader must know: for `corrected`, what the original source said."""


class Takeaway(_Model):
    """Practical advice for one audience."""

    audience: Slug
    text: Text
    sources: tuple[Slug, ...] = ()
    status: Status | None = None
    """Leave out for advice; set it when the takeaway states a claim."""
    note: Text | None = None


class Faq(_Model):
    """A question readers ask, with its answer."""

    question: Text
    answer: Text
    topics: tuple[Slug, ...] = ()
    sources: tuple[Slug, ...] = ()
    status: Status | None = None
    note: Text | None = None


class Figure(_Model):
    """A small data series drawn as a chart, with its data table beside it."""

    id: Slug
    title: Text
    kind: Literal["bar"] = "bar"
    source: Slug
    """One source: a figure's data comes from one table."""
    topics: tuple[Slug, ...] = ()
    data: dict[Text, float] = Field(min_length=1, max_length=60)
    """Label: value, in the order to draw."""
    unit: Text | None = None
    category: Text = "Item"
    """Heading of the label column in the data table (e.g. Country)."""
    alt: Text | None = None
    """Alt text; a sentence is generated from the data when absent."""
    note: Text | None = None
    status: Status = "confirmed"


class Dataset(_Model):
    """Everything known about one topic: the data file."""

    id: Slug
    """Used in output paths: out/<id>/<audience>.<ext>."""
    title: Text
    subtitle: Text
    as_of: dt.date
    """The date the content is current to; also the documents' date."""
    summary: Text
    short_title: Text | None = None
    """Running header; the title when absent."""
    bottom_line: Text | None = None
    """One sentence for the cover."""
    organisation: Text | None = None
    author: Text | None = None
    logo: Text | None = None
    page_size: Literal["A4", "Letter"] | None = None
    topics: dict[Slug, Text] = Field(min_length=1)
    sources: tuple[Source, ...] = Field(min_length=1)
    facts: tuple[Fact, ...] = Field(min_length=1)
    takeaways: tuple[Takeaway, ...] = ()
    faqs: tuple[Faq, ...] = ()
    figures: tuple[Figure, ...] = ()


class Profile(_Model):
    """What one audience cares about, and how its brief is laid out."""

    id: Slug
    label: Text
    """Shown as "Prepared for <label>"."""
    focus: Text
    interests: dict[Slug, float] = Field(min_length=1)
    """Topic id: weight. A fact scores the sum of the weights of its topics."""
    max_facts: int = Field(ge=0, le=10_000)
    min_score: float = 0
    sections: tuple[Section, ...] = Field(min_length=1)
    disclaimer: Text
    caveats: Literal["full", "summary"] = "full"
    """How much of the caveats section this audience sees; labels are always shown."""
    exclude_status: tuple[Status, ...] = ()
    template: Text | None = None
    """Its own layout, a template name on the template search path."""


