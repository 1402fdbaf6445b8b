"""What every command handler gets: parsed arguments, output helpers and a lazily opened workbench."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from workbench.services import Workbench, open_workbench

Handler = Callable[["CliContext"], int]


@dataclass
class CliContext:
    args: argparse.Namespace
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _workbench: Workbench | None = None

    @property
    def workbench(self) -> Workbench:
        if self._workbench is None:
            self._workbench = open_workbench(self.args.db, getattr(self.args, "officer", None))
        return self._workbench

    @property
    def as_json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def print_json(self, data: Any) -> None:
        json.dump(data, self.out, indent=2, ensure_ascii=False, default=str)
        self.out.write("\n")

    def warn(self, text: str) -> None:
        print(f"warning: {text}", file=self.err)

    def close(self) -> None:
        if self._workbench is not None:
            self._workbench.close()
            self._workbench = None


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
