"""The layers of app/ are checked by import-linter (the contracts in pyproject.toml), and
the check can fail: a copy of the code in which core imports a feature is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own lint-imports on a copy of our code
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_for_the_code_as_it_is(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_core_importing_a_feature_breaks_the_contract(tmp_path):
    project = _copy(tmp_path)
    text = project / "app" / "core" / "text.py"
    text.write_text(text.read_text() + "\nfrom app.schools import models  # noqa: E402, F401\n")
    result = _lint(project)
    assert result.returncode != 0
    assert "app.core is not allowed to import app.schools" in result.stdout


def test_operations_importing_their_views_breaks_the_layers(tmp_path):
    project = _copy(tmp_path)
    operations = project / "app" / "activities" / "operations.py"
    operations.write_text(
        operations.read_text() + "\nfrom app.activities.views import routes  # noqa: E402\n"
    )
    result = _lint(project)
    assert result.returncode != 0
    assert "app.activities.operations is not allowed to import app.activities.views" in (
        result.stdout.replace("\n", " ")
    )
