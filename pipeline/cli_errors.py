"""How the commands report a failure: the message (and any problems) on stderr, then an exit code."""
from __future__ import annotations

from typing import Iterable, NoReturn

import typer


def fail(message: str, code: int, problems: Iterable[str] = ()) -> NoReturn:
    """Print `message` and each problem on stderr and exit with `code` (1 failed, 2 usage error)."""
    typer.echo(message, err=True)
    for problem in problems:
        typer.echo(f"  {problem}", err=True)
    raise typer.Exit(code=code)
