"""Walking pages lazily (tables and DataFrames: ``_display.py``, ``_arrow.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ._ibanera import AsyncPage, Page

T = TypeVar("T")


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
