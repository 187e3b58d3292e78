"""MS-OVBA §2.4.1 compression, the container format of VBA source and of the ``dir`` stream.

A container is the signature byte 0x01 followed by chunks. Each chunk holds up to 4096
decompressed bytes, stored either as tokens (literal bytes and back-references within the
chunk) or raw. Matching uses hash chains of 3-byte prefixes: Excel does not require the
longest match, only a valid one, so the search is bounded to keep the build fast.
"""

_CHUNK = 4096
_MAX_TOKEN_BYTES = 4096  # a compressed chunk stores at most 4096 bytes after its header
_MAX_CANDIDATES = 256


def compress(data: bytes) -> bytes:
    """Compress ``data`` into a CompressedContainer."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[start : start + _CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress a CompressedContainer; raise ValueError when it is malformed."""
    if not container or container[0] != 0x01:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError(f"bad chunk signature at offset {pos}")
        end = min(pos + (header & 0x0FFF) + 3, len(container))
        if header >> 15:
            _decompress_tokens(container, pos + 2, end, out)
        else:
            out += container[pos + 2 : pos + 2 + _CHUNK]
            end = pos + 2 + _CHUNK
        pos = end
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    tokens = _tokens(chunk)
    if len(tokens) <= _MAX_TOKEN_BYTES:
        return _chunk_header(len(tokens), compressed=True) + tokens
    if len(chunk) == _CHUNK:
        return _chunk_header(_CHUNK, compressed=False) + chunk
    # A raw chunk always decompresses to 4096 bytes (the spec pads it with zeros), so a
    # short final chunk that does not compress is split into two halves that do fit.
    half = len(chunk) // 2
    return _compress_chunk(chunk[:half]) + _compress_chunk(chunk[half:])


def _chunk_header(size: int, compressed: bool) -> bytes:
    # 12 bits: chunk size (header included) minus 3; 3 bits: signature 0b011; 1 bit: flag.
    return ((size + 2 - 3) | 0x3000 | (int(compressed) << 15)).to_bytes(2, "little")


def _tokens(chunk: bytes) -> bytes:
    out = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos = 0
    while pos < len(chunk):
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= len(chunk):
                break
            offset, length = _longest_match(chunk, pos, heads)
            if length >= 3:
                out[flag_at] |= 1 << bit
                out += _copy_token(pos, offset, length).to_bytes(2, "little")
            else:
                length = 1
                out.append(chunk[pos])
            for p in range(pos, pos + length):
                heads.setdefault(chunk[p : p + 3], []).append(p)
            pos += length
    return bytes(out)


def _bit_count(pos: int) -> int:
    """Bits of a copy token that hold the offset, given the position in the chunk (§2.4.1.3.19.1)."""
    return max((pos - 1).bit_length(), 4)


def _longest_match(chunk: bytes, pos: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    limit = min((0xFFFF >> _bit_count(pos)) + 3, len(chunk) - pos)
    best_offset, best_length = 0, 0
    for candidate in reversed(heads.get(chunk[pos : pos + 3], [])[-_MAX_CANDIDATES:]):
        length = 0
        while length < limit and chunk[candidate + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = pos - candidate, length
            if length == limit:
                break
    return best_offset, best_length


def _copy_token(pos: int, offset: int, length: int) -> int:
    return ((offset - 1) << (16 - _bit_count(pos))) | (length - 3)


def _decompress_tokens(container: bytes, pos: int, end: int, out: bytearray) -> None:
    chunk_start = len(out)
    while pos < end:
        flags = container[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not (flags >> bit) & 1:
                out.append(container[pos])
                pos += 1
                continue
            token = int.from_bytes(container[pos : pos + 2], "little")
            pos += 2
            bits = _bit_count(len(out) - chunk_start)
            offset = (token >> (16 - bits)) + 1
            if offset > len(out) - chunk_start:
                raise ValueError("copy token points before the chunk start")
            for _ in range((token & (0xFFFF >> bits)) + 3):
                out.append(out[-offset])
