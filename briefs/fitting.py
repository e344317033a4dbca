"""Fit a brief to a page budget by cutting its lowest-scored items, measured with a real layout.

The rule, stated once (and shown by `explain`): the items a brief shows are lined up for cutting
kind by kind in the profile's `cut_order` (facts, FAQs, figures, takeaways unless it says
otherwise), the lowest-scored first within a kind (a tie: the one shown later goes first). The
brief keeps the longest prefix of that line it can: a binary search over how many items to cut,
each try selected again without them (so caveats, key dates and sources follow the items kept)
and laid out by the writers' own `measure`. The title block, bottom line, summary, label legend,
caveats and sources are never cut. One cut serves every format written, so they keep the same words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .brief import Brief, Cut
from .doctree import Document
from .errors import OverPageBudget
from .models import Dataset, Profile
from .selection import item_key
from .topics import weight

__all__ = ["COMPACT_TEMPLATE", "Fitted", "cut_line", "fit", "pages_in", "template_for"]

COMPACT_TEMPLATE = "onepage.html.j2"
"""The compact layout a brief with a page budget uses when its profile names no template of its own."""


@dataclass(frozen=True)
class Fitted:
    """A brief cut to its page budget, its document, and what fitting it cost."""

    brief: Brief
    document: Document
    pages: int
    layouts: int
    """How many layouts the search measured."""


def fit(dataset: Dataset, profile: Profile, max_pages: int, select: Callable[[frozenset[str]], Brief],
        compose: Callable[[Brief], Document], measure: Callable[[Document], int]) -> Fitted:
    """Return the brief with the fewest cuts that fits `max_pages`; raise OverPageBudget when even every cut does not.

    `select` makes the brief without the items whose keys it is given, `compose` lays a brief out,
    and `measure` says how many pages a document takes (the most any written format needs).
    """
    full = select(frozenset())
    line = cut_line(full, dataset, profile)
    tried: dict[int, Fitted] = {}

    def attempt(count: int) -> Fitted:
        cuts = tuple(line[:count])
        brief = dataclasses.replace(select(frozenset(c.key for c in cuts)) if cuts else full, cuts=cuts, max_pages=max_pages)
        document = compose(brief)
        tried[count] = Fitted(brief, document, measure(document), len(tried) + 1)
        return tried[count]

    if attempt(0).pages <= max_pages:
        return tried[0]
    low, high = 0, len(line)  # cutting `low` items is too long; cutting `high` is the shortest brief there is
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if attempt(middle).pages <= max_pages else (middle, high)
    best = tried.get(high) or attempt(high)
    if best.pages > max_pages:
        raise OverPageBudget(_too_long(dataset, profile, max_pages, best.pages))
    return dataclasses.replace(best, layouts=len(tried))


def template_for(profile: Profile, max_pages: int | None) -> str | None:
    """Return the template of the profile's brief: its own, else under a page budget the compact one (the full layout
    spends a page on what the compact one says in a few lines, so a budget keeps more items in it)."""
    return profile.template or (COMPACT_TEMPLATE if max_pages is not None else None)


def cut_line(brief: Brief, dataset: Dataset, profile: Profile) -> list[Cut]:
    """Return the items of `brief` in the order a page budget cuts them (see the module docstring)."""
    by_kind = {
        "facts": [Cut("facts", item_key("fact", f.id), f.text, f.score) for f in brief.selected_facts],
        "faqs": [Cut("faqs", item_key("faq", i), q.question, _score(q.topics, dataset, profile))
                 for i, q in enumerate(dataset.faqs) if q.question in {view.question for view in brief.faqs}],
        "figures": [Cut("figures", item_key("figure", f.id), f.title, _score(f.topics, dataset, profile))
                    for f in dataset.figures if f.id in {view.id for view in brief.figures}],
        "takeaways": [Cut("takeaways", item_key("takeaway", i), t.text, 0.0) for i, t in enumerate(dataset.takeaways)
                      if t.text in {view.text for view in brief.takeaways}],
    }
    # Reversed, then sorted stably by score: among equal scores the item shown last is cut first.
    return [cut for kind in profile.cut_order for cut in sorted(reversed(by_kind[kind]), key=lambda c: c.score)]


def pages_in(measures: Iterable[Callable[[Document], int]]) -> Callable[[Document], int]:
    """Return a measure giving the most pages any of `measures` gives (each distinct one run once per document)."""
    chosen = list(measures)
    return lambda document: max((measure(document) for measure in chosen), default=0)


def _score(topics: Sequence[str], dataset: Dataset, profile: Profile) -> float:
    """Return the item's score as selection weighs a fact's topics (without a priority: only facts have one)."""
    return float(sum(weight(profile.interests, topic, dataset.topics).value for topic in topics))


def _too_long(dataset: Dataset, profile: Profile, max_pages: int, pages: int) -> str:
    return (f"{dataset.id}: the {profile.id} brief needs {pages} pages with every item it may cut left out, over its "
            f"budget of {max_pages} page{'s' if max_pages != 1 else ''}: raise --max-pages (or the profile's max_pages), "
            f"or shorten what is never cut (summary, bottom line, caveats, sources)")
