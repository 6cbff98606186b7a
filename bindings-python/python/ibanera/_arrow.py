"""Pages as Arrow tables, pandas and polars DataFrames (the optional ``arrow`` extra).

The columns come from the Rust core (``Page._arrow_collect``): ids ``int64``, money
``decimal128(38, 18)`` (exact), timestamps ``timestamp[us, UTC]``, enums dictionary-encoded,
named like the models' attributes. pyarrow, pandas and polars are not dependencies of the SDK:
``pip install 'ibanera[arrow]'`` installs them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._display import money_text

if TYPE_CHECKING:
    from ._ibanera import AsyncPage, Page

#: What to ``pip install`` for the exports.
EXTRA = "pip install 'ibanera[arrow]'"


def _missing(what: str, package: str) -> ImportError:
    return ImportError(
        f"{what} needs {package}, which the SDK does not install by itself: {EXTRA} "
        f"(or pip install {package})"
    )


def _pyarrow(what: str) -> Any:
    try:
        import pyarrow  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as e:
        raise _missing(what, "pyarrow") from e
    return pyarrow


def _pandas(what: str) -> Any:
    try:
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as e:
        raise _missing(what, "pandas") from e
    return pandas


def _polars(what: str) -> Any:
    try:
        import polars  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as e:
        raise _missing(what, "polars") from e
    return polars


def to_arrow(page: Page[Any] | AsyncPage[Any], all_pages: bool = False) -> Any:
    """This page (``all_pages``: and every page after it) as a ``pyarrow.Table``."""
    pa = _pyarrow("Page.to_arrow()")
    return pa.table(page._arrow_collect(all_pages))


_MONEY_DTYPE: dict[str, Any] = {}


def money_dtype() -> Any:
    """``pandas.ArrowDtype(pyarrow.decimal128(38, 18))`` whose cells show as plain decimals.

    A subclass of ``pandas.ArrowDtype`` equal to ``ArrowDtype(decimal128(38, 18))``: the
    values, arithmetic and ``dtype ==`` comparisons are pandas' own; only the display changes
    (``1.5`` and ``0`` instead of ``1.500000000000000000`` and ``0E-18``).
    """
    cached = _MONEY_DTYPE.get("dtype")
    if cached is not None:
        return cached
    pd = _pandas("money_dtype()")
    pa = _pyarrow("money_dtype()")
    arrays: Any = __import__("pandas.core.arrays.arrow", fromlist=["ArrowExtensionArray"])
    array_base: Any = arrays.ArrowExtensionArray
    dtype_base: Any = pd.ArrowDtype

    def cell(value: Any) -> str:
        return money_text(value) if isinstance(value, Decimal) else str(value)

    # Decimal cells without trailing zeros; the data is the Arrow array, unchanged. (Classes
    # built with `type`: they need pandas, which is imported only here.)
    def formatter(self: Any, boxed: bool = False) -> Any:
        return cell if boxed else repr

    money_array = type(
        "MoneyArray", (array_base,), {"_formatter": formatter, "__module__": __name__}
    )

    def construct_array_type(self: Any) -> Any:
        return money_array

    def eq(self: Any, other: object) -> bool:
        if isinstance(other, dtype_base):
            return bool(self.pyarrow_dtype == other.pyarrow_dtype)
        return bool(dtype_base.__eq__(self, other))

    def hash_(self: Any) -> int:
        return hash(self.pyarrow_dtype)

    money_dtype_class = type(
        "MoneyDtype",
        (dtype_base,),
        {
            "__doc__": "``ArrowDtype(decimal128(38, 18))`` shown as plain decimals.",
            "construct_array_type": construct_array_type,
            "__eq__": eq,
            "__hash__": hash_,
            "__module__": __name__,
        },
    )
    dtype = money_dtype_class(pa.decimal128(38, 18))
    # Module attributes under their own names, so a pickled DataFrame finds them again.
    globals().update(MoneyArray=money_array, MoneyDtype=money_dtype_class)
    _MONEY_DTYPE["dtype"] = dtype
    return dtype


def __getattr__(name: str) -> Any:
    # `MoneyArray` / `MoneyDtype` exist once pandas is imported (unpickling asks for them).
    if name in ("MoneyArray", "MoneyDtype"):
        money_dtype()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_pandas(
    page: Page[Any] | AsyncPage[Any], all_pages: bool = False, money: str = "arrow"
) -> Any:
    """This page (``all_pages``: and every page after it) as a ``pandas.DataFrame``.

    Money stays exact: ``money="arrow"`` (the default) keeps the Arrow ``decimal128(38, 18)``
    column (a ``pandas.ArrowDtype``; sums and comparisons stay exact), ``money="decimal"``
    gives ``decimal.Decimal`` objects (``object`` columns, as the models' attributes). Ids are
    nullable integers (``Int64``: an absent id is ``<NA>``, never ``NaN`` or ``10009.0``),
    timestamps ``datetime64[us, UTC]``, enums categorical, flags ``bool``.
    """
    if money not in ("arrow", "decimal"):
        raise ValueError(f"money must be 'arrow' or 'decimal', got {money!r}")
    pd = _pandas("Page.to_pandas()")
    pa = _pyarrow("Page.to_pandas()")
    table = to_arrow(page, all_pages)
    money_type = pa.decimal128(38, 18)
    mapping: dict[Any, Any] = {pa.int64(): pd.Int64Dtype()}
    if money == "arrow":
        mapping[money_type] = money_dtype()
    frame = table.to_pandas(types_mapper=mapping.get)
    if money == "decimal":
        for field in table.schema:
            if field.type == money_type:
                frame[field.name] = pd.Series(
                    [
                        None if d is None else _plain(d)
                        for d in table.column(field.name).to_pylist()
                    ],
                    dtype=object,
                    index=frame.index,
                )
    return frame


def _plain(d: Decimal) -> Decimal:
    """The same value without trailing zeros and never in exponent form (``0``, not ``0E-18``)."""
    return Decimal(money_text(d))


def to_polars(page: Page[Any] | AsyncPage[Any], all_pages: bool = False) -> Any:
    """This page (``all_pages``: and every page after it) as a ``polars.DataFrame``.

    Money is ``Decimal(38, 18)``, ids ``Int64`` (nulls stay nulls), timestamps
    ``Datetime("us", "UTC")``, enums ``Categorical``. Polars reads the columns through the Arrow
    PyCapsule interface: pyarrow is not needed.
    """
    pl = _polars("Page.to_polars()")
    return pl.DataFrame(page._arrow_collect(all_pages))
