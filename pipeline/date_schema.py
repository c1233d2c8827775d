"""The schema of the date knowledge (`dates.yaml`): numerals, eras, relative words, festivals, the time
model's words (stamps, datelines, notices, plans, what is said)."""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from pipeline.knowledge_types import Chars, Granularity, Regex, Schema, Word, Words


class Dates(Schema):
    numerals: dict[Word, int]
    tens_numerals: dict[Word, int]
    hundreds_numeral: Word
    eras: dict[Word, int]
    year_digits: Regex
    era_year_digits: Regex
    bracket_era: Word
    era_evidence: Regex
    bracket_days: dict[Word, int]
    bracket_months: Words
    bracket_years: Words
    report_lookback_days: int
    bare_day_followers: Words
    bare_day_blockers: Chars
    furniture_line_words: Words
    dateline_marks: Words
    notice_titles: Words
    notice_phrases: Words
    publishing_phrases: Words
    notice_acts: Words
    attachment_starts: Words
    attachment_ends: Words
    vague_times: Words
    vague_time_not_before: Chars
    speech_verbs: Words
    deictic_not_before: Words
    plan_markers: Words
    plan_words: Words
    lunar_months: dict[Word, int]
    lunar_marker: Regex
    lunar_new_year: Regex
    lunar_leap: Word
    lunar_months_by_name: Words
    deictic_days: dict[Word, tuple[int, Granularity]]
    week_prefixes: dict[Word, int]
    week_words: Words
    weekdays: dict[Word, int]
    weekday_blockers: Words
    weekday_followers: Words
    range_connectors: Words
    day_list_marks: dict[Word, int]
    parts_of_month: dict[Word, tuple[int, int | Literal["end"]]]
    parts_of_year: dict[Word, tuple[tuple[int, int], Granularity]]
    quarter_numbers: dict[Word, int]
    standalone_parts: Words
    month_qualified_nouns: Words
    part_qualified_nouns: Words
    title_year_genres: Words
    yearbook_words: Words
    yearbook_years_before: int
    name_year_followers: Words
    cycle_stems: Chars
    cycle_branches: Chars
    cycle_start: int
    counted_occasions: dict[Word, int]
    parts_of_day: Words
    festivals: dict[Word, tuple[Literal["solar", "lunar"], int, int] | tuple[Literal["solar_term"], Word]
                    | tuple[Literal["weekday"], int, int, int]]
    solar_terms: dict[Word, tuple[int, float, int]]
    festivals_after_year: Words
    festival_eve: Words
    festivals_need_follower: Words
    festival_followers: Words
    alone_days: dict[Word, int]
    month_day_marks: Words
    age_after: Regex
    serial_after_year: Regex
    relative_years: dict[Word, int]
    relative_year_spans: dict[Word, tuple[int, int]]
    same_year: Words
    relative_months: dict[Word, int]
    same_month: Words
    month_names: dict[Word, int]
    relative_days: dict[Word, int]
    same_day: Words
    same_day_not_after: Chars
    first_day: Words
    days_later: Words
    flashback_words: Words
    year_followers: Words
    short_year_centuries: list[int]
    short_year_ahead: int
    counted_units: dict[Word, tuple[Granularity, int]]
    counted_directions: dict[Word, int]
    counted_halves: dict[Word, tuple[Word, Granularity, int, Granularity]]
    half_units: dict[Word, tuple[Word, Granularity, int, Granularity]]
    period_slices: dict[Word, Literal["first", "last", "nth"]]
    slice_units: dict[Word, int]
    month_day_slices: dict[Word, Literal["first", "last"]]
    relative_quarters: dict[Word, int]
    relative_centuries: dict[Word, int]
    decade_parts: dict[Word, tuple[int, int]]
    century_parts: dict[Word, tuple[int, int]]
    stamp_markers: Words

    @model_validator(mode="after")
    def _halves_count_known_units(self) -> "Dates":
        # A half names the unit it halves by its written form in `counted_units`: a typo would fail only when read.
        for form, (unit, *_) in {**self.counted_halves, **self.half_units}.items():
            if unit not in self.counted_units:
                raise ValueError(f"half {form!r}: unit {unit!r} is not in counted_units")
        return self
