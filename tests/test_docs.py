"""Docs that can drift: every CLI command is in the README, every setting has help text."""
from __future__ import annotations

from pathlib import Path

import typer.main

from strikewatch import cli
from strikewatch.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)
        else:
            yield " ".join(path)


def test_every_cli_command_is_in_the_readme():
    group = typer.main.get_command(cli.app)
    missing = [c for c in _commands(group) if f"strikewatch {c}" not in README]
    assert not missing, f"README.md does not show: {missing}"


def test_every_setting_has_help():
    assert all(s.help.strip() for s in SETTINGS)
