"""A writer of compound files ([MS-CFB] version 3), the container of a workbook's VBA project.

Only what vbaProject.bin needs: a tree of storages and streams written once, deterministically.
Streams under 4096 bytes go to the mini stream (64-byte sectors), larger ones to 512-byte sectors.
"""
from __future__ import annotations

import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        if len(name) > 31:
            raise ValueError(f"compound file names have at most 31 characters: {name}")
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.sid = self.left = self.right = self.child = NOSTREAM
        self.start, self.size = END, len(data)


def _key(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4: shorter names sort first, then by upper-cased name."""
    return len(name), name.upper()


def _tree(entries: list[_Entry]) -> int:
    """Link sorted siblings as a balanced binary search tree; return the root's id."""
    if not entries:
        return NOSTREAM
    mid = len(entries) // 2
    node = entries[mid]
    node.left, node.right = _tree(entries[:mid]), _tree(entries[mid + 1:])
    return node.sid


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else END


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _dir_entry(e: _Entry) -> bytes:
    name = (e.name + "\0").encode("utf-16-le") if e.name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, 1, e.left, e.right, e.child,
                       b"\0" * 16, 0, 0, 0, e.start if e.kind != STORAGE else 0, e.size)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding the given streams; keys are paths like "VBA/dir" (storages are implied)."""
    root = _Entry("Root Entry", ROOT)
    for path, data in streams.items():
        *folders, leaf = path.split("/")
        node = root
        for f in folders:
            found = next((c for c in node.children if c.name == f and c.kind == STORAGE), None)
            if found is None:
                found = _Entry(f, STORAGE)
                node.children.append(found)
            node = found
        node.children.append(_Entry(leaf, STREAM, data))
    entries: list[_Entry] = []

    def number(e: _Entry) -> None:
        e.sid = len(entries)
        entries.append(e)
        e.children.sort(key=lambda c: _key(c.name))
        for c in e.children:
            number(c)

    number(root)
    for e in entries:
        e.child = _tree(e.children)
    small = [e for e in entries if e.kind == STREAM and e.size < CUTOFF]
    large = [e for e in entries if e.kind == STREAM and e.size >= CUTOFF]

    mini_fat: list[int] = []
    mini_stream = b""
    for e in small:
        if not e.size:
            continue  # an empty stream owns no sector
        n = -(-e.size // MINI)
        e.start = len(mini_fat)
        mini_fat += [0] * n
        _chain(mini_fat, e.start, n)
        mini_stream += _pad(e.data, MINI)
    root.size = len(mini_stream)

    # sectors in order: large streams, the mini stream, the mini FAT, the directory, then the FAT
    body: list[bytes] = []
    fat: list[int] = []

    def place(data: bytes) -> int:
        n = -(-len(data) // SECTOR)
        if not n:
            return END
        first = len(fat)
        fat.extend([0] * n)
        _chain(fat, first, n)
        body.append(_pad(data, SECTOR))
        return first

    for e in large:
        e.start = place(e.data)
    root.start = place(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    mini_fat_bytes = mini_fat_bytes + struct.pack("<I", FREE) * (-len(mini_fat) % (SECTOR // 4))
    first_mini_fat = place(mini_fat_bytes) if mini_fat else END
    directory = b"".join(_dir_entry(e) for e in entries)
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16, 0, 0, 0, 0, 0)
    directory += empty * (-len(entries) % (SECTOR // 128))
    first_dir = place(directory)

    per = SECTOR // 4
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * per:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat_sectors = list(range(len(fat), len(fat) + n_fat))
    fat.extend([FATSECT] * n_fat)
    fat.extend([FREE] * (n_fat * per - len(fat)))
    difat = fat_sectors + [FREE] * (109 - n_fat)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", MAGIC, b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
                         0, n_fat, first_dir, 0, CUTOFF, first_mini_fat,
                         len(mini_fat_bytes) // SECTOR if mini_fat else 0, END, 0)
    header += struct.pack("<109I", *difat)
    return header + b"".join(body) + struct.pack(f"<{len(fat)}I", *fat)
