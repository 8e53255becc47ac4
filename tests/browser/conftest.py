import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, require

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session", autouse=True)
def _chromium_available():
    require(os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}")


@pytest.fixture
def axe_check():
    """Run axe-core in the page; fail on any violation of impact serious or critical."""
    require(AXE.exists(), "axe-core missing (npm ci)")

    def check(page):
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, "\n".join(bad)

    return check


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(email, password="geheim-genug-123"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()

    return log_in_as


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script: the pages' Content-Security-Policy would block it.
    return {**browser_context_args, "bypass_csp": True}
