"""Reviewers' entity decisions applied to entity keys (pure: the overrides come as a mapping)."""
from __future__ import annotations

from collections.abc import Mapping


def walk(overrides: Mapping[str, str], key: str, surface: str | None) -> tuple[str, bool]:
    """(resolved key, whether a ``key|surface`` override was applied on the way)."""
    seen: set[str] = set()
    current, by_surface = key, False
    while True:
        sources = ([(f"{current}|{surface}", True)] if surface else []) + [(current, False)]
        step = None
        for source, is_surface in sources:
            if source in seen:
                continue
            seen.add(source)
            target = overrides.get(source)
            if target is not None and target != current:
                step, by_surface = target, by_surface or is_surface
                break
        if step is None:
            return current, by_surface
        current = step


def apply_overrides(overrides: Mapping[str, str], key: str, surface: str | None = None) -> str:
    """Where entity `key`, named by `surface`, resolves to under `overrides` (source -> target):
    at each step ``"key|surface"`` first, then ``key``; chains are followed; a cycle stops at
    the last key reached before a source repeats."""
    return walk(overrides, key, surface)[0]
