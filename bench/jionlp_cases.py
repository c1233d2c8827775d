"""JioNLP's own time-parser test cases against this project's date resolver and JioNLP itself.

The cases file (`test/test_time_parser.py` of dongrixinyu/JioNLP) is read with `ast`, never imported: its
code stays out of this repository, the bench takes its path. In scope: every `[text, time_base, expected]`
of its `time_string_list` (run with default options) whose expected type is `time_point` or `time_span`
and whose bounds are whole days, or the base instant itself (`年底前`: from now to 31 December). Both are
compared on the date part of each bound (`YYYY-MM-DD`).

A `time_base` is read as JioNLP reads it: a number is a Unix timestamp in China time (UTC+8), a list is
[y, m, d, ...], a dict ({'year': 1966}) names some fields, `datetime.datetime(...)`, `time.time()` = now;
the fields a base leaves out are 1 (JioNLP's `_convert_handler2datetime`), so every case gets a day as its
reference date. Variables (`_ts_1`) are resolved from the file's assignments.

Cases resting on a convention `shared/spec/OUTPUT.md` decides otherwise are listed with the reason and left
out of the pass rates (`EXCLUSIONS`). zhie passes a case when it finds one date in the text and that date's
(start, end) equals the expected dates; it gives a wrong value when one of its dates shares no day with the
expected interval.
"""
from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.dates import resolve_dates
from pipeline.reference_date import ReferenceDate
from pipeline.segment import segment_text

JIONLP_COMMIT = "0ac7975852008f52ea0d692b016eeda6e675f7ce"
CHINA = dt.timezone(dt.timedelta(hours=8))
DAY_START, DAY_END = "00:00:00", "23:59:59"


@dataclass
class Case:
    text: str
    base: dt.datetime  # JioNLP's base time, in China time
    raw_base: object  # the base as JioNLP is given it
    start: str  # expected bounds as the file gives them
    end: str
    category: str  # the comment heading over the case
    line: int


# Conventions where the spec answers otherwise: (reason, test on the case). Each says which rule of
# OUTPUT.md's dates section (or what it leaves out) the expected answer contradicts.
def _month_part(case: Case) -> bool:
    """月初 ends on day 10, 月底/月末/下旬 start on day 21 in the spec; JioNLP ends 月初 on the 5th, starts
    月底 on the 25th and 下旬 on the 11th."""
    match = re.search(r"月(初(?![一二三四五六七八九十\d])|底|末|下旬)", case.text)
    if not match:
        return False
    if match[1] == "初":
        return int(case.end[8:10]) != 10
    return not case.start[0].isdigit() or int(case.start[8:10]) != 21


EXCLUSIONS: list[tuple[str, object]] = [
    ("open-ended span (inf): the spec's intervals have two dates",
     lambda c: c.start == "-inf" or c.end == "inf"),
    ("season by solar terms: the spec's seasons are months (spring Mar-May, winter Dec-Feb)",
     lambda c: re.search(r"[春夏秋冬](?:季|天)?$", c.text) is not None),
    ("part of a month: the spec's 月初 is days 1-10, 月底/下旬 days 21 to the last",
     _month_part),
    ("a duration counted back (`以来`): the spec tags no durations (`10年来`)",
     lambda c: re.search(r"以?来$", c.text) is not None),
    ("a span counted from the day of writing (`近30天`, `未来7天`, `过去的一年`, `前两周`): the spec tags no durations "
     "(`10年来`; golden news-167 `近5年`; the probe and real gold leave out `未来三年`, `过去五年`)",
     lambda c: re.match(r"近|未来|今后|过去|前[\d两二三四五六七八九十]+个?(?:周|星期|天|月|年)$", c.text) is not None),
    ("a start (`X起`): the project tags the date itself, the span it opens is open (golden news-006 "
     "`自2023年10月8日起`)", lambda c: c.text.endswith("起") and not c.text.startswith("从上")),
    ("`X至今`: the project tags the start alone (golden news-014 `2015年至今` is 2015年)",
     lambda c: c.text.endswith("至今")),
    ("a duration bounded by the day of writing (`60日内`): the spec tags no durations (`为期2个月`; probe gold "
     "leaves out `未来三年内`)", lambda c: c.text.endswith("内")),
    ("a year's 小寒/大寒 placed in January of the next (JioNLP counts the terms from 立春): the spec dates a "
     "festival on its own day in that year", lambda c: re.search(r"年[小大]寒$", c.text) is not None
     and c.start[:4] != c.text[:4]),
    ("a deadline (`X前`, `X以前`): the project tags the date itself (probe gold: `4月底前` is 4月底)",
     lambda c: re.search(r"[年月日号底初](?:之|以)?前$", c.text) is not None and c.start[:10] == c.base.date().isoformat()),
    ("an approximate count (几, 多): the spec emits no date it cannot place",
     lambda c: re.search(r"[几多]", c.text) is not None),
    ("an ordinal year (`第七年`) counts from an event the text tells, not the day of writing (golden jc-017: "
     "`第3年后` gives no date)", lambda c: re.fullmatch(r"第[\d一二三四五六七八九十]+年", c.text) is not None),
    ("half a month counted (`两个半月前`) answered with a 30-day window from the shifted day: the spec's intervals "
     "are calendar periods (the project gives the month holding that day)", lambda c: "个半月" in c.text),
    ("腊月 given a year alone: JioNLP takes that lunar year's 腊月 (January of the next year); the spec dates a "
     "lunar day in that year, as its 除夕 (`festival_date`)",
     lambda c: c.text.startswith("腊月") and isinstance(c.raw_base, dict) and "month" not in c.raw_base),
    ("month and day without 日 and no lunar cue read as lunar: the spec reads them as solar",
     lambda c: re.fullmatch(r"(?:[去明后今]年)?(?:[一二三四五六七八九十]{1,3}月)?[廿][一二三四五六七八九]", c.text)
     is not None),
]


def _base_value(node: ast.expr, names: dict[str, object]) -> object:
    """A time_base as JioNLP is given it, without running the file."""
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.Call):
        called = ast.unparse(node.func)
        if called == "time.time":
            return time.time()
        if called == "datetime.datetime":
            return dt.datetime(*[ast.literal_eval(arg) for arg in node.args])
        raise ValueError(f"unknown time_base call {called}")
    return ast.literal_eval(node)


def _as_datetime(value: object) -> dt.datetime:
    """JioNLP's reading of a base: a timestamp in China time; missing fields 1 (day) or 0 (clock)."""
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, CHINA).replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value
    fields = list(value) if isinstance(value, list) else [value.get(k, -1) for k in
                                                          ("year", "month", "day", "hour", "minute", "second")]
    fields += [-1] * (6 - len(fields))
    return dt.datetime(*[f if f > -1 else (1 if i < 3 else 0) for i, f in enumerate(fields)])


def _headings(lines: list[str]) -> dict[int, str]:
    """Line number -> the comment heading above it: the first comment line after a blank line."""
    heading, found = "", {}
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#") and not stripped.startswith("# [") and lines[number - 2].strip() in ("", "time_string_list = ["):
            heading = stripped.lstrip("# ").strip()
        found[number] = heading
    return found


def load_cases(path: Path) -> list[Case]:
    """Every point or span case of the file's `time_string_list` whose bounds are days or the base."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    names: dict[str, object] = {}
    cases_node = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "time_string_list":
                cases_node = node.value
            elif isinstance(node.value, ast.Constant):
                names[node.targets[0].id] = node.value.value
    headings = _headings(source.splitlines())
    cases = []
    for element in cases_node.elts:
        text_node, base_node, expected_node = element.elts
        expected = ast.literal_eval(expected_node)
        if expected["type"] not in ("time_point", "time_span"):
            continue
        raw_base = _base_value(base_node, names)
        base = _as_datetime(raw_base)
        start, end = expected["time"]
        now = base.strftime("%Y-%m-%d %H:%M:%S")
        if start not in ("-inf", now) and start[11:] != DAY_START or end not in ("inf", now) and end[11:] != DAY_END:
            continue  # an answer finer than a day
        cases.append(Case(ast.literal_eval(text_node), base, raw_base, start, end,
                          headings[element.lineno], element.lineno))
    return cases


def exclusion(case: Case) -> str | None:
    return next((reason for reason, rule in EXCLUSIONS if rule(case)), None)


def zhie_dates(case: Case) -> list[tuple[str, str, str]]:
    reference = ReferenceDate(case.base.date().isoformat(), "given")
    return [(m.text, m.value_start.isoformat(), m.value_end.isoformat())
            for m in resolve_dates(case.text, segment_text(case.text), reference)]


def jionlp_dates(case: Case) -> tuple[str, str] | None:
    base = list(case.raw_base) if isinstance(case.raw_base, list) else case.raw_base
    try:
        with contextlib.redirect_stdout(sys.stderr):  # JioNLP prints a banner when loaded: keep `--json` clean
            import jionlp

            answer = jionlp.parse_time(case.text, time_base=base)
    except Exception:  # JioNLP raises on some of its own cases; that case fails
        return None
    span = answer.get("time") if answer else None
    return (span[0][:10], span[1][:10]) if isinstance(span, list) and len(span) == 2 else None


def _shares_no_day(found: list[tuple[str, str, str]], start: str, end: str) -> bool:
    low = start[:10] if start[0].isdigit() else "0000-00-00"
    high = end[:10] if end[0].isdigit() else "9999-99-99"
    return any(f_end < low or f_start > high for _, f_start, f_end in found)


def evaluate(cases: list[Case]) -> dict:
    os.environ["TZ"] = "Asia/Shanghai"  # JioNLP reads timestamps in local time; its answers are China time's
    time.tzset()
    kept, excluded, failures, wrong = [], [], defaultdict(list), []
    passed = Counter()
    for case in cases:
        reason = exclusion(case)
        if reason:
            excluded.append({"text": case.text, "line": case.line, "reason": reason})
            continue
        kept.append(case)
        expected = (case.start[:10], case.end[:10])
        ours = zhie_dates(case)
        ok = len(ours) == 1 and ours[0][1:] == expected
        passed["zhie"] += ok
        passed["jionlp"] += jionlp_dates(case) == expected
        if not ok:
            failures[case.category].append({"text": case.text, "base": case.base.isoformat(sep=" "),
                                            "expected": list(expected), "zhie": [list(f) for f in ours]})
        if _shares_no_day(ours, case.start, case.end):
            wrong.append(case.text)
    total = len(kept)
    return {"jionlp_commit": None, "in_scope": len(cases), "excluded": len(excluded), "kept": total,
            "pass": {name: {"passed": passed[name], "kept": total, "rate": round(passed[name] / total, 3)}
                     for name in ("zhie", "jionlp")},
            "zhie_no_shared_day": wrong, "zhie_failures": dict(failures), "excluded_cases": excluded}


def run_jionlp_cases(path: Path, commit: str, as_json: bool = False) -> None:
    result = evaluate(load_cases(path))
    result["jionlp_commit"] = commit
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"JioNLP test/test_time_parser.py at {commit}")
    print(f"in scope {result['in_scope']}, excluded {result['excluded']}, kept {result['kept']}")
    for name, score in result["pass"].items():
        print(f"  {name:7s} {score['passed']:4d}/{score['kept']} ({score['rate']:.1%})")
    print(f"zhie's answers sharing no day with the expected one: {len(result['zhie_no_shared_day'])}"
          f" {result['zhie_no_shared_day']}")
    print("\nzhie's failures by category:")
    for category, failed in sorted(result["zhie_failures"].items(), key=lambda kv: -len(kv[1])):
        print(f"  {category} ({len(failed)})")
        for item in failed:
            print(f"    {item['text']}  base {item['base'][:10]}  expected {item['expected']}  zhie {item['zhie']}")
    print("\nexcluded (the spec decides otherwise):")
    for item in result["excluded_cases"]:
        print(f"  line {item['line']}: {item['text']}  {item['reason']}")
