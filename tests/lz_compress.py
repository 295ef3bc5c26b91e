"""lz-string's ``compressToEncodedURIComponent`` for the fake BPJS server (tests only).

Written apart from shared/bpjs/lzstring.py (a port of the compressor, not of the decompressor),
so that a round trip checks one against the other; vectors from lz-string's own tests pin both.
"""

from __future__ import annotations

URI_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"


class _Writer:
    def __init__(self, bits_per_char: int) -> None:
        self.bits_per_char = bits_per_char
        self.out: list[str] = []
        self.val = 0
        self.position = 0

    def bit(self, bit: int) -> None:
        self.val = (self.val << 1) | bit
        if self.position == self.bits_per_char - 1:
            self.position = 0
            self.out.append(URI_SAFE[self.val])
            self.val = 0
        else:
            self.position += 1

    def value(self, value: int, count: int) -> None:
        for _ in range(count):
            self.bit(value & 1)
            value >>= 1


def _code_units(text: str) -> list[str]:
    raw = text.encode("utf-16-le", "surrogatepass")
    return [chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2)]


def compress_to_encoded_uri_component(text: str) -> str:
    dictionary: dict[str, int] = {}
    to_create: set[str] = set()
    w = ""
    enlarge_in, dict_size, num_bits = 2, 3, 2
    out = _Writer(6)

    def emit(word: str) -> None:
        nonlocal enlarge_in, num_bits
        if word in to_create:
            code = ord(word[0])
            if code < 256:
                out.value(0, num_bits)
                out.value(code, 8)
            else:
                out.value(1, num_bits)
                out.value(code, 16)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in, num_bits = 2**num_bits, num_bits + 1
            to_create.discard(word)
        else:
            out.value(dictionary[word], num_bits)

    for c in _code_units(text):
        if c not in dictionary:
            dictionary[c] = dict_size
            dict_size += 1
            to_create.add(c)
        wc = w + c
        if wc in dictionary:
            w = wc
            continue
        emit(w)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in, num_bits = 2**num_bits, num_bits + 1
        dictionary[wc] = dict_size
        dict_size += 1
        w = c
    if w:
        emit(w)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in, num_bits = 2**num_bits, num_bits + 1
    out.value(2, num_bits)
    while True:
        out.val <<= 1
        if out.position == out.bits_per_char - 1:
            out.out.append(URI_SAFE[out.val])
            break
        out.position += 1
    return "".join(out.out)
