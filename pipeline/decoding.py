"""Bytes to text: byte-order marks, UTF-16 without one, strict UTF-8, UTF-8 with a few bad lines, then
the codec whose reading looks most like Chinese."""
from __future__ import annotations

import codecs

from pipeline.plausibility import plausibility

CANDIDATES = ("utf-8", "gb18030", "big5", "utf-16")


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 text without a byte-order mark, else None.

    Chinese text in UTF-16 carries ASCII (digits, line breaks, spaces) whose high byte is zero, so most
    of its zero bytes stand at odd offsets (little-endian) or at even ones (only the odd Han character,
    such as U+5F00, has a zero low byte); 8-bit text has no zero bytes but a stray NUL.
    """
    sample = data[:min(len(data), 8192) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 4 or max(even, odd) < 3 * min(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec if plausibility(text) > 0.5 else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes, preferring BOMs, then UTF-16's zero-byte pattern, then strict UTF-8, then the most
    Chinese-looking codec."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    utf16 = utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_lines(data)
    if mixed is not None:
        return mixed
    scored = []
    for codec in CANDIDATES[1:] + ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text), codec, text))
    if scored:
        best = max(scored, key=lambda s: s[0])
        if best[0] > 0.3:
            return best[2], best[1]
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        return str(match), match.encoding
    return data.decode("gb18030", errors="replace"), "gb18030"


def _decode_lines(data: bytes) -> tuple[str, str] | None:
    """Mostly UTF-8 with a few bad lines (a truncated file, pasted GBK): decode line by line.

    Lines that are not UTF-8 are tried as GB18030 when that reads as Chinese;
    what neither decodes becomes U+FFFD, counted as lost.
    """
    lines = data.split(b"\n")
    bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    if len(bad) * 2 > len(lines):
        return None
    out = []
    for i, line in enumerate(lines):
        if i in bad:
            try:
                fixed = line.decode("gb18030")
                out.append(fixed if plausibility(fixed) > 0.5 else line.decode("utf-8", errors="replace"))
            except UnicodeDecodeError:
                out.append(line.decode("utf-8", errors="replace"))
        else:
            out.append(line.decode("utf-8"))
    return "\n".join(out), "utf-8+mixed"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
