"""The character CRF's inputs and outputs: typed-lexicon and window features, BIOES tags.

Chinese NER works on characters. Each character is described by its
neighbours (unigrams and bigrams in a window of two), their character classes,
and lexicon matches: which entries of a typed lexicon start, end or run through
it (general words from spacy-pkuseg's dictionary, administrative divisions,
organisation heads, titles, surnames, names tagged in the training data).
No spaCy here: training and the command line import this without loading it.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pipeline.mentions import is_han

PAD = "\u2403"  # marks positions before the start and after the end of the text
BIAS = "bias"  # the attribute every character has
CLASS_TEMPLATE = "t"  # the character classes of the previous, this and the next character (`t=HHP`)
MAX_LENGTH_FEATURE = 6  # matches longer than this share one feature value
# Lexicon kinds (`pipeline.train.base_lexicon` writes them; the name-list step reads some).
WORD_KIND, PLACE_KIND, HEAD_KIND, TITLE_KIND, SURNAME_KIND = "W", "P", "H", "T", "S"
OTHER_CORPORA = "x"  # prefix of the labels of names from corpora not trained on
PERSON_KINDS = ("PERSON", OTHER_CORPORA + "PERSON")
OTHER_NAME_KINDS = (PLACE_KIND, HEAD_KIND, "ORG", "LOC", OTHER_CORPORA + "ORG")  # places, heads, organisations


class Lexicon:
    """Typed entries (`word -> kinds`); a character's features say which entries start, end or cover it."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]]) -> None:
        self.entries = entries
        self._longest_from: dict[str, int] | None = None

    @property
    def longest_from(self) -> dict[str, int]:
        """The longest entry starting with each two characters: most positions start no long entry, so
        this bounds the lookups at a position to two or three on average (from eight by first character).
        Built on first use: tagging reads the lexicon through `pipeline.lexicon_index`, not this."""
        if self._longest_from is None:
            self._longest_from = {}
            for word in self.entries:
                if len(word) > self._longest_from.get(word[:2], 1):
                    self._longest_from[word[:2]] = len(word)
        return self._longest_from

    def features(self, text: str) -> list[list[str]]:
        """Per character: for each kind, the longest entry starting (`PB3`) and ending (`PE3`) there,
        and whether an entry runs through it (`PM`); length-1 entries give `SB1`, `SE1`."""
        n = len(text)
        starts: dict[tuple[int, str], int] = {}
        ends: dict[tuple[int, str], int] = {}
        inside: set[tuple[int, str]] = set()
        entries, longest_from = self.entries, self.longest_from
        for i in range(n):
            for length in range(1, min(longest_from.get(text[i:i + 2], 1), n - i) + 1):
                kinds = entries.get(text[i:i + length])
                if kinds is None:
                    continue
                last = i + length - 1
                for kind in kinds:
                    starts[i, kind] = length  # lengths rise, so the last one written is the longest
                    if length > ends.get((last, kind), 0):
                        ends[last, kind] = length
                    if length > 2:
                        inside.update((k, kind) for k in range(i + 1, last))
        features: list[list[str]] = [[] for _ in range(n)]
        for (i, kind), length in starts.items():
            features[i].append(f"{kind}B{min(length, MAX_LENGTH_FEATURE)}")
        for (i, kind), length in ends.items():
            features[i].append(f"{kind}E{min(length, MAX_LENGTH_FEATURE)}")
        for i, kind in sorted(inside):  # sorted: the same text gives the same feature order in any process
            features[i].append(f"{kind}M")
        return features

    def to_disk(self, path: Path) -> None:
        """One line per set of kinds (`P W<TAB>北京<TAB>上海…`): loading is then one dict update per line."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for word, kinds in sorted(self.entries.items()):
            groups.setdefault(kinds, []).append(word)
        lines = (" ".join(kinds) + "\t" + "\t".join(group) + "\n" for kinds, group in sorted(groups.items()))
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.writelines(lines)

    @classmethod
    def from_disk(cls, path: Path) -> "Lexicon":
        entries: dict[str, tuple[str, ...]] = {}
        for line in gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines():
            kinds, _, group = line.partition("\t")
            entries.update(dict.fromkeys(group.split("\t"), tuple(kinds.split())))
        return cls(entries)


def char_class(char: str) -> str:
    if is_han(char):
        return "H"
    if char.isdigit():
        return "D"
    if char.isalpha():
        return "L"
    return "P"


def char_features(text: str, lexicon: Lexicon) -> list[list[str]]:
    """CRFsuite attributes for every character of `text` (built a column at a time: one template over
    the whole text is much faster in Python than every template per character)."""
    n = len(text)
    padded = PAD * 2 + text + PAD * 2
    classes = "".join(map(char_class, padded))
    a, b, c, d, e = (padded[k:k + n] for k in range(5))  # characters at offsets -2 .. +2
    columns = zip(
        ["c0=" + x for x in c], ["c-1=" + x for x in b], ["c1=" + x for x in d],
        ["c-2=" + x for x in a], ["c2=" + x for x in e],
        ["c-1c0=" + x + y for x, y in zip(b, c)], ["c0c1=" + x + y for x, y in zip(c, d)],
        ["c-2c-1=" + x + y for x, y in zip(a, b)], ["c1c2=" + x + y for x, y in zip(d, e)],
        ["c-1c1=" + x + y for x, y in zip(b, d)], ["c-1c0c1=" + x + y + z for x, y, z in zip(b, c, d)],
        [CLASS_TEMPLATE + "=" + classes[k:k + 3] for k in range(1, n + 1)],
    )
    return [[BIAS, *templates, *extra] for templates, extra in zip(columns, lexicon.features(text))]


def bioes_tags(length: int, spans: Iterable[tuple[int, int, str | None]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        if not label:
            continue
        if end - start == 1:
            tags[start] = "S-" + label
            continue
        tags[start] = "B-" + label
        tags[start + 1:end - 1] = ["I-" + label] * (end - start - 2)
        tags[end - 1] = "E-" + label
    return tags


def tagged_spans(tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """Well-formed BIOES spans; a broken sequence (B without its E) yields nothing."""
    start, label = -1, ""
    for i, tag in enumerate(tags):
        prefix, _, name = tag.partition("-")
        if prefix == "S":
            yield i, i + 1, name
        elif prefix == "B":
            start, label = i, name
            continue
        elif prefix == "E" and name == label and start >= 0:
            yield start, i + 1, name
        elif prefix == "I" and name == label and start >= 0:
            continue
        start, label = -1, ""
