"""The README and the docstrings keep up with the package: every exception class, every
`Sandbox` member and fault kind, every pytest fixture and recovery helper is documented, and
the README's page-by-page idiom type-checks under `mypy --strict` and runs."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

import pytest

import ibanera
from ibanera import _sandbox, pytest_plugin

from conftest import ROOT, USD

README = (ROOT / "bindings-python" / "README.md").read_text()


def section(title: str) -> str:
    """The README's section `## title` (up to the next `## `)."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def public_members(cls: type) -> dict[str, Any]:
    return {n: v for n, v in vars(cls).items() if not n.startswith("_")}


def exception_classes() -> list[type[BaseException]]:
    found = []
    for name in ibanera.__all__:
        value = getattr(ibanera, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            found.append(value)
    return found


def test_every_exception_class_is_in_the_errors_section_and_the_module_doc() -> None:
    errors = section("Errors")
    classes = exception_classes()
    assert ibanera.SandboxError in classes and ibanera.RustError in classes
    for cls in classes:
        assert re.search(rf"`(ibanera\.)?{cls.__name__}[`(]", errors), cls.__name__
        if issubclass(cls, ibanera.IbaneraError):
            assert f"({cls.code}" in errors.replace("`", ""), cls.__name__
            assert cls.__name__ in (ibanera._errors.__doc__ or ""), cls.__name__
            assert cls.__doc__, cls.__name__
    assert "has_code(" in errors


def test_every_sandbox_member_is_documented_in_its_docstring_and_the_readme() -> None:
    readme = section("Sandbox and Totp")
    members = public_members(ibanera.Sandbox)
    assert "inject_fault" in members and "settle_transaction" in members
    for name, member in members.items():
        doc = (member.fget if isinstance(member, property) else member).__doc__
        assert doc and doc.strip(), f"Sandbox.{name} has no docstring"
        assert f"`{name}" in readme or f" {name}`" in readme or f"`{name}`" in readme, name
    # The docstring's "Keyword arguments" list: `name:` or `name, other:` lines.
    listed = re.findall(r"^ {8}([a-z_, ]+):", ibanera.Sandbox.__doc__ or "", re.M)
    documented = {n.strip() for line in listed for n in line.split(",")}
    for name in inspect.signature(ibanera.Sandbox).parameters:
        assert f"`{name}`" in readme, f"Sandbox({name}=) is not in the README"
        assert name in documented, f"Sandbox({name}=) is not in the docstring"


def test_every_fault_kind_and_setting_is_documented() -> None:
    readme = section("Sandbox and Totp")
    doc = ibanera.Sandbox.inject_fault.__doc__ or ""
    literal = {k for group in typing.get_args(_sandbox.FaultKind) for k in typing.get_args(group)}
    for kind in _sandbox.FAULT_KINDS:
        assert kind in literal, kind
        assert f"| `{kind}`" in readme, kind
        assert f"``{kind}``" in doc, kind
        camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), kind)
        assert camel in literal, camel
    settings = [
        p.name
        for p in inspect.signature(ibanera.Sandbox.inject_fault).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    for name in settings:
        assert f"{name}=" in readme, name
        assert f"``{name}``" in doc, name


def test_the_pytest_fixtures_and_the_mocking_note_are_in_testing_your_code() -> None:
    readme = section("Testing your code")
    fixtures = [n for n in pytest_plugin.__all__ if n.startswith("ibanera_")]
    assert len(fixtures) == 3
    for name in fixtures:
        assert f"| `{name}` |" in readme, name
        assert name in (pytest_plugin.__doc__ or "")
    for library in ("respx", "responses", "pytest-httpx"):
        assert library in readme and library in (pytest_plugin.__doc__ or "")
    assert f"@pytest.mark.{pytest_plugin.MARKER}(" in readme
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '[project.entry-points.pytest11]\nibanera = "ibanera.pytest_plugin"' in pyproject


def test_the_recovery_helpers_and_their_arguments_are_in_failures_and_retries() -> None:
    readme = section("Failures and retries")
    per_call = {"timeout", "max_retries", "attempt_timeout", "max_response_bytes"}
    for name, method in public_members(ibanera.Recovery).items():
        assert method.__doc__, name
        assert f"`{name}(" in readme, name
        sync = inspect.signature(method).parameters
        assert list(sync) == list(
            inspect.signature(getattr(ibanera.AsyncRecovery, name)).parameters
        )
        for param in set(sync) - per_call - {"self"}:
            assert f"{param}=" in readme, f"{name}({param}=)"


def test_the_readme_says_what_to_pandas_converts() -> None:
    results = section("Results")
    assert "to_pandas()" in results and "this page only" in results
    assert "all_pages=True" in results


def paging_idiom() -> str:
    results = section("Results")
    blocks = re.findall(r"```python\n(.*?)```", results, re.S)
    (block,) = [b for b in blocks if "while page is not None" in b]
    return block


def idiom_module(block: str) -> str:
    return (
        "from __future__ import annotations\n\nimport ibanera\n\n\n"
        "async def idiom(client: ibanera.Client, aclient: ibanera.AsyncClient) -> None:\n"
        + textwrap.indent(block, "    ")
    )


def test_the_readme_paging_idiom_type_checks(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    source = tmp_path / "idiom.py"
    source.write_text(idiom_module(paging_idiom()))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_the_readme_paging_idiom_walks_every_page_once(
    sandbox: ibanera.Sandbox,
    client: ibanera.Client,
    aclient: ibanera.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox.seed_transactions(USD, 250)
    expected = client.accounts.transactions(accounts_id=USD, page_size=100).number_of_pages
    assert expected is not None and expected >= 3
    block = paging_idiom().replace("accounts_id=1057", f"accounts_id={USD}")
    namespace: dict[str, Any] = {}
    exec(compile(idiom_module(block), "README idiom", "exec"), namespace)
    await namespace["idiom"](client, aclient)
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"page {n} of {expected}" for n in range(1, expected + 1)]
