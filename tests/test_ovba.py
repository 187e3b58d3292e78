"""MS-OVBA compression: our compressor against oletools' independent decompressor."""

import random
import zipfile

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from selfeval.excel import ovba
from selfeval.excel.xlam import TEMPLATE, XLWINGS_BAS

# Runs of repeated pieces: long back-references, overlapping copies, chunk boundaries.
runs = st.lists(
    st.tuples(st.binary(min_size=1, max_size=6), st.integers(min_value=1, max_value=3000)),
    max_size=8,
).map(lambda parts: b"".join(piece * count for piece, count in parts))
arbitrary = st.one_of(st.binary(max_size=12000), runs)


def noise(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def roundtrip(data: bytes) -> None:
    container = ovba.compress(data)
    assert decompress_stream(bytearray(container)) == data
    assert ovba.decompress(container) == data


@pytest.mark.slow  # imports oletools (over a second)
@settings(max_examples=150, deadline=None)
@given(arbitrary)
def test_compressed_data_decompresses_with_oletools(data: bytes) -> None:
    roundtrip(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"abc" * 5000,
        bytes(range(256)) * 16,  # exactly one chunk, no 3-byte repeat inside a 256-byte window
        bytes(range(256)) * 16 + b"x",
        noise(3700),  # short final chunk that does not compress
        noise(4096 * 2 + 3700),
    ],
    ids=["empty", "one", "repeats", "chunk", "chunk+1", "short-raw", "raw+short-raw"],
)
def test_edge_cases(data: bytes) -> None:
    roundtrip(data)


def test_incompressible_chunk_is_stored_raw() -> None:
    data = noise(4096)
    container = ovba.compress(data)
    assert len(container) == 1 + 2 + 4096
    assert container[1:3] == b"\xff\x3f"  # size 4095, signature 0b011, flag 0


def test_vba_source_compresses_like_excel() -> None:
    # Excel's compressor stores the wheel's xlwings module in 19332 bytes; ours is close.
    source = XLWINGS_BAS.read_bytes()
    assert len(ovba.compress(source)) < len(source) * 0.45


def test_decompresses_what_office_wrote() -> None:
    """The template's dir stream was compressed by Office's own writer."""
    with zipfile.ZipFile(TEMPLATE) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
    raw = ole.openstream("VBA/dir").read()
    assert ovba.decompress(raw) == decompress_stream(bytearray(raw))


@pytest.mark.parametrize("container", [b"", b"\x02", b"\x01\x00\x00", b"\x01\x02\xb0\x01\x05\x00"])
def test_malformed_containers_raise_value_error(container: bytes) -> None:
    with pytest.raises(ValueError):
        ovba.decompress(container)
