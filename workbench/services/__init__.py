"""Use cases: the only API the UI and the CLI call."""

from workbench.services.bootstrap import Workbench, open_workbench

__all__ = ["Workbench", "open_workbench"]
