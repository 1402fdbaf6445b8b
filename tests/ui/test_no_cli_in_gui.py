"""No message the window shows refers to the command line.

The UI's own strings are scanned, and so is every error raised below the UI (its message is what
``messages.error`` shows); a command-line hint belongs in the error's ``cli_hint``, which only
``workbench-cli`` prints. The commands and options looked for come from the CLI's own parser, so a
new command is covered without editing this test.
"""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import workbench
from workbench.cli.main import build_parser
from workbench.domain.errors import NotFoundError

PACKAGE = Path(workbench.__file__).parent
# The GUI's own start options (``workbench --db URL``) are the app's, not the CLI's.
APP_OPTIONS = {"--db", "--help", "--version"}


def _commands_and_options() -> tuple[set[str], set[str]]:
    commands: set[str] = set()
    options: set[str] = set()

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            options.update(o for o in action.option_strings if o.startswith("--"))
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    command = f"{prefix} {name}".strip()
                    commands.add(command)
                    walk(sub, command)

    walk(build_parser(), "")
    return commands, options - APP_OPTIONS


COMMANDS, OPTIONS = _commands_and_options()
_QUOTED = re.compile(r"'(?:workbench-cli )?([a-z][a-z-]*(?: [a-z][a-z-]*)?)[^']*'")
_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def cli_references(text: str) -> list[str]:
    """The command-line references in ``text``: the program's name, a quoted command, a CLI option."""
    found = ["workbench-cli"] if "workbench-cli" in text else []
    found += [m.group(1) for m in _QUOTED.finditer(text) if m.group(1) in COMMANDS]
    found += [o for o in _OPTION.findall(text) if o in OPTIONS]
    return found


def _text_of(node: ast.AST) -> str:
    """The literal text of a string expression (f-string parts joined; placeholders dropped)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text_of(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _text_of(node.left) + _text_of(node.right)
    return ""


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _ui_strings() -> Iterator[tuple[str, int, str]]:
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                yield f"ui/{path.relative_to(PACKAGE / 'ui')}", node.lineno, node.value
            elif isinstance(node, ast.JoinedStr):
                yield f"ui/{path.relative_to(PACKAGE / 'ui')}", node.lineno, _text_of(node)


def _error_messages() -> Iterator[tuple[str, int, str]]:
    """The message arguments of every ``raise SomethingError(...)`` outside the CLI."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in {"cli", "ui"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            texts = [_text_of(arg) for arg in node.exc.args]
            # ValidationError(field, message): the message is the second argument.
            yield str(relative), node.lineno, " ".join(texts)


def test_the_scanner_recognises_command_line_references() -> None:
    assert cli_references("check the reference with 'case list'.") == ["case list"]
    assert cli_references("or import it with --allow-shrink") == ["--allow-shrink"]
    assert cli_references("made by 'workbench-cli keys generate'") == ["workbench-cli", "keys generate"]
    assert cli_references("Open the case list and choose it.") == []
    assert cli_references("--db overrides both") == []


@pytest.mark.parametrize("source", [_ui_strings, _error_messages], ids=["ui strings", "errors below the ui"])
def test_no_gui_message_refers_to_the_command_line(source: object) -> None:
    assert callable(source)
    offenders = [
        f"{where}:{line}: {refs} in {text!r}" for where, line, text in source() if (refs := cli_references(text))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_cli_still_gets_its_hint() -> None:
    error = NotFoundError("There is no case with reference 'X'.", cli_hint="check the reference with 'case list'")
    assert str(error) == "There is no case with reference 'X'."
    assert error.for_cli() == "There is no case with reference 'X'; check the reference with 'case list'."
