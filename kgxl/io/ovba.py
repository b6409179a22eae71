"""A VBA project ([MS-OVBA]) from module sources: the vbaProject.bin part of a macro workbook.

No compiled cache (_VBA_PROJECT is its 7-byte header with version 0xFFFF), so Office compiles the
project from the module sources. Sources must be ASCII: the project code page then never matters.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from kgxl.io.cfb import compound_file

CODE_PAGE = 1252
LCID = 0x0409
PROJECT_ID = "{4B47584C-0000-4000-8000-000000000001}"  # fixed: the build is reproducible
STDOLE = "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
# the PROJECT stream's protection values: not protected, no password, visible
NOT_PROTECTED, NO_PASSWORD, VISIBLE = bytes(4), bytes(1), bytes([0xFF])


@dataclass(frozen=True)
class Module:
    name: str
    source: str  # the module text, attribute lines included
    kind: str = "standard"  # standard | class | document


def document_module(name: str, workbook: bool = False) -> Module:
    """The module behind ThisWorkbook or a worksheet (its codeName): attributes only, no code."""
    base = WORKBOOK_BASE if workbook else SHEET_BASE
    lines = [f'Attribute VB_Name = "{name}"', f'Attribute VB_Base = "{base}"',
             "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"]
    return Module(name, "\r\n".join(lines) + "\r\n", "document")


# -- compression ([MS-OVBA] 2.4.1) ---------------------------------------------------------------
def _copy_token_bits(offset_in_chunk: int) -> int:
    """Bits of a copy token's offset field, from the decompressed position inside the chunk."""
    return max((offset_in_chunk - 1).bit_length(), 4)  # ceil(log2(offset)), at least 4


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos, n = 0, len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_len, best_off = 0, 0
            if pos >= 1:
                bits = _copy_token_bits(pos)
                max_len = (0xFFFF >> bits) + 3
                for cand in reversed(heads.get(data[pos:pos + 3], [])[-64:]):  # the nearest 64 suffice
                    length = 0
                    limit = min(max_len, n - pos)
                    while length < limit and data[cand + length] == data[pos + length]:
                        length += 1
                    if length > best_len:
                        best_len, best_off = length, pos - cand
                        if length == limit:
                            break
            if best_len >= 3:
                bits = _copy_token_bits(pos)
                out += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                heads.setdefault(data[p:p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """The CompressedContainer of data: chunks of 4096 decompressed bytes, each compressed unless
    that would not make it smaller (then stored raw, which only a full 4096-byte chunk may be)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        packed = _compress_chunk(chunk)
        if len(packed) > 4096 and len(chunk) == 4096:
            out += struct.pack("<H", 0x3000 | 0x0FFF) + chunk  # raw chunk: size field 4098 - 3
        else:
            out += struct.pack("<H", 0xB000 | (len(packed) + 2 - 3)) + packed
    return bytes(out)


# -- obfuscation of the PROJECT stream's protection values ([MS-OVBA] 2.4.3) ---------------------
def encrypt(data: bytes, seed: int, project_id: str = PROJECT_ID) -> str:
    key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = seed ^ 2, seed ^ key
    out = [seed, version_enc, key_enc]
    plain1, enc1, enc2 = key, key_enc, version_enc
    ignored = [0x07] * ((seed & 6) // 2)
    for byte in ignored + list(struct.pack("<I", len(data))) + list(data):
        enc = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(enc)
        enc2, enc1, plain1 = enc1, enc, byte
    return bytes(out).hex().upper()


# -- the streams ----------------------------------------------------------------------------------
def _rec(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _text_rec(rid: int, text: str, unicode_id: int) -> bytes:
    return _rec(rid, text.encode("ascii")) + _rec(unicode_id, text.encode("utf-16-le"))


def dir_stream(modules: list[Module], project_name: str = "VBAProject") -> bytes:
    d = bytearray()
    d += _rec(0x0001, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows (Office recompiles for its own)
    d += _rec(0x0002, struct.pack("<I", LCID))
    d += _rec(0x0014, struct.pack("<I", LCID))
    d += _rec(0x0003, struct.pack("<H", CODE_PAGE))
    d += _rec(0x0004, project_name.encode("ascii"))
    d += _text_rec(0x0005, "", 0x0040)  # doc string
    d += _text_rec(0x0006, "", 0x003D)  # help file (two copies)
    d += _rec(0x0007, struct.pack("<I", 0))  # help context
    d += _rec(0x0008, struct.pack("<I", 0))  # lib flags
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: the size field says 4 but 6 bytes follow
    d += _text_rec(0x000C, "", 0x003C)  # conditional-compilation constants
    d += _text_rec(0x0016, "stdole", 0x003E)  # reference name
    lib = STDOLE.encode("ascii")
    d += _rec(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    d += _rec(0x000F, struct.pack("<H", len(modules)))
    d += _rec(0x0013, struct.pack("<H", 0xFFFF))
    for m in modules:
        d += _rec(0x0019, m.name.encode("ascii"))
        d += _rec(0x0047, m.name.encode("utf-16-le"))
        d += _text_rec(0x001A, m.name, 0x0032)  # stream name
        d += _text_rec(0x001C, "", 0x0048)  # doc string
        d += _rec(0x0031, struct.pack("<I", 0))  # source starts at offset 0 (no p-code)
        d += _rec(0x001E, struct.pack("<I", 0))
        d += _rec(0x002C, struct.pack("<H", 0xFFFF))
        d += struct.pack("<HI", 0x0021 if m.kind == "standard" else 0x0022, 0)
        d += struct.pack("<HI", 0x002B, 0)
    d += struct.pack("<HI", 0x0010, 0)
    return bytes(d)


def project_stream(modules: list[Module], project_id: str = PROJECT_ID) -> bytes:
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append({"document": f"Document={m.name}/&H00000000", "class": f"Class={m.name}"}.get(
            m.kind, f"Module={m.name}"))
    lines += ['Name="VBAProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
              f'CMG="{encrypt(NOT_PROTECTED, 0x11)}"', f'DPB="{encrypt(NO_PASSWORD, 0x13)}"',
              f'GC="{encrypt(VISIBLE, 0x15)}"',
              "", "[Host Extender Info]", "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
              "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def project_wm(modules: list[Module]) -> bytes:
    return b"".join(m.name.encode("ascii") + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in modules) + b"\0\0"


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def vba_project(modules: list[Module]) -> bytes:
    """vbaProject.bin for these modules (document modules must match the workbook's codeNames)."""
    for m in modules:
        m.source.encode("ascii")  # raises on a non-ASCII module: VBA stays ASCII
    streams = {"PROJECT": project_stream(modules), "PROJECTwm": project_wm(modules),
               "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000000"), "VBA/dir": compress(dir_stream(modules))}
    for m in modules:
        streams[f"VBA/{m.name}"] = compress(crlf(m.source).encode("ascii"))
    return compound_file(streams)
