"""LZ-string's ``decompressFromEncodedURIComponent``, as BPJS compresses its answers.

A port of lz-string 1.4/1.5 (pieroxy, MIT). The PyPI package ``lzstring`` (1.0.4, 2018) is
unmaintained and pulls in ``future``; this is the one function BPJS needs. JavaScript strings are
UTF-16 code units: the result is rebuilt from them, so characters outside the BMP survive.
Checked against lz-string's published vectors and an independent compressor in the tests.
"""

from __future__ import annotations

URI_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
_VALUE = {char: index for index, char in enumerate(URI_SAFE)}


class CorruptData(ValueError):
    """Not lz-string output (BPJS's answer was decrypted with the wrong key, or truncated)."""


class _Bits:
    def __init__(self, text: str) -> None:
        self.text = text
        self.val = self._value(0)
        self.position = 32
        self.index = 1

    def _value(self, index: int) -> int:
        if index >= len(self.text):
            return 0
        try:
            return _VALUE[self.text[index]]
        except KeyError as error:
            raise CorruptData(f"not an lz-string character: {self.text[index]!r}") from error

    def read(self, count: int) -> int:
        bits, power = 0, 1
        for _ in range(count):
            bit = self.val & self.position
            self.position >>= 1
            if self.position == 0:
                self.position = 32
                self.val = self._value(self.index)
                self.index += 1
            if bit:
                bits |= power
            power <<= 1
        return bits


def _from_code_units(units: list[str]) -> str:
    joined = "".join(units)
    return joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def decompress_from_encoded_uri_component(text: str) -> str:
    if text == "":
        raise CorruptData("empty")
    data = _Bits(text.replace(" ", "+"))
    dictionary: list[str] = ["", "", ""]
    kind = data.read(2)
    if kind == 2:
        return ""
    if kind not in (0, 1):
        raise CorruptData("bad start")
    first = chr(data.read(8 if kind == 0 else 16))
    dictionary.append(first)
    enlarge_in, num_bits = 4, 3
    word = first
    result = [first]
    while True:
        if data.index > len(data.text) + 1:
            raise CorruptData("ran past the end")
        code = data.read(num_bits)
        if code in (0, 1):
            dictionary.append(chr(data.read(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
        elif code == 2:
            return _from_code_units(result)
        if enlarge_in == 0:
            enlarge_in = 2**num_bits
            num_bits += 1
        if code < len(dictionary) and code > 2:
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = word + word[0]
        else:
            raise CorruptData("bad dictionary reference")
        result.append(entry)
        dictionary.append(word + entry[0])
        enlarge_in -= 1
        word = entry
        if enlarge_in == 0:
            enlarge_in = 2**num_bits
            num_bits += 1
