"""An installed wheel carries the runtime resources and finds them without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_contains_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "workbench/resources/demo/index.json" in names
    assert "workbench/resources/schemas/case-file-1.schema.json" in names
    assert "workbench/store/migrations/env.py" in names
    assert "workbench/store/migrations/script.py.mako" in names
    assert any(n.startswith("workbench/store/migrations/versions/0001_") for n in names)


def test_installed_copy_finds_its_resources_and_migrates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    script = (
        "import workbench, json\n"
        "from workbench.resources import resource\n"
        "from workbench.services import open_workbench\n"
        "from workbench.services.cases import load_demo\n"
        f"assert workbench.__file__.startswith({str(target)!r}), workbench.__file__\n"
        "assert 'site' in str(resource('demo/index.json'))\n"
        f"wb = open_workbench('sqlite:///{tmp_path / 'w.sqlite3'}')\n"
        "print(len(load_demo(wb)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "WORKBENCH_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 10
