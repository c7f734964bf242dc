"""The evaluation gate on data nobody on the project wrote (``../shared``): the figures of
``strikewatch evaluate --shared`` may not fall below the floors pinned here, a little under what
was measured (the figure in each comment, the keyword baseline beside it). Skips where
``../shared`` is absent. Runs the whole pipeline, trained classifier included, over every set:
the slowest test of the suite (several minutes)."""
from __future__ import annotations

import pytest

from strikewatch.evaluate.thirdparty import failed_floors, measure

# name: (floor, ">=" or "<="), measured 2026-12-02 with the shipped model (keyword baseline)
FLOORS: dict[str, tuple[float, str]] = {
    "realnews.w.recall": (0.60, ">="),      # 0.624
    "realnews.w.precision": (0.60, ">="),   # 0.629
    "realnews.b.recall": (0.78, ">="),      # 0.815
    "realnews.b.precision": (0.57, ">="),   # 0.604
    "realnews.n.clean": (0.80, ">="),       # 0.839 (keyword 0.355)
    "glocon.doc.f1": (0.60, ">="),          # 0.632 (keyword 0.526)
    "glocon.doc.precision": (0.55, ">="),   # 0.593 (keyword 0.379)
    "glocon.sent.f1": (0.47, ">="),         # 0.501 (keyword 0.625)
    "case.protest.f1": (0.77, ">="),        # 0.791 (keyword 0.801)
    "case.riot_typing": (0.43, ">="),       # 0.460 (keyword 0.673)
    "bbc.fp_rate": (0.025, "<="),           # 0.019 (keyword 0.119)
    "bbc.recall": (0.36, ">="),             # 0.409 (keyword 1.0)
    "ipe.arrest.precision": (0.85, ">="),   # 0.906 (keyword 0.398)
    "ipe.arrest.recall": (0.14, ">="),      # 0.159 (keyword 0.841)
    "ipe.kill.f1": (0.37, ">="),            # 0.402 (keyword 0.243)
}


@pytest.fixture(scope="module")
def figures(extractor, shared):
    if not (shared / "datasets").exists():
        pytest.skip("../shared/datasets is absent")
    return measure(shared, extractor)


@pytest.mark.slow
def test_third_party_floors(figures):
    floors = [(name, op, value) for name, (value, op) in FLOORS.items()]
    missed = failed_floors(figures, floors)
    table = "\n".join("  ".join(f.row()) for f in figures)
    assert not missed, "below the floor:\n" + "\n".join(missed) + "\n" + table


@pytest.mark.slow
def test_every_set_was_measured(figures):
    names = {f.name.split(".")[0] for f in figures}
    assert {"realnews", "glocon", "case", "bbc", "ipe"} <= names
