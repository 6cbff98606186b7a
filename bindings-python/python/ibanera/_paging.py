"""Walking pages lazily, and rendering a page as a table (Jupyter, pandas)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ._ibanera import AsyncPage, Page

T = TypeVar("T")

#: Rows shown by ``_repr_html_`` before the table is cut.
HTML_ROWS = 50


def iter_sync(page: Page[T]) -> Iterator[T]:
    """Every item of ``page`` and of the pages after it; a page is fetched when reached."""
    current: Page[T] | None = page
    while current is not None:
        yield from current.items
        current = current.next_page()


async def iter_async(page: AsyncPage[T]) -> AsyncIterator[T]:
    """``iter_sync`` for ``AsyncPage``: ``async for item in page.auto_paging_iter()``."""
    current: AsyncPage[T] | None = page
    while current is not None:
        for item in current.items:
            yield item
        current = await current.next_page()


def _rows(page: Page[Any] | AsyncPage[Any]) -> list[dict[str, Any]]:
    return [item.to_dict() for item in page.items]


def to_pandas(page: Page[Any] | AsyncPage[Any]) -> Any:
    """The items as a ``pandas.DataFrame`` (money stays ``Decimal``: no binary float)."""
    try:
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Page.to_pandas() needs pandas, which the SDK does not install: pip install pandas"
        ) from e
    return pandas.DataFrame(_rows(page))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items() if v is not None)
    return str(value)


def repr_html(page: Page[Any] | AsyncPage[Any]) -> str:
    """An HTML table of the page's items (Jupyter's rendering of a page)."""
    rows = _rows(page)
    caption = html.escape(repr(page))
    if not rows:
        return f"<p><code>{caption}</code></p>"
    columns = list(rows[0])
    out = [f"<table><caption><code>{caption}</code></caption><thead><tr>"]
    out += [f"<th>{html.escape(c)}</th>" for c in columns]
    out.append("</tr></thead><tbody>")
    for row in rows[:HTML_ROWS]:
        out.append("<tr>")
        for c in columns:
            value = row.get(c)
            align = ' style="text-align:right"' if isinstance(value, (int, Decimal)) else ""
            out.append(f"<td{align}>{html.escape(_cell(value))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if len(rows) > HTML_ROWS:
        out.append(f"<p>... {len(rows) - HTML_ROWS} more rows (<code>to_pandas()</code>)</p>")
    return "".join(out)
