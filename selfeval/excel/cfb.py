"""A minimal MS-CFB (compound file, version 3) writer for ``vbaProject.bin``.

Everything is built in memory with zero timestamps and zero class ids, so the same streams
give the same bytes. Streams under 4096 bytes live in the mini stream (64-byte sectors),
larger ones in 512-byte sectors. The writer holds at most 109 FAT sectors (no DIFAT), that
is files up to about 6.8 MB, far above a VBA project's size.
"""

import struct
from collections.abc import Mapping

_SECTOR = 512
_MINI = 64
_MINI_CUTOFF = 4096
_ENTRIES_PER_SECTOR = _SECTOR // 128
_IDS_PER_SECTOR = _SECTOR // 4
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
# An unused directory entry is all zeros except its three links (MS-CFB §2.6.3).
_FREE_ENTRY = bytes(68) + b"\xff" * 12 + bytes(48)

Path = tuple[str, ...]


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.left = self.right = self.child = _NOSTREAM
        self.color = _BLACK
        self.start, self.size = _END, 0


def build(streams: Mapping[Path, bytes]) -> bytes:
    """Return a compound file holding ``streams``, keyed by storage path, e.g. ("VBA", "dir")."""
    root = _tree(streams)
    entries = _flatten(root)
    mini_stream, minifat = _place_small(entries)
    big = [e for e in entries if e.kind == _STREAM and e.size >= _MINI_CUTOFF]
    lengths = [-(-len(entries) // _ENTRIES_PER_SECTOR)]
    lengths += [_sectors(len(b)) for b in [minifat, mini_stream, *(e.data for e in big)]]
    n_fat = _fat_sector_count(sum(lengths))
    fat = [_FATSECT] * n_fat
    starts = []
    for length in lengths:
        starts.append(len(fat) if length else _END)
        fat += [len(fat) + i + 1 for i in range(length - 1)] + ([_END] if length else [])
    fat += [_FREE] * (n_fat * _IDS_PER_SECTOR - len(fat))
    root.start, root.size = starts[2], len(mini_stream)
    for entry, start in zip(big, starts[3:], strict=True):
        entry.start = start
    directory = b"".join(_entry_bytes(e) for e in entries)
    directory += _FREE_ENTRY * (-len(entries) % _ENTRIES_PER_SECTOR)
    blobs = [directory, minifat, mini_stream, *(e.data for e in big)]
    header = _header(n_fat, starts[0], starts[1], lengths[1])
    return header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(_pad(b, _SECTOR) for b in blobs)


def _tree(streams: Mapping[Path, bytes]) -> _Entry:
    root = _Entry("Root Entry", _ROOT)
    storages: dict[Path, _Entry] = {(): root}
    for path in sorted(streams):
        for depth in range(1, len(path)):
            if path[:depth] not in storages:
                storage = _Entry(path[depth - 1], _STORAGE)
                storages[path[: depth - 1]].children.append(storage)
                storages[path[:depth]] = storage
        siblings = storages[path[:-1]].children
        entry = _Entry(path[-1], _STREAM, streams[path])
        if any(_name_key(e) == _name_key(entry) for e in siblings):
            # MS-CFB §2.6.4 compares names upper-cased: "I" and "i" are one name.
            raise ValueError(f"duplicate compound-file name {path!r}")
        siblings.append(entry)
    return root


def _flatten(root: _Entry) -> list[_Entry]:
    """Number entries depth first and link each storage's children as a red-black tree."""
    entries = [root]
    index = {id(root): 0}

    def visit(storage: _Entry) -> None:
        for child in storage.children:
            index[id(child)] = len(entries)
            entries.append(child)
            if child.kind == _STORAGE:
                visit(child)
        ordered = sorted(storage.children, key=_name_key)
        storage.child = _link(ordered, index)

    visit(root)
    return entries


def _name_key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB §2.6.4: shorter names sort first, then the upper-cased names compare.
    return len(entry.name), entry.name.upper()


def _link(ordered: list[_Entry], index: dict[int, int]) -> int:
    """Link sorted siblings as a balanced binary tree and return its root's index.

    Splitting at the middle puts every node at depth <= D, where D is the number of complete
    levels; colouring the depth-D nodes red gives every path the same number of black nodes,
    so the tree is a valid red-black tree as MS-CFB §2.6.4 asks.
    """
    full_levels = (len(ordered) + 1).bit_length() - 1

    def link(part: list[_Entry], depth: int) -> int:
        if not part:
            return _NOSTREAM
        mid = len(part) // 2
        node = part[mid]
        node.left, node.right = link(part[:mid], depth + 1), link(part[mid + 1 :], depth + 1)
        node.color = _RED if depth == full_levels else _BLACK
        return index[id(node)]

    return link(ordered, 0)


def _place_small(entries: list[_Entry]) -> tuple[bytes, bytes]:
    mini, minifat = bytearray(), []
    for entry in entries:
        if entry.kind != _STREAM:
            continue
        entry.size = len(entry.data)
        if not entry.data or entry.size >= _MINI_CUTOFF:
            continue
        first, count = len(mini) // _MINI, -(-entry.size // _MINI)
        entry.start = first
        minifat += [first + i + 1 for i in range(count - 1)] + [_END]
        mini += _pad(entry.data, _MINI)
    table = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    return bytes(mini), _pad(table, _SECTOR, fill=b"\xff")


def _entry_bytes(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    return struct.pack(
        "<64sHBB3I16sIQQIQ",
        name, len(name), entry.kind, entry.color, entry.left, entry.right, entry.child,
        b"", 0, 0, 0, entry.start, entry.size,
    )  # fmt: skip


def _header(n_fat: int, first_dir: int, first_minifat: int, n_minifat: int) -> bytes:
    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    return struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE, 9, 6, b"",
        0, n_fat, first_dir, 0, _MINI_CUTOFF,
        first_minifat if n_minifat else _END, n_minifat, _END, 0, *difat,
    )  # fmt: skip


def _fat_sector_count(data_sectors: int) -> int:
    n_fat = 1
    while n_fat * _IDS_PER_SECTOR < data_sectors + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    return n_fat


def _sectors(size: int) -> int:
    return -(-size // _SECTOR)


def _pad(data: bytes, size: int, fill: bytes = b"\0") -> bytes:
    return data + fill * (-len(data) % size)
