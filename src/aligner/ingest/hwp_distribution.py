"""Hancom "distribution" (배포용) documents: the body text in ``ViewText/Section<n>`` is
AES-128 encrypted with a key hidden in the stream's first record.

Per Hancom's published note on distribution documents (한글 문서 파일 형식 – 배포용
문서): the stream starts with an ``HWPTAG_DISTRIBUTE_DOC_DATA`` record of 256 bytes;
its first 4 bytes seed the MSVC ``rand()`` generator, whose output XORs the other 252
bytes; the 16 bytes at ``4 + (byte0 & 0xF)`` of the result are the AES key; the rest of
the stream is AES-128-ECB ciphertext of the (usually deflated) record stream.
Copy/print restrictions are not DRM on reading; the text is shown as Hancom shows it.
"""

from __future__ import annotations

import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from aligner.core.errors import InputError

_TAG_DISTRIBUTE_DOC_DATA = 0x10 + 12
_DATA_SIZE = 256
_AES_BLOCK = 16


def _msvc_rand(seed: int) -> list[int]:
    """The stream of MSVC ``rand()`` values after ``srand(seed)`` (enough for 256 bytes)."""
    out = []
    state = seed & 0xFFFFFFFF
    for _ in range(2 * _DATA_SIZE):
        state = (state * 214013 + 2531011) & 0xFFFFFFFF
        out.append((state >> 16) & 0x7FFF)
    return out


def _key(data: bytes) -> bytes:
    buf = bytearray(data)
    rand = iter(_msvc_rand(struct.unpack_from("<I", buf, 0)[0]))
    mask, run = 0, 0
    for i in range(_DATA_SIZE):
        if run == 0:
            mask = next(rand) & 0xFF
            run = (next(rand) & 0xF) + 1
        if i >= 4:
            buf[i] ^= mask
        run -= 1
    start = 4 + (buf[0] & 0xF)
    return bytes(buf[start : start + 16])


def decrypt_view_text(stream: bytes, name: str) -> bytes:
    """The record stream (still deflated if the file is compressed) of one ViewText section."""
    if len(stream) < 4 + _DATA_SIZE:
        raise InputError(f"{name}: truncated HWP distribution document (section too short); re-save it")
    (head,) = struct.unpack_from("<I", stream, 0)
    tag, size = head & 0x3FF, head >> 20
    if tag != _TAG_DISTRIBUTE_DOC_DATA or size != _DATA_SIZE:
        raise InputError(f"{name}: damaged HWP distribution document (no key record); re-save it")
    key = _key(stream[4 : 4 + _DATA_SIZE])
    body = stream[4 + _DATA_SIZE :]
    body = body[: len(body) - len(body) % _AES_BLOCK]
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()  # ECB: the format's own scheme
    return decryptor.update(body) + decryptor.finalize()
