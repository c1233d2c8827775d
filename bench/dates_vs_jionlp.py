"""Date resolution: this project's resolver against JioNLP on the same hand-written cases.

    pip install jionlp   # a bench-only comparison, not a dependency
    python bench/dates_vs_jionlp.py
    python bench/dates_vs_jionlp.py --jionlp-cases PATH [--json]

The second form runs JioNLP's own time-parser test cases (its `test/test_time_parser.py`, kept out of
this repository: give its path) against both resolvers; how the cases are read, scoped and scored is in
`bench/jionlp_cases.py`. The first form follows.

A case passes when the list of (text, start, end) equals the expected one.
JioNLP takes one base time and no document context; it is given the case's
reference date, or, where the case has none, the reference date this project
finds in the document (stamp, title year, dominant year) — a generous setting.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jionlp_cases import JIONLP_COMMIT, run_jionlp_cases  # noqa: E402

from pipeline.dates import resolve_dates  # noqa: E402
from pipeline.reference_date import ReferenceDate, find_reference_date  # noqa: E402
from pipeline.segment import segment_text  # noqa: E402

CASES = Path(__file__).resolve().parent.parent / "tests" / "golden" / "dates" / "cases.jsonl"


def ours(text: str, reference: ReferenceDate | None) -> list[tuple[str, str, str]]:
    return [(m.text, m.value_start.isoformat(), m.value_end.isoformat())
            for m in resolve_dates(text, segment_text(text), reference)]


def jionlp_dates(text: str, reference: ReferenceDate | None) -> list[tuple[str, str, str]]:
    import jionlp

    value = reference.value if reference else "2000"
    base = dt.date(int(value[:4]), int(value[5:7]) if len(value) >= 7 else 1, int(value[8:10]) if len(value) == 10 else 1)
    found = []
    try:
        for item in jionlp.ner.extract_time(text, time_base=time.mktime(base.timetuple()), with_parsing=True):
            span = item["detail"]["time"]
            if isinstance(span, list) and len(span) == 2 and all(isinstance(s, str) for s in span):
                found.append((item["text"], span[0][:10], span[1][:10]))
    except Exception:  # JioNLP raises on some inputs (`5月-6月`); that case fails
        return [("<error>", "", "")]
    return found


def golden() -> None:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    passed = {"zhie": 0, "jionlp": 0}
    for case in cases:
        text = case["doc"]
        given = ReferenceDate(case["reference_date"], "given") if case["reference_date"] else None
        reference = given or find_reference_date(text, segment_text(text))
        expected = [(e["text"], e["start"], e["end"]) for e in case["expected"]]
        passed["zhie"] += ours(text, reference) == expected
        passed["jionlp"] += jionlp_dates(text, reference) == expected
    total = len(cases)
    print(json.dumps({name: {"passed": n, "cases": total, "rate": round(n / total, 3)} for name, n in passed.items()},
                     indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jionlp-cases", type=Path, help="JioNLP's test/test_time_parser.py")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--commit", default=JIONLP_COMMIT, help="the JioNLP commit the cases come from")
    args = parser.parse_args()
    if args.jionlp_cases:
        run_jionlp_cases(args.jionlp_cases, args.commit, as_json=args.json)
    else:
        golden()


if __name__ == "__main__":
    main()
