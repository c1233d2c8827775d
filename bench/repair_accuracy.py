"""How much of the original text encoding repair restores, per kind of corruption.

    python bench/repair_accuracy.py

The text is the five documents' clean text plus 500 MSRA test sentences. Each
kind corrupts it, repairs the bytes and reports the share of original
characters restored (matching blocks, difflib) and the characters counted lost.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import opencc

from pipeline.corpora import msra_test
from pipeline.encoding import repair_bytes

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def restored(got: str, want: str) -> float:
    matcher = difflib.SequenceMatcher(None, got, want, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(want)


def lines_that(text: str, keep) -> str:
    return "\n".join(line for line in text.splitlines() if line and keep(line))


def encodable(codec: str):
    def check(line: str) -> bool:
        try:
            line.encode(codec)
            return True
        except UnicodeEncodeError:
            return False
    return check


def main() -> None:
    clean = [repair_bytes(p.read_bytes()).text for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    text = "\n".join(clean + [item.text for item in msra_test(CORPORA)[:500]])
    traditional = lines_that(opencc.OpenCC("s2t.json").convert(text), encodable("big5"))
    kinds = {
        "gb18030": (text, text.encode("gb18030")),
        "big5 (traditional)": (opencc.OpenCC("t2s.json").convert(traditional), traditional.encode("big5")),
        "utf-16": (text, text.encode("utf-16")),
        "gb18030 read as latin-1": (text, text.encode("gb18030").decode("latin-1").encode("utf-8")),
        "gb18030 read as cp1252": (lines_that(text, lambda s: _cp1252_safe(s)),
                                   lines_that(text, lambda s: _cp1252_safe(s)).encode("gb18030")
                                   .decode("cp1252").encode("utf-8")),
        "utf-8 read as latin-1": (text, text.encode("utf-8").decode("latin-1").encode("utf-8")),
        "utf-8 read as gbk (errors=replace)": (text, text.encode("utf-8").decode("gbk", errors="replace").encode()),
        "traditional with inline pinyin": (opencc.OpenCC("t2s.json").convert(traditional),
                                           _annotated(traditional).encode("utf-8")),
        "ocr spaces between characters": (text, " ".join(text).replace(" \n ", "\n").encode("utf-8")),
    }
    results = {}
    for kind, (want, data) in kinds.items():
        repaired = repair_bytes(data)
        results[kind] = {"restored": round(restored(repaired.text, want.strip()), 4),
                         "lost_chars": repaired.lost_chars, "repairs": repaired.repairs}
    print(json.dumps(results, ensure_ascii=False, indent=2))


def _annotated(text: str) -> str:
    """A reading aid after every fifth Han character, as 協(xié)會 in yearbooks."""
    out, count = [], 0
    for char in text:
        out.append(char)
        if "\u4e00" <= char <= "\u9fff":
            count += 1
            if count % 5 == 0:
                out.append("(xié)")
    return "".join(out)


def _cp1252_safe(line: str) -> bool:
    try:
        line.encode("gb18030").decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


if __name__ == "__main__":
    main()
