"""Entry point of ``workbench-cli``: parse, dispatch, map errors to exit codes.

Exit 0 on success, 2 on bad input or usage (one clear line on stderr), 1 on an
internal error (one line on stderr, the traceback in the log file), 3 when a
verification finds tampering.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.cli import (
    audit,
    cases,
    checks,
    determinations,
    documents,
    licences,
    maintenance,
    party,
    product,
    rules,
    screening,
)
from workbench.cli.context import CliContext, Handler
from workbench.config import ENV_DB, ENV_OFFICER
from workbench.domain.errors import WorkbenchError, one_line
from workbench.logsetup import configure_logging

logger = logging.getLogger(__name__)

COMMAND_MODULES = [
    cases,
    documents,
    checks,
    screening,
    determinations,
    licences,
    product,
    party,
    audit,
    maintenance,
    rules,
]
"""Each module has ``register(subparsers)``; later commands are added here."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench-cli",
        description="Export-compliance workbench: cases, screening, EAR checks, signed determinations.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=f"SQLAlchemy database URL (default: ${ENV_DB} or SQLite in the user data directory)",
    )
    parser.add_argument(
        "--officer",
        metavar="NAME",
        default=None,
        help=f"who is working, for the audit trail (default: ${ENV_OFFICER} or the account name)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = configure_logging()
    ctx = CliContext(args)
    handler: Handler = args.handler
    try:
        return handler(ctx)
    except WorkbenchError as exc:
        print(f"error: {one_line(exc.for_cli())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:
        logger.exception("internal error in %s", args.command)
        print(
            f"internal error: {type(exc).__name__}: {exc} (details in {log_file}); please report it.",
            file=sys.stderr,
        )
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
