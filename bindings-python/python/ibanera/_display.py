"""How pages and models look in a notebook (``_repr_html_``): money without trailing zeros,
aligned on the decimal point; compact UTC timestamps; a model as a field/value table; raw JSON
blobs left out. The values themselves are untouched (``repr`` keeps every digit).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

#: Rows shown by a page's table before it is cut.
HTML_ROWS = 50

#: Fields holding the JSON a model was read from, kept for reference and not shown in tables.
RAW_FIELDS = frozenset({"raw"})

# A figure space is as wide as a digit and a punctuation space as wide as '.', in fonts with
# tabular figures: padding with them lines decimal points up in a right-aligned column.
_FIGURE = "\u2007"
_POINT = "\u2008"
_NUMERIC = "text-align:right;font-variant-numeric:tabular-nums;white-space:pre"
_LEFT = "text-align:left"
#: How a missing value shows in a model's table (an empty cell reads as a rendering fault).
_NONE = '<td style="text-align:left;color:#999">\u2014</td>'


def money_text(d: Decimal) -> str:
    """Fixed-point text of ``d`` without trailing zeros: ``1.5``, ``100``, ``0``, ``-0.000001``."""
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return text


def timestamp_text(t: datetime) -> str:
    """``2024-09-10 03:58:40`` in UTC (seconds; the full value is in the cell's title)."""
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def _aligned(values: Sequence[Decimal | None]) -> list[str]:
    """Money texts padded on the right so their decimal points line up."""
    texts = [None if v is None else money_text(v) for v in values]
    places = max(
        (len(t.split(".")[1]) if "." in t else 0 for t in texts if t is not None), default=0
    )
    out = []
    for t in texts:
        if t is None:
            out.append("")
            continue
        have = len(t.split(".")[1]) if "." in t else None
        if places == 0:
            out.append(t)
        elif have is None:
            out.append(t + _POINT + _FIGURE * places)
        else:
            out.append(t + _FIGURE * (places - have))
    return out


def _plain_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, datetime):
        return timestamp_text(value)
    if isinstance(value, dict):
        return ", ".join(
            f"{k}={_plain_cell(v)}"
            for k, v in value.items()
            if v is not None and k not in RAW_FIELDS
        )
    if isinstance(value, list):
        return ", ".join(_plain_cell(v) for v in value)
    return str(value)


def _td(text: str, *, numeric: bool = False, title: str | None = None, left: bool = False) -> str:
    attrs = f' style="{_NUMERIC}"' if numeric else (f' style="{_LEFT}"' if left else "")
    if title:
        attrs += f' title="{html.escape(title)}"'
    return f"<td{attrs}>{html.escape(text)}</td>"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, Decimal)) and not isinstance(v, bool)


def _column(rows: Sequence[dict[str, Any]], name: str) -> tuple[bool, list[str]]:
    """Whether the column is numeric (right-aligned), and its cells."""
    values = [row.get(name) for row in rows]
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, Decimal) for v in present):
        return True, [_td(t, numeric=True) for t in _aligned(values)]
    numeric = bool(present) and all(_is_number(v) for v in present)
    cells = []
    for v in values:
        if isinstance(v, datetime):
            cells.append(_td(timestamp_text(v), title=v.isoformat(), left=True))
        else:
            cells.append(_td(_plain_cell(v), numeric=numeric, left=not numeric))
    return numeric, cells


def table_html(rows: Sequence[dict[str, Any]], caption: str, more: int = 0) -> str:
    """A table of ``rows`` (dicts of one model): one column per field but raw JSON."""
    if not rows:
        return f"<p><code>{html.escape(caption)}</code> (no items)</p>"
    names = [n for n in rows[0] if n not in RAW_FIELDS]
    columns = [_column(rows, n) for n in names]
    out = [f"<table><caption><code>{html.escape(caption)}</code></caption><thead><tr>"]
    for name, (numeric, _) in zip(names, columns):
        align = "right" if numeric else "left"
        out.append(f'<th style="text-align:{align}">{html.escape(name)}</th>')
    out.append("</tr></thead><tbody>")
    for i in range(len(rows)):
        out.append("<tr>" + "".join(cells[i] for _, cells in columns) + "</tr>")
    out.append("</tbody></table>")
    if more:
        out.append(
            f"<p>... {more} more rows (<code>to_pandas()</code> or <code>to_arrow()</code>"
            " for all of them)</p>"
        )
    return "".join(out)


def page_html(page: Any) -> str:
    """A page as a table of its items (Jupyter's rendering of a page)."""
    items = list(page.items)
    rows = [item.to_dict() for item in items[:HTML_ROWS]]
    return table_html(rows, repr(page), more=max(0, len(items) - HTML_ROWS))


def _fields(prefix: str, d: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    for k, v in d.items():
        if k in RAW_FIELDS:
            continue
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from _fields(f"{name}.", v)
        else:
            yield name, v


def model_html(model: Any) -> str:
    """One model as a two-column field/value table; nested objects as ``a.b`` rows. Values
    are left-aligned (one column of different fields has no decimal point to line up)."""
    fields = list(_fields("", model.to_dict()))
    out = [
        f"<table><caption><code>{html.escape(type(model).__name__)}</code></caption>"
        f'<thead><tr><th style="{_LEFT}">field</th><th style="{_LEFT}">value</th></tr></thead>'
        "<tbody>"
    ]
    for name, value in fields:
        if value is None:
            cell = _NONE
        elif isinstance(value, datetime):
            cell = _td(timestamp_text(value), title=value.isoformat(), left=True)
        else:
            cell = _td(_plain_cell(value), left=True)
        out.append(f'<tr><th style="{_LEFT}">{html.escape(name)}</th>{cell}</tr>')
    out.append("</tbody></table>")
    return "".join(out)
