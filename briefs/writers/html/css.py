"""The stylesheet of an HTML brief, made from the theme so the page looks like the PDF of the same brief.

Sizes, line heights, spacing, weights and colours are the type scale every format reads
(`writers.roles`): sizes in `em` of the body size, line heights as leading / size, spacing in `em`
of the element's own size, so each comes out at the points the PDF prints. Every value taken from
a theme or a document is checked or escaped before it enters the CSS (colours must be hex, font
names and the running header are CSS strings), so nothing can close the `<style>` element or add
rules.
"""

from __future__ import annotations

import re

from .. import PageSize
from ..roles import RoleStyle
from ..theme import BUILTIN_FAMILY, Theme

__all__ = ["css_string", "label_class", "stylesheet"]

_HEX = re.compile(r"^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$")
_FALLBACK = ('"DejaVu Sans"', "Verdana", '"Noto Sans"', '"Noto Sans CJK JP"', '"Droid Sans Fallback"', "NanumGothic", "Symbola",
             "sans-serif")
"""The PDF's family and its fallback chain (`pdf.fonts`) where the reader has them, then common ones."""


def _colour(value: str, default: str = "#000000") -> str:
    """Return a hex colour as given, or `default` for anything else (a Theme made in code is not validated)."""
    return value if _HEX.match(value) else default


def css_string(text: str) -> str:
    """Return `text` as a double-quoted CSS string: anything but letters, digits and spaces is escaped
    as `\\b7 ` (a hex escape ends at its space, which is not part of the string)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def label_class(kind: str) -> str:
    """Return the class a label of `kind` carries: `label-<kind>` in lowercase letters, digits and hyphens."""
    return "label-" + (re.sub(r"[^a-z0-9-]+", "-", kind.lower()).strip("-") or "other")


def _fonts(name: str) -> str:
    first = () if name == BUILTIN_FAMILY else (css_string(name),)
    return ", ".join((*first, *_FALLBACK))


def _type(theme: Theme, name: str, block: bool = True) -> str:
    """Return the declarations of one role of the type scale: size, weight, slant, colour, and for a block
    its line height and spacing (an inline role, a label, keeps its line's)."""
    role, body = theme.roles[name], theme.roles["body"]
    declarations = (f"font-size: {role.size / body.size:.4g}em; font-weight: {'bold' if role.bold else 'normal'}; "
                    f"font-style: {'italic' if role.italic else 'normal'}; color: {_colour(theme.colour(role.colour))};")
    if not block:
        return declarations
    return (f"{declarations} line-height: {role.leading / role.size:.3g}; "
            f"margin: {_em(role, role.space_before)} 0 {_em(role, role.space_after)};")


def _em(role: RoleStyle, points: float) -> str:
    """Return `points` in `em` of the role's own size (a margin in `em` is relative to the element's font)."""
    return f"{points / role.size:.3g}em" if points else "0"


def stylesheet(theme: Theme, page: PageSize, header: str) -> str:
    """Return the CSS of a brief: screen layout, then print rules (page size, margins, running header)."""
    k, roles = theme.base_font_size, theme.roles
    heading, text, muted = _colour(theme.heading_colour), _colour(theme.text_colour), _colour(theme.muted_colour)
    link, rule = _colour(theme.link_colour), _colour(theme.rule_colour)
    note, caveat, caveat_rule = _colour(theme.note_fill), _colour(theme.caveat_fill), _colour(theme.caveat_rule)
    head_fill, stripe = _colour(theme.table_header_fill), _colour(theme.table_stripe_fill)
    body = _fonts(theme.family_name())

    def em(points: float) -> str:
        return f"{points / 10.5:.3g}em"

    top, right, bottom, left = (f"{value:g}cm" for value in theme.margins_cm)
    labels = "\n".join(
        f".{label_class(kind)} {{ color: {_colour(colour, muted)}; }}" for kind, colour in theme.label_colours
    )
    running = roles["running"]
    small = f"font-family: {body}; font-size: {running.size:.2f}pt; color: {_colour(theme.colour(running.colour))};"
    top_center = f"  @top-center {{ content: {css_string(header)}; {small} }}\n" if header else ""
    return f"""\
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ font-family: {body}; font-size: {k:g}pt; line-height: {roles["body"].leading / roles["body"].size:.3g}; color: {text};
  background: #ffffff; max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }}
h1, h2, h3, h4, .title {{ font-family: {_fonts(theme.family_name(headings=True))}; }}
h1, .title {{ {_type(theme, "title")} }}
h2 {{ {_type(theme, "h1")} padding-bottom: 3pt; border-bottom: 0.6pt solid {rule}; }}
h3 {{ {_type(theme, "h2")} }}
h4 {{ {_type(theme, "h3")} }}
p {{ margin: 0 0 {_em(roles["body"], roles["body"].space_after)}; overflow-wrap: break-word; }}
a {{ color: {link}; overflow-wrap: anywhere; }}
a[href^="#"] {{ text-decoration: none; }}
a:focus-visible {{ outline: 2px solid {link}; outline-offset: 1px; }}
header {{ margin-bottom: {em(6)}; }}
.subtitle {{ {_type(theme, "subtitle")} }}
.meta {{ {_type(theme, "meta")} }}
h3.question, h4.question, .question {{ font-family: {body}; {_type(theme, "question")} }}
table > caption {{ caption-side: bottom; text-align: left; }}
.source {{ {_type(theme, "source")} padding-left: {em(18)}; text-indent: -{em(18)}; }}
.caption, figcaption {{ {_type(theme, "caption")} }}
.small {{ {_type(theme, "small")} }}
.bottom-line, .callout {{ background: {note}; border-left: 2.5pt solid {heading}; padding: 6pt 9pt 4pt; margin: 4pt 0 10pt; }}
.bottom-line {{ margin-top: {em(8)}; }}
.callout p {{ {_type(theme, "callout")} }}
.callout-caveat {{ background: {caveat}; border-left-color: {caveat_rule}; }}
.callout-disclaimer {{ background: none; border: 0.5pt solid {rule}; margin-top: {em(16)}; }}
.callout-disclaimer p {{ {_type(theme, "disclaimer")} }}
.label {{ {_type(theme, "label", block=False)} text-transform: uppercase; }}
{labels}
ul, ol {{ margin: 0 0 {em(6)}; padding-left: 1.6em; }}
li {{ margin-bottom: {_em(roles["list-item"], roles["list-item"].space_after)}; }}
li::marker {{ color: {heading}; }}
li.changed {{ position: relative; }}
li.changed::before {{ content: ""; position: absolute; left: -1.75em; top: 0.15em; bottom: 0.15em; border-left: 2px solid {heading}; }}
table {{ width: 100%; border-collapse: collapse; font-size: {roles["cell"].size / roles["body"].size:.3g}em; margin: 2pt 0 {em(6)};
  line-height: {roles["cell"].leading / roles["cell"].size:.3g};
  border-top: 0.8pt solid {heading}; border-bottom: 0.8pt solid {heading}; }}
th, td {{ text-align: left; vertical-align: top; padding: 3pt 5pt 4pt; border-bottom: 0.25pt solid {rule}; }}
thead th {{ background: {head_fill}; border-bottom: 0.8pt solid {heading}; }}
tbody th {{ font-weight: normal; }}
tbody tr:nth-child(even) {{ background: {stripe}; }}
.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: {em(6)} 0 0; }}
svg.chart {{ display: block; width: 100%; max-width: 15cm; height: auto; margin: 0 auto; font-family: {body}; }}
.logo {{ margin-bottom: 0.4cm; }}
.logo img {{ display: block; max-width: 100%; height: auto; }}
.logo-center img {{ margin: 0 auto; }}
.logo-right img {{ margin-left: auto; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
@page {{
  size: {page[0]:.2f}pt {page[1]:.2f}pt;
  margin: {top} {right} {bottom} {left};
{top_center}  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); {small} }}
}}
@media print {{
  html, body {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  body {{ max-width: none; margin: 0; padding: 0; }}
  h1, h2, h3, h4, .question {{ break-after: avoid; page-break-after: avoid; }}
  table, figure, tr, .callout, .bottom-line {{ break-inside: avoid; page-break-inside: avoid; }}
  thead {{ display: table-header-group; }}
  a {{ color: {link}; }}
}}
"""
