"""Default document ids: a file in a subfolder of a named folder is named by its relative path, so
files with the same name in different folders do not collide; everything else keeps its stem."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from strikewatch.errors import Code
from strikewatch.ingest import count_inputs, read_documents
from strikewatch.ingest.files import default_id
from strikewatch.types import Document, Failure

STORY = "Workers at the tractor plant in Minsk walked out on Friday. About 300 people gathered.\n"


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def tree(root: Path) -> Path:
    """root/{business,sport}/001.txt and 002.txt, and a top-level 001.txt."""
    for folder in ("business", "sport"):
        for name in ("001", "002"):
            write(root / folder / f"{name}.txt", f"{STORY}{folder} {name}\n")
    write(root / "001.txt", STORY)
    return root


def ids(*paths: Path) -> list[str]:
    items = list(read_documents(list(paths)))
    assert not [i for i in items if isinstance(i, Failure)], items
    return [i.id for i in items if isinstance(i, Document)]


def test_same_name_in_two_subfolders_gives_distinct_ids(tmp_path):
    root = tree(tmp_path / "bbc")
    assert ids(root) == ["001", "business/001", "business/002", "sport/001", "sport/002"]
    assert count_inputs(root) == 5


def test_deeper_folders_and_every_kind(tmp_path):
    root = tmp_path / "in"
    write(root / "a" / "b" / "c.txt", STORY)
    write(root / "a" / "page.html", f"<html><body><article><p>{STORY}</p></article></body></html>")
    write(root / "sport" / "feed.jsonl", "\n".join(json.dumps({"text": f"{STORY}{n}"}) for n in range(3)))
    write(root / "sport" / "list.json", json.dumps([{"text": STORY}, {"text": STORY + "2"}]))
    write(root / "sport" / "one.json", json.dumps({"text": STORY}))
    assert ids(root) == [
        "a/b/c", "a/page", "sport/feed-1", "sport/feed-2", "sport/feed-3", "sport/list-1", "sport/list-2",
        "sport/one",
    ]


def test_top_level_and_named_files_keep_their_stems(tmp_path):
    root = tree(tmp_path / "bbc")
    assert ids(root / "001.txt", root / "sport" / "002.txt") == ["001", "002"]
    assert ids(root / "sport") == ["001", "002"]  # the named folder is the root of the ids
    # a file reached twice keeps the id of its first reach
    assert ids(root / "sport" / "001.txt", root / "sport") == ["001", "002"]
    assert ids(root, root / "sport") == ["001", "business/001", "business/002", "sport/001", "sport/002"]


def test_same_stem_in_two_named_folders_is_still_a_duplicate(tmp_path):
    root = tree(tmp_path / "bbc")
    items = list(read_documents([root / "business", root / "sport"]))
    assert [i.code for i in items if isinstance(i, Failure)] == [Code.DUPLICATE_ID] * 2


def test_sidecar_and_record_ids_win(tmp_path):
    root = tree(tmp_path / "bbc")
    write(root / "sport" / "001.meta.json", json.dumps({"id": "match-report"}))
    write(root / "sport" / "feed.jsonl", json.dumps({"id": "own", "text": STORY}) + "\n"
          + json.dumps({"text": STORY}) + "\n")
    assert ids(root) == ["001", "business/001", "business/002", "match-report", "sport/002", "own", "sport/feed-2"]


def test_ids_from_odd_names_are_safe(tmp_path):
    root = tmp_path / "in"
    write(root / "back\\slash" / "x\\y.txt", STORY)
    write(root / "dots..." / "x..y.txt", STORY)
    write(root / "dots..." / "..x.txt", STORY)  # hidden: never walked
    named = write(tmp_path / "...txt", STORY)  # stem ".."
    got = ids(root) + ids(named)
    assert got == ["back_slash/x_y", "dots.../x..y", "__"]
    for doc_id in got:
        assert "\\" not in doc_id and not doc_id.startswith("/") and ".." not in doc_id.split("/")


def test_a_root_named_through_dot_dot_does_not_leak_into_ids(tmp_path):
    tree(tmp_path / "bbc")
    (tmp_path / "elsewhere").mkdir()
    assert ids(tmp_path / "elsewhere" / ".." / "bbc")[1:] == ["business/001", "business/002", "sport/001", "sport/002"]


@pytest.mark.parametrize("path, root, expected", [
    ("r/sport/001.txt", "r", "sport/001"),
    ("r/001.txt", "r", "001"),
    ("r/a/b/x.y.jsonl", "r", "a/b/x.y"),
    ("r/sport/001.txt", None, "001"),
    ("../r/sport/001.txt", "../r", "sport/001"),
    ("/abs/r/sport/001.txt", "/abs/r", "sport/001"),
])
def test_default_id(path, root, expected):
    assert default_id(Path(path), Path(root) if root else None) == expected


def test_an_overlong_path_id_is_a_failure_unless_the_sidecar_names_it(tmp_path):
    root = tmp_path / "in"
    deep = root / "/".join(["f" * 50] * 4) / "doc.txt"
    write(deep, STORY)
    [failure] = list(read_documents(root))
    assert isinstance(failure, Failure) and failure.code == Code.BAD_FIELD and "sidecar" in failure.fix
    write(deep.with_name("doc.meta.json"), json.dumps({"id": "deep"}))
    assert ids(root) == ["deep"]
