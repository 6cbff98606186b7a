"""The pytest plugin (`ibanera.pytest_plugin`, entry point `pytest11: ibanera`): a user's test
file gets its fixtures from the installed package alone. Each run is a separate `pytest`
process in a directory of its own, with no conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ibanera

SAMPLE = Path(__file__).parent / "plugin_user" / "test_with_fixtures.py"
FIXTURES = ("ibanera_sandbox", "ibanera_client", "ibanera_async_client")
# A fresh pytest process imports the SDK and starts a sandbox per test: generous for a busy
# 2-core machine (this is an "it finishes" bound, not a timing).
RUN_TIMEOUT = 600


@pytest.fixture
def clean(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # Entry points must load as they do on a user's machine.
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.delenv("PYTEST_PLUGINS", raising=False)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=RUN_TIMEOUT)


def sample_tests() -> list[str]:
    return re.findall(r"^(?:async )?def (test_\w+)", SAMPLE.read_text(), re.M)


def test_the_sample_user_file_passes_with_fixtures_from_the_installed_package(
    clean: pytest.Pytester,
) -> None:
    clean.makepyfile(test_with_fixtures=SAMPLE.read_text())
    assert not list(clean.path.glob("conftest.py"))
    result = run(clean, "-v")
    result.assert_outcomes(passed=len(sample_tests()))
    # pytest names the plugins it loaded from entry points by distribution and version.
    result.stdout.fnmatch_lines([f"plugins: *ibanera-{ibanera.__version__}*"])


def test_without_the_plugin_the_fixtures_do_not_exist(clean: pytest.Pytester) -> None:
    """`-p no:ibanera` removes them: they come from the entry point named `ibanera`."""
    clean.makepyfile(test_with_fixtures=SAMPLE.read_text())
    result = run(clean, "-p", "no:ibanera")
    result.assert_outcomes(errors=len(sample_tests()))
    result.stdout.fnmatch_lines(["*fixture 'ibanera_*' not found*"])


def test_every_test_gets_a_fresh_sandbox_that_is_stopped_after_it(
    clean: pytest.Pytester,
) -> None:
    clean.makepyfile(
        """
        import ibanera

        seen = []

        def test_first(ibanera_sandbox, ibanera_client):
            seen.append((ibanera_sandbox, ibanera_client.accounts.get(1055).available_balance))
            ibanera_sandbox.credit_deposit(1055, 100)
            ibanera_sandbox.set_price("BTC/USDC", 1)
            assert ibanera_client.base_url == ibanera_sandbox.base_url

        def test_second(ibanera_sandbox, ibanera_client, ibanera_async_client):
            first, balance = seen[0]
            assert not first.running
            assert ibanera_sandbox is not first and ibanera_sandbox.running
            assert str(ibanera_client.accounts.get(1055).available_balance) == str(balance)
            assert str(ibanera_sandbox.price("BTC/USDC")) != "1"
            assert isinstance(ibanera_async_client, ibanera.AsyncClient)
            assert ibanera_async_client.base_url == ibanera_sandbox.base_url
        """
    )
    run(clean).assert_outcomes(passed=2)


def test_markers_configure_the_sandbox_closest_first(clean: pytest.Pytester) -> None:
    clean.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.ibanera_sandbox(token_ttl=5, strict_otp=True)

        def test_module_settings(ibanera_sandbox):
            assert ibanera_sandbox.token_ttl == 5.0 and ibanera_sandbox.strict_otp

        @pytest.mark.ibanera_sandbox(token_ttl=2)
        def test_the_test_s_marker_wins(ibanera_sandbox):
            assert ibanera_sandbox.token_ttl == 2.0 and ibanera_sandbox.strict_otp

        @pytest.mark.ibanera_sandbox("positional")
        def test_positional_arguments_are_refused(ibanera_sandbox):
            pass
        """
    )
    result = run(clean, "--strict-markers")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*takes keyword arguments only*"])


def test_the_plugin_documents_its_fixtures(clean: pytest.Pytester) -> None:
    result = run(clean, "--fixtures")
    for name in FIXTURES:
        result.stdout.fnmatch_lines([f"{name}*", "*ibanera.*"])
    assert "ibanera_sandbox(**settings)" in run(clean, "--markers").stdout.str()
