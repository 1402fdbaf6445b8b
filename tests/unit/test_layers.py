"""The layer contracts hold for the workbench, and really catch a violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["domain", "store", "rules", "screening", "documents", "export", "services", "ui", "cli"]


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_workbench_keeps_its_layers() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def _fake_tree(tmp_path: Path, offender: str, line: str) -> Path:
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    root = tmp_path / "workbench"
    for package in PACKAGES:
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / offender / "bad.py").write_text(line + "\n")
    for external in ("PySide6", "sqlalchemy", "alembic"):
        (tmp_path / external).mkdir()
        (tmp_path / external / "__init__.py").write_text("")
    return tmp_path


def test_domain_importing_services_is_caught(tmp_path: Path) -> None:
    result = _lint(_fake_tree(tmp_path, "domain", "import workbench.services"))
    assert result.returncode != 0 and "BROKEN" in result.stdout


def test_qt_outside_ui_is_caught(tmp_path: Path) -> None:
    result = _lint(_fake_tree(tmp_path, "services", "import PySide6"))
    assert result.returncode != 0 and "Only workbench.ui imports PySide6 BROKEN" in result.stdout


def test_ui_bypassing_services_is_caught(tmp_path: Path) -> None:
    result = _lint(_fake_tree(tmp_path, "ui", "import workbench.store"))
    assert result.returncode != 0 and "only through services BROKEN" in result.stdout
