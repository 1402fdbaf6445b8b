"""Before ``make run`` opens the window: are the system libraries Qt's xcb platform plugin needs there?

A fresh Debian/Ubuntu desktop lacks several of them (libxcb-cursor0, libxcb-icccm4 …) and Qt then
stops with "could not load the Qt platform plugin xcb". This asks the dynamic linker (``ldd`` on the
plugin in the virtualenv's PySide6) which libraries it cannot find, maps them to Debian packages,
and installs them with apt when run as root (as ``.ci/run`` does for the headless libraries);
otherwise it stops with one sentence naming the packages and the command (in a Wayland session,
where Qt opens the window without them, it only notes them). Headless runs (``QT_QPA_PLATFORM``
naming a platform other than xcb) skip the check.

Usage: ``python tools/desktop_libs.py [--dry-run]`` (exit 0 ready, 1 libraries missing).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# Shared object (as ldd names it) -> the Debian/Ubuntu package that ships it.
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
}
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "wayland", "eglfs", "linuxfb")
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    """The xcb platform plugin of the PySide6 this Python would import (found without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(ldd_output: str) -> list[str]:
    """The shared objects ldd reports as 'not found', each once, in order."""
    return list(dict.fromkeys(NOT_FOUND.findall(ldd_output)))


def packages_for(libraries: Iterable[str]) -> tuple[list[str], list[str]]:
    """Debian packages providing ``libraries``, and the libraries no known package provides."""
    packages = sorted({PACKAGES[lib] for lib in libraries if lib in PACKAGES})
    unknown = [lib for lib in libraries if lib not in PACKAGES]
    return packages, unknown


def skip_reason(environ: dict[str, str]) -> str | None:
    """Why no check is needed: a headless or non-X11 Qt platform, or not Linux."""
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform.startswith(HEADLESS_PLATFORMS):
        return f"QT_QPA_PLATFORM={platform}"
    if not sys.platform.startswith("linux"):
        return sys.platform
    return None


def install_command(packages: list[str]) -> list[str]:
    return ["apt-get", "install", "-y", "--no-install-recommends", *packages]


def check(*, dry_run: bool = False) -> int:
    if skip_reason(dict(os.environ)):
        return 0
    plugin = xcb_plugin()
    if plugin is None or shutil.which("ldd") is None:
        return 0  # no xcb plugin to load (another platform build) or no ldd to ask: Qt reports it itself
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False).stdout
    missing = missing_libraries(output)
    if not missing:
        return 0
    packages, unknown = packages_for(missing)
    command = install_command(packages)
    if packages and not unknown and not dry_run and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing the desktop libraries Qt needs: {' '.join(packages)}", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        if subprocess.run(command, env=env, check=False).returncode == 0:
            return 0
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print(
            f"Note: Qt's X11 plugin lacks {', '.join(missing)}; the window opens through Wayland "
            f"(for X11 too: sudo {' '.join(command)}).",
            file=sys.stderr,
        )
        return 0  # Qt 6 prefers its Wayland plugin in a Wayland session
    if unknown:
        print(
            f"The window cannot open: Qt's xcb platform plugin needs {', '.join(missing)}, not installed; "
            f"install the packages that provide {', '.join(unknown)}"
            + (f" and run 'sudo {' '.join(command)}'" if packages else "")
            + ", then run 'make run' again.",
            file=sys.stderr,
        )
    else:
        print(
            f"The window cannot open: the desktop libraries Qt needs are missing ({', '.join(packages)}); "
            f"install them with 'sudo {' '.join(command)}' and run 'make run' again.",
            file=sys.stderr,
        )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dry-run", action="store_true", help="report what is missing, install nothing")
    return check(dry_run=parser.parse_args(argv).dry_run)


if __name__ == "__main__":
    sys.exit(main())
