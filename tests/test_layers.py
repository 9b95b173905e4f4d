"""The layer contracts in pyproject.toml hold, and they do catch an import against them.

``make test`` runs ``lint-imports`` on the repository; here the same contracts are also checked on
a copy of the packages with one import planted against them, so a contract that silently stopped
checking anything (a renamed package, a typo in a layer) fails the suite.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ui", "evals", "assistant", "tools", "knowledge", "base")
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    for name in PACKAGES:
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "samples", "datasets", "kbs"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def test_repository_keeps_every_contract() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and " 0 broken" in done.stdout


@pytest.mark.parametrize(("module", "planted", "contract"), [
    ("assistant/_planted.py", "from ui import cli\n", "layers"),
    ("assistant/_planted.py", "import evals.cli\n", "layers"),
    ("base/_planted.py", "import tools.money\n", "layers"),
    ("tools/_planted.py", "from knowledge import text\n", "know nothing of each other"),
    ("tools/_planted_a.py", "def f():\n    from tools import _planted_b\n", "no import cycles"),
])
def test_a_planted_import_breaks_its_contract(package_copy: Path, module: str, planted: str, contract: str) -> None:
    target = package_copy / module
    extra = package_copy / "tools" / "_planted_b.py"
    target.write_text(planted, encoding="utf-8")
    if module.endswith("_planted_a.py"):  # the other half of the cycle, hidden inside a function too
        extra.write_text("def g():\n    from tools import _planted_a\n", encoding="utf-8")
    try:
        done = _lint(package_copy)
    finally:
        target.unlink()
        extra.unlink(missing_ok=True)
    assert done.returncode != 0, done.stdout
    broken = [line for line in done.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(contract in line for line in broken), done.stdout
