"""tools/desktop_libs.py: which desktop libraries Qt's xcb plugin lacks, and the one line saying so."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tools import desktop_libs

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fe9)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibweird.so.9 => not found
"""


def test_not_found_libraries_are_read_from_ldd_once_each() -> None:
    assert desktop_libs.missing_libraries(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libweird.so.9"]


def test_libraries_map_to_debian_packages() -> None:
    packages, unknown = desktop_libs.packages_for(desktop_libs.missing_libraries(LDD))
    assert packages == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert unknown == ["libweird.so.9"]


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "wayland", "wayland-egl", "offscreen:fontengine=x"])
def test_headless_runs_skip_the_check(platform: str) -> None:
    assert desktop_libs.skip_reason({"QT_QPA_PLATFORM": platform})


def test_an_offscreen_run_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(desktop_libs, "xcb_plugin", lambda: pytest.fail("an offscreen run must not look"))
    assert desktop_libs.check() == 0


def test_an_x11_run_is_checked() -> None:
    assert desktop_libs.skip_reason({"QT_QPA_PLATFORM": "xcb"}) is None
    assert desktop_libs.skip_reason({}) is None


@pytest.mark.skipif(
    shutil.which("ldd") is None or desktop_libs.xcb_plugin() is None, reason="needs ldd and PySide6's xcb plugin"
)
def test_every_x11_library_the_real_plugin_links_to_has_a_package() -> None:
    plugin = desktop_libs.xcb_plugin()
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    linked = set(re.findall(r"^\s*(lib(?:xcb|X|xkb|GL|EGL)[^\s]*\.so\.\d+)", output, re.MULTILINE))
    assert "libxcb-cursor.so.0" in linked
    assert not linked - set(desktop_libs.PACKAGES)


@pytest.fixture
def lacking(monkeypatch: pytest.MonkeyPatch) -> None:
    """An X11 desktop whose linker lacks two of the plugin's libraries."""
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(desktop_libs, "xcb_plugin", lambda: desktop_libs.Path("/plugin/libqxcb.so"))
    monkeypatch.setattr(
        desktop_libs.subprocess,
        "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=LDD.replace("libweird.so.9 => not found", "")),
    )


def test_a_wayland_session_is_only_told(
    lacking: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert desktop_libs.check(dry_run=True) == 0
    assert "opens through Wayland" in capsys.readouterr().err


def test_missing_libraries_stop_with_one_sentence_and_the_command(
    lacking: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert desktop_libs.check(dry_run=True) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "libxcb-icccm4, libxcb-keysyms1" in err
    assert "sudo apt-get install -y --no-install-recommends libxcb-icccm4 libxcb-keysyms1" in err
