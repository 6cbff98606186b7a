"""Enum arguments are typed as the enum class or a ``Literal`` of its documented values: a
misspelt value (``exchange_type="Biy"``) fails ``mypy --strict`` naming the argument, every
documented spelling passes. (The run time still takes any case: test_decimals_and_inputs.)

The calls checked are built from the package itself: every method of every area (sync and
async) and the recovery helpers, every parameter whose annotation names an enum class."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import ibanera
from ibanera import _enums, _resources

#: A value of each other type a required parameter has, as source text.
SAMPLES = {
    "int": "1",
    "str": '"BTC/USDC"',
    "Money": '"1"',
    "DateLike": '"2024-01-01"',
    "Mapping[str, Any]": "{}",
    "Union[int, str]": "1",
}

ENUMS = {
    name: cls
    for name, cls in vars(_enums).items()
    if isinstance(cls, type) and issubclass(cls, _enums._WireEnum) and cls.KNOWN
}


class Method(NamedTuple):
    attribute: str  # `client.<attribute>.<name>`
    name: str
    is_async: bool
    signature: inspect.Signature


class EnumArg(NamedTuple):
    method: Method
    param: str
    enum: str


def methods() -> list[Method]:
    holders: list[tuple[str, type[Any]]] = []
    for base in (_resources._Areas, _resources._AsyncAreas):
        for area in _resources.AREAS:
            holders.append((area, getattr(_resources, base.__annotations__[area])))
    holders += [("recovery", ibanera.Recovery), ("recovery", ibanera.AsyncRecovery)]
    out = []
    for attribute, cls in holders:
        for name, fn in vars(cls).items():
            if not name.startswith("_") and callable(fn):
                signature = inspect.signature(fn)
                out.append(Method(attribute, name, inspect.iscoroutinefunction(fn), signature))
    return out


def enum_of(annotation: Any) -> str | None:
    """The enum class an annotation names, if any (``Union[ExchangeType, ...] | None``)."""
    named = set(re.findall(r"\w+", str(annotation)))
    found = [name for name in ENUMS if name in named]
    assert len(found) <= 1, annotation
    return found[0] if found else None


def enum_args() -> list[EnumArg]:
    return [
        EnumArg(m, p.name, enum)
        for m in methods()
        for p in m.signature.parameters.values()
        if (enum := enum_of(p.annotation)) is not None
    ]


def call(m: Method, given: dict[str, str]) -> str:
    """Source text of a call of `m` with the required arguments filled in, then `given`."""
    args = dict(given)
    for p in m.signature.parameters.values():
        annotation = str(p.annotation)
        if p.kind is inspect.Parameter.POSITIONAL_ONLY:
            # The id an overloaded method takes positionally or by name: given by name.
            name, annotation = p.name.lstrip("_"), annotation.removesuffix(" | None")
        elif p.name != "self" and p.default is inspect.Parameter.empty:
            name = p.name
        else:
            continue
        if name in args:
            continue
        enum = enum_of(annotation)
        if enum is not None:
            args[name] = repr(ENUMS[enum].KNOWN[0])
        else:
            assert annotation in SAMPLES, f"no sample for {annotation} ({m.name}.{name})"
            args[name] = SAMPLES[annotation]
    client = "aclient" if m.is_async else "client"
    text = f"{client}.{m.attribute}.{m.name}({', '.join(f'{k}={v}' for k, v in args.items())})"
    return f"await {text}" if m.is_async else text


def module(calls: list[str]) -> str:
    body = "".join(f"    {c}\n" for c in calls)
    return (
        "import ibanera\n\n\n"
        "async def calls(client: ibanera.Client, aclient: ibanera.AsyncClient) -> None:\n" + body
    )


def mypy(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=files[0].parent,
    )


def test_every_enum_argument_is_the_class_or_a_literal_of_its_documented_values() -> None:
    found = enum_args()
    where = {(a.method.attribute, a.method.name, a.param) for a in found}
    assert ("exchanges", "quote", "exchange_type") in where
    assert ("recovery", "find_exchanges", "exchange_type") in where
    for a in found:
        # The alias the annotation names is the class's documented values, in order.
        literal = getattr(_enums, f"{a.enum}Literal")
        values = tuple(v for one in typing.get_args(literal) for v in typing.get_args(one))
        assert values == ENUMS[a.enum].KNOWN, a
        annotation = str(a.method.signature.parameters[a.param].annotation)
        assert annotation.startswith(f"Union[{a.enum}, {a.enum}Literal]"), a
        assert f"{a.enum}Literal" in ibanera.__all__, a.enum


def test_a_misspelt_enum_value_fails_mypy_strict_and_documented_ones_pass(
    tmp_path: Path,
) -> None:
    pytest.importorskip("mypy")
    good: list[str] = []
    bad: list[tuple[EnumArg, str]] = []
    for a in enum_args():
        cls = ENUMS[a.enum]
        values = [repr(v) for v in cls.KNOWN]
        member = next(n for n, v in vars(cls).items() if n.isupper() and v == cls.KNOWN[0])
        for value in [*values, f"ibanera.{a.enum}.{member}"]:
            good.append(call(a.method, {a.param: value}))
        # A typo of the first value (`"Buy"` -> `"Biy"`), and a case the types do not list.
        first = cls.KNOWN[0]
        for wrong in (first[0] + "i" + first[2:], first.swapcase()):
            if wrong not in cls.KNOWN:
                bad.append((a, call(a.method, {a.param: repr(wrong)})))
    assert bad
    good_file, bad_file = tmp_path / "good.py", tmp_path / "bad.py"
    good_file.write_text(module(good))
    bad_file.write_text(module([c for _, c in bad]))
    result = mypy(good_file, bad_file)
    assert result.returncode != 0, result.stdout
    assert "good.py:" not in result.stdout, result.stdout
    for line_no, (a, text) in enumerate(bad, start=5):
        # The error at the call's line (and its notes, for an overloaded method) names the
        # argument that is wrong.
        at_line = [x for x in result.stdout.splitlines() if x.startswith(f"bad.py:{line_no}:")]
        assert any(": error:" in x for x in at_line), (text, result.stdout)
        assert any(f'"{a.param}"' in x or f"{a.param}:" in x for x in at_line), (text, at_line)
    errors = [x for x in result.stdout.splitlines() if ": error:" in x]
    assert len(errors) == len(bad), result.stdout


def test_exchange_type_biy_fails_mypy_naming_the_argument(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    source = tmp_path / "example.py"
    quote = "client.exchanges.quote(customers_id=1, asset_pair='BTC/USDC', quantity_type='Amount'"
    source.write_text(
        "import ibanera\n\n\n"
        "def buy(client: ibanera.Client) -> None:\n"
        f"    {quote}, exchange_type='Buy', amount='1')\n"
        # The alias, for a value chosen at run time.
        "    side: ibanera.ExchangeTypeLiteral = 'Sell'\n"
        f"    {quote}, exchange_type=side, amount='1')\n"
        f"    {quote}, exchange_type='Biy', amount='1')  # line 8\n"
    )
    result = mypy(source)
    assert result.returncode != 0
    (error,) = [x for x in result.stdout.splitlines() if ": error:" in x]
    assert error.startswith("example.py:8:") and '"exchange_type"' in error, result.stdout
    assert "Literal['Buy', 'Sell']" in error, error


def test_exports_return_the_dataframe_types_and_money_is_a_literal(tmp_path: Path) -> None:
    """pandas-stubs users get ``pandas.DataFrame`` from ``to_pandas()`` (polars is typed by
    itself); a misspelt ``money=`` fails the check."""
    pytest.importorskip("mypy")
    pytest.importorskip("polars")
    try:
        importlib.metadata.version("pandas-stubs")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pandas-stubs is not installed")
    source = tmp_path / "frames.py"
    source.write_text(
        "import ibanera\n\n\n"
        "def frames(page: ibanera.Page[ibanera.Transaction]) -> None:\n"
        "    reveal_type(page.to_pandas(all_pages=True))\n"
        "    reveal_type(page.to_polars())\n"
        "    page.to_pandas(money='decimal').amount.sum()\n"
        "    page.to_pandas(money='decimals')  # line 8\n"
    )
    result = mypy(source)
    lines = result.stdout.splitlines()
    notes = [x for x in lines if "Revealed type" in x]
    assert len(notes) == 2, result.stdout
    assert notes[0].startswith("frames.py:5:") and "pandas.core.frame.DataFrame" in notes[0]
    assert notes[1].startswith("frames.py:6:") and "polars.dataframe.frame.DataFrame" in notes[1]
    (error,) = [x for x in lines if ": error:" in x]
    assert error.startswith("frames.py:8:") and '"money"' in error, result.stdout
