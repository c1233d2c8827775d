"""The field types of the knowledge files' schema (`pipeline.knowledge_schema`): what a value is used as,
checked when the file is loaded."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"bad regex {pattern!r}: {error}") from None
    return pattern


def _known_action(action: str, info: ValidationInfo) -> str:
    actions = (info.context or {}).get("actions")
    if actions is not None and action not in actions:
        raise ValueError(f"unknown action {action!r} (actions.yaml has {', '.join(sorted(actions))})")
    return action


def _no_class_syntax(chars: str) -> str:
    if re.search(r"[\]\\^\-\[]", chars):
        raise ValueError(f"a character set holds ']', '[', '\\', '^' or '-': {chars!r}")
    return chars


Regex = Annotated[str, AfterValidator(_compiles)]
Action = Annotated[str, AfterValidator(_known_action)]
Chars = Annotated[str, AfterValidator(_no_class_syntax)]
Word = Annotated[str, Field(min_length=1)]
Words = list[Word]
Granularity = Literal["time", "part_of_day", "day", "week", "part_of_month", "month", "quarter", "season", "year"]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
