"""Text that remembers where each character came from.

Every repair rewrites the text through `Traced.sub` (or `keep_ranges`), which
carries an offset map along: `offsets[i]` is the index in the original decoded
text of clean character `i`. Replacements of equal length map one to one;
others spread their characters over the replaced span.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from typing import Callable

Replacement = str | Callable[[re.Match[str]], str]


@dataclass
class Traced:
    text: str
    offsets: array  # of int64 ("q"): 8 bytes a character, where a list of ints takes about 36
    applied: list[str] = field(default_factory=list)

    @classmethod
    def identity(cls, text: str) -> "Traced":
        return cls(text, array("q", range(len(text))))

    def _origin(self, index: int) -> int:
        if index < len(self.offsets):
            return self.offsets[index]
        return self.offsets[-1] + 1 if self.offsets else 0

    def sub(self, pattern: str | re.Pattern[str], repl: Replacement, name: str) -> "Traced":
        """Like `re.sub`, keeping the offset map; records `name` when anything changed."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        pieces: list[str] = []
        offsets = array("q")
        last = 0
        changed = False
        for match in regex.finditer(self.text):
            start, end = match.span()
            new = repl(match) if callable(repl) else match.expand(repl)
            if new == match.group(0):
                continue
            changed = True
            pieces.append(self.text[last:start])
            offsets.extend(self.offsets[last:start])
            pieces.append(new)
            width = end - start
            if len(new) == width:
                offsets.extend(self.offsets[start:end])
            else:
                offsets.extend(self._origin(start + (i * width) // len(new)) for i in range(len(new)))
            last = end
        if not changed:
            return self
        pieces.append(self.text[last:])
        offsets.extend(self.offsets[last:])
        return Traced("".join(pieces), offsets, self._with(name))

    def replace_all(self, text: str, name: str) -> "Traced":
        """Swap in a whole new text (from a library that gives no alignment), mapping proportionally."""
        if text == self.text:
            return self
        n, m = len(self.text), max(len(text), 1)
        offsets = array("q", (self._origin((i * n) // m) for i in range(len(text))))
        return Traced(text, offsets, self._with(name))

    def keep_ranges(self, ranges: list[tuple[int, int]], separator: str, name: str) -> "Traced":
        """Keep only the given [start, end) ranges, joined by `separator`."""
        pieces: list[str] = []
        offsets = array("q")
        for i, (start, end) in enumerate(ranges):
            if i:
                pieces.append(separator)
                offsets.extend([self._origin(start)] * len(separator))
            pieces.append(self.text[start:end])
            offsets.extend(self.offsets[start:end])
        text = "".join(pieces)
        return self if text == self.text else Traced(text, offsets, self._with(name))

    def strip(self) -> "Traced":
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        if (start, end) == (0, len(self.text)):
            return self
        return Traced(self.text[start:end], self.offsets[start:end], self.applied)

    def _with(self, name: str) -> list[str]:
        return self.applied if name in self.applied else self.applied + [name]

    def repairs(self) -> list[str]:
        return list(self.applied)
