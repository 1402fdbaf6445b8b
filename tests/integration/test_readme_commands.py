"""Every ``workbench-cli …`` line the README shows names a real subcommand and real options.

The README is the officer's manual; a command or option it shows that the CLI does not know (the
old ``doc expiring --days``) is a defect. Each command line is walked through the real parser and
its subcommand is run with ``--help``.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from workbench.cli.main import build_parser, main

README = Path(__file__).resolve().parents[2] / "README.md"
COMMAND = re.compile(r"workbench-cli\b([^`\n]*)")
COMMENT = re.compile(r"\s+#\s.*$")


def readme_command_lines(text: str) -> list[str]:
    """Each command shown (alternatives split at `` | `` and `` / ``), without the leading program name."""
    lines: list[str] = []
    for match in COMMAND.finditer(text):
        shown = COMMENT.sub("", match.group(1)).strip()
        for part in re.split(r"\s+[|/]\s+", shown):
            if part.strip():
                lines.append(part.strip())
    return lines


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _takes_value(parser: argparse.ArgumentParser, option: str) -> bool:
    action = parser._option_string_actions.get(option)
    return action is not None and action.nargs != 0


def resolve(line: str) -> tuple[list[str], list[str], argparse.ArgumentParser]:
    """The subcommand path the line names, the options it shows, and the parser they must belong to."""
    root = build_parser()
    parser, path, options = root, [], []
    depth, skip_value = 0, False
    for token in line.split():
        bare = token.strip("[]…").split("=")[0]
        opening, closing = token.count("["), token.count("]")
        if bare.startswith("--"):
            options.append(bare)
            skip_value = depth + opening == 0 and (_takes_value(parser, bare) or _takes_value(root, bare))
        elif skip_value:
            skip_value = False
        elif depth == 0 and opening == 0 and re.fullmatch(r"[a-z][a-z-]*", bare) and (choices := _subparsers(parser)):
            assert bare in choices, f"README shows 'workbench-cli {line}': {bare!r} is not a subcommand of {path}"
            parser = choices[bare]
            path.append(bare)
        depth += opening - closing
    return path, options, parser


LINES = readme_command_lines(README.read_text(encoding="utf-8"))


def test_the_readme_shows_the_commands_an_officer_needs() -> None:
    shown = {" ".join(resolve(line)[0]) for line in LINES}
    assert {"case import", "doc expiring", "audit pack", "keys generate", "determine", "verify"} <= shown
    assert len(LINES) >= 40


@pytest.mark.parametrize("line", LINES)
def test_readme_command_line_exists(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    path, options, parser = resolve(line)
    if not path:  # the bare program name in prose ("`workbench-cli` is installed …")
        assert not options or all(option in build_parser()._option_string_actions for option in options)
        return
    known = set(parser._option_string_actions) | set(build_parser()._option_string_actions)
    unknown = [option for option in options if option not in known]
    assert not unknown, f"README shows 'workbench-cli {line}' but {' '.join(path)} has no {unknown}"
    with pytest.raises(SystemExit) as exited:
        main([*path, "--help"])
    assert exited.value.code == 0
    assert "usage: workbench-cli" in capsys.readouterr().out


def test_the_walk_refuses_what_the_cli_does_not_know() -> None:
    with pytest.raises(AssertionError, match="not a subcommand"):
        resolve("doc expire --days 5")
    path, options, parser = resolve("[--db URL] doc expiring [--days N]")
    assert path == ["doc", "expiring"] and options == ["--db", "--days"]
    assert "--nonsense" not in parser._option_string_actions


def test_the_readme_spellings_work_beside_the_old_ones(tmp_path: Path) -> None:
    parser = build_parser()
    assert parser.parse_args(["doc", "expiring", "--days", "5"]).within_days == 5
    assert parser.parse_args(["doc", "expiring", "--within-days", "6"]).within_days == 6
    assert parser.parse_args(["doc", "copy", "EC-1", "1", "--out", str(tmp_path)]).to == tmp_path
    assert parser.parse_args(["doc", "copy", "EC-1", "1", "--to", str(tmp_path)]).to == tmp_path
