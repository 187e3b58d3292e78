"""The compound-file writer, read back with olefile (an independent reader)."""

import zipfile

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval.excel import cfb
from selfeval.excel.xlam import TEMPLATE

NOSTREAM = 0xFFFFFFFF
RED, BLACK = 0, 1  # MS-CFB §2.6.1 color flag

names = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/\\:!"),
                min_size=1, max_size=12)  # fmt: skip
sizes = st.sampled_from([0, 1, 63, 64, 65, 4095, 4096, 4097, 9000])
storages = st.dictionaries(names, sizes, min_size=1, max_size=12)
trees = st.dictionaries(st.sampled_from(["", "VBA", "Sub"]), storages, min_size=1)


def read_back(data: bytes) -> dict[tuple[str, ...], bytes]:
    ole = olefile.OleFileIO(data)
    return {tuple(path): ole.openstream(path).read() for path in ole.listdir()}


def streams_of(tree: dict[str, dict[str, int]]) -> dict[tuple[str, ...], bytes]:
    streams = {}
    taken = {("", s.upper()) for s in tree if s}  # a stream cannot share a storage's name
    for storage, files in tree.items():
        for name, size in files.items():
            key = (storage, name.upper())  # names compare upper-cased (MS-CFB §2.6.4)
            if key not in taken:
                taken.add(key)
                streams[(storage, name) if storage else (name,)] = bytes([len(name)]) * size
    return streams


def test_names_equal_but_for_case_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        cfb.build({("I",): b"", ("i",): b"x"})


def test_template_project_survives_a_rewrite() -> None:
    with zipfile.ZipFile(TEMPLATE) as z:
        streams = read_back(z.read("xl/vbaProject.bin"))
    assert read_back(cfb.build(streams)) == streams


@settings(max_examples=60, deadline=None)
@given(trees)
def test_streams_read_back(tree: dict[str, dict[str, int]]) -> None:
    streams = streams_of(tree)
    data = cfb.build(streams)
    assert len(data) % 512 == 0
    assert read_back(data) == streams
    check_red_black(olefile.OleFileIO(data))


def check_red_black(ole: olefile.OleFileIO) -> None:
    """Every storage's children form an ordered red-black tree (MS-CFB §2.6.4)."""
    entries = [e for e in ole.direntries if e is not None]
    by_sid = {e.sid: e for e in entries}
    for storage in entries:
        if storage.entry_type in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            root = storage.sid_child
            assert root == NOSTREAM or by_sid[root].color == BLACK
            in_order = list(walk(by_sid, root))
            keys = [(len(e.name), e.name.upper()) for e in in_order]
            assert keys == sorted(keys)


def walk(by_sid: dict, sid: int):
    """In-order walk that also asserts the red-black invariants; yields entries."""
    if sid == NOSTREAM:
        return
    node = by_sid[sid]
    for child in (node.sid_left, node.sid_right):
        if node.color == RED and child != NOSTREAM:
            assert by_sid[child].color == BLACK
    assert black_height(by_sid, node.sid_left) == black_height(by_sid, node.sid_right)
    yield from walk(by_sid, node.sid_left)
    yield node
    yield from walk(by_sid, node.sid_right)


def black_height(by_sid: dict, sid: int) -> int:
    if sid == NOSTREAM:
        return 0
    node = by_sid[sid]
    left = black_height(by_sid, node.sid_left)
    return left + (node.color == BLACK)


def test_same_streams_same_bytes() -> None:
    streams = {("VBA", "dir"): b"x" * 5000, ("PROJECT",): b"Name"}
    assert cfb.build(streams) == cfb.build(dict(reversed(streams.items())))
