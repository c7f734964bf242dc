"""What the command line prints is safe for the operator's terminal, and its exit status says
what happened: control characters in file names and values are escaped, a failure stays one
line, a file name starting with a dash gets a hint (and works after --), a crash exits 3."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strikewatch import cli
from strikewatch.printable import _UNSAFE, printable

REPORT = ("Workers at the Minsk Tractor Works went on strike on 17 August 2020, demanding new "
          "elections.\n")
STRIKEWATCH = Path(sys.executable).with_name("strikewatch")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(STRIKEWATCH), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "STRIKEWATCH_DB": f"sqlite:///{cwd}/sw.db"})


def test_printable_escapes_what_moves_a_terminal():
    assert printable("a\x1b]0;pwned\x07b\nc\rd\te") == "a\\x1b]0;pwned\\x07b\\nc\\rd\\te"
    assert printable("x\u202eevil\u2066y\x9bz\x7f") == "x\\u202eevil\\u2066y\\x9bz\\x7f"
    assert printable("two\nlines\x1b", newlines=True) == "two\nlines\\x1b"
    assert printable("Гродна Азот — 32 arrested") == "Гродна Азот — 32 arrested"


@given(st.text())
def test_printable_leaves_no_control_character(text):
    out = printable(text)
    assert not _UNSAFE.search(out)
    if not _UNSAFE.search(text):
        assert out == text


def test_console_and_tables_escape_values():
    buffer = io.StringIO()
    console = cli.SafeConsole(file=buffer, width=100, force_terminal=True)
    console.print("file \x1b]0;pwned\x07 done", markup=False, highlight=False)
    table = cli.Table()
    table.add_column("workplace")
    cli._row(table, "Grodno \x1b[2JAzot")
    console.print(table)
    printed = buffer.getvalue()
    assert "\x1b]0;" not in printed and "\x1b[2J" not in printed and "\x07" not in printed
    assert "\\x1b]0;pwned\\x07" in printed and "\\x1b[2JAzot" in printed


def test_a_hostile_file_name_is_one_escaped_line_and_the_good_document_is_kept(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "bad\x1b]0;pwned\x07\nname.txt").write_bytes(b"")  # empty: one failure line
    run = _run("ingest", "--quiet", "inbox", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "\x1b" not in run.stderr and "\x07" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if "bad" in line]
    assert len(lines) == 1 and "bad\\x1b]0;pwned\\x07\\nname.txt: [SW" in lines[0], run.stderr
    assert "1 stored" in run.stderr


def test_a_file_name_starting_with_a_dash(tmp_path):
    (tmp_path / "-a.txt").write_text(REPORT, encoding="utf-8")
    wrong = _run("ingest", "--quiet", "-a.txt", cwd=tmp_path)  # as `ingest *.txt` expands
    assert wrong.returncode == 2
    assert "put -- before the paths" in wrong.stderr and "strikewatch ingest -- -a.txt" in wrong.stderr
    right = _run("ingest", "--quiet", "--", "-a.txt", cwd=tmp_path)
    assert right.returncode == 0, right.stderr
    assert "1 stored" in right.stderr


def test_a_crash_exits_3_with_one_line_after_the_traceback(monkeypatch, capsys, tmp_path):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom \x1b[31m")
    monkeypatch.setattr(cli, "run_ingest", broken)
    assert cli.main(["ingest", str(tmp_path)]) == cli.EXIT_CRASH
    stderr = capsys.readouterr().err
    assert "Traceback" in stderr and "\x1b" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("strikewatch crashed: RuntimeError: boom \\x1b[31m")


@pytest.mark.parametrize("argv, status", [(["nosuch"], 2), (["ingest", "--nosuch"], 2),
                                          (["--help"], 0)])
def test_usage_statuses(argv, status, capsys):
    assert cli.main(argv) == status
