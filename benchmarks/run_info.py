"""What every benchmark prints about its run: the commit measured and the machine's load."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def revision() -> str:
    """The commit measured (others edit the library while benchmarks run)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                              capture_output=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO,
                               text=True, capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "git revision n/a"
    return f"git {head or 'n/a'}" + (" with uncommitted changes under src/" if dirty else "")


def load() -> str:
    """The machine's load average: other work on a shared machine skews wall times."""
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average n/a"
