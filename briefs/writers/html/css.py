"""The stylesheet of an HTML brief, made from the theme so the page looks like the PDF of the same brief.

Sizes are the PDF's paragraph styles (`pdf.styles`) as multiples of the base size; colours are the
theme's. Every value taken from a theme or a document is checked or escaped before it enters the
CSS (colours must be hex, font names and the running header are CSS strings), so nothing can
close the `<style>` element or add rules.
"""

from __future__ import annotations

import re

from .. import PageSize
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


CJK_CSS = """\
:lang(ja) {{ font-family: "IPAexGothic", "IPAPGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; }}
:lang(zh-Hans), :lang(zh-CN), :lang(zh-SG) {{ font-family: "Noto Sans CJK SC", "Droid Sans Fallback", sans-serif; }}
:lang(zh-Hant), :lang(zh-TW), :lang(zh-HK) {{ font-family: "Noto Sans CJK TC", "Droid Sans Fallback", sans-serif; }}
:lang(ko) {{ font-family: "NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", sans-serif; }}
:lang(ja) em, :lang(zh) em, :lang(ko) em {{ font-style: normal; font-weight: bold; }}
""".replace("{{", "{").replace("}}", "}")
"""Typefaces by language, most specific first, and emphasis in bold: CJK has no italic, and a slanted CJK face is fake."""


def _fonts(name: str) -> str:
    first = () if name == BUILTIN_FAMILY else (css_string(name),)
    return ", ".join((*first, *_FALLBACK))


def stylesheet(theme: Theme, page: PageSize, header: str) -> str:
    """Return the CSS of a brief: screen layout, then print rules (page size, margins, running header)."""
    k = theme.base_font_size
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
    small = f"font-family: {body}; font-size: {k * 8.5 / 10.5:.2f}pt; color: {muted};"
    running = f"  @top-center {{ content: {css_string(header)}; {small} }}\n" if header else ""
    return f"""\
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; line-break: strict; }}
{CJK_CSS}body {{ font-family: {body}; font-size: {k:g}pt; line-height: 1.4; color: {text};
  background: #ffffff; max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }}
h1, h2, h3, h4, .title {{ font-family: {_fonts(theme.family_name(headings=True))}; color: {heading}; line-height: 1.2; }}
h1, .title {{ font-size: {em(20)}; font-weight: bold; margin: 0 0 {em(4)}; }}
h2 {{ font-size: {em(13.5)}; margin: {em(20)} 0 {em(8)}; padding-bottom: 3pt; border-bottom: 0.6pt solid {rule}; }}
h3 {{ font-size: {em(11)}; margin: {em(12)} 0 {em(3)}; }}
h4 {{ font-size: 1em; font-style: italic; color: {text}; margin: {em(8)} 0 {em(2)}; }}
p {{ margin: 0 0 {em(6)}; overflow-wrap: break-word; }}
a {{ color: {link}; overflow-wrap: anywhere; }}
a[href^="#"] {{ text-decoration: none; }}
a:focus-visible {{ outline: 2px solid {link}; outline-offset: 1px; }}
header {{ margin-bottom: {em(6)}; }}
.subtitle {{ font-size: {em(12)}; color: {muted}; margin-bottom: {em(6)}; }}
.meta {{ font-size: {em(9.5)}; font-style: italic; color: {muted}; margin-bottom: {em(10)}; }}
h3.question, h4.question, .question {{ font-family: {body}; font-size: 1em; font-style: normal; font-weight: bold;
  color: {text}; line-height: 1.4; margin: {em(8)} 0 {em(2)}; }}
table > caption {{ caption-side: bottom; text-align: left; }}
.source {{ font-size: {em(9.5)}; padding-left: {em(18)}; text-indent: -{em(18)}; margin-bottom: {em(3)}; }}
.caption, figcaption {{ font-size: {em(9)}; font-style: italic; color: {muted}; margin: {em(3)} 0 {em(10)}; }}
.small {{ font-size: {em(9)}; color: {muted}; }}
.bottom-line, .callout {{ background: {note}; border-left: 2.5pt solid {heading}; padding: 6pt 9pt 4pt; margin: 4pt 0 10pt; }}
.bottom-line {{ margin-top: {em(8)}; }}
.callout p {{ font-size: {em(10)}; margin-bottom: {em(3)}; }}
.callout-caveat {{ background: {caveat}; border-left-color: {caveat_rule}; }}
.callout-disclaimer {{ background: none; border: 0.5pt solid {rule}; margin-top: {em(16)}; }}
.callout-disclaimer p {{ font-size: {em(8.5)}; color: {muted}; margin-bottom: {em(2)}; }}
.label {{ font-size: 0.86em; font-weight: bold; text-transform: uppercase; color: {muted}; }}
{labels}
ul, ol {{ margin: 0 0 {em(6)}; padding-left: 1.6em; }}
li {{ margin-bottom: {em(2)}; }}
li::marker {{ color: {heading}; }}
li.changed {{ position: relative; }}
li.changed::before {{ content: ""; position: absolute; left: -1.75em; top: 0.15em; bottom: 0.15em; border-left: 2px solid {heading}; }}
table {{ width: 100%; border-collapse: collapse; font-size: {em(9.5)}; margin: 2pt 0 {em(6)}; line-height: 1.3;
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
{running}  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); {small} }}
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
