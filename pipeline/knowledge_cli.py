"""`zhie knowledge`: check a knowledge pack and see what it defines; list the packs a run can use."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.cli_errors import fail
from pipeline.knowledge import KnowledgeError, load_knowledge, read_manifest, read_pack
from pipeline.knowledge_packs import PackSet
from pipeline.resources import RESOURCES

app = typer.Typer(help="Check knowledge packs (the data files the stages read) and list them.",
                  no_args_is_help=True)


def check_packs(folders: list[str], pack: str) -> PackSet:
    """Every pack a run would use, validated before any document is read (raises KnowledgeError)."""
    return PackSet([Path(folder) for folder in folders], pack)


def _size(value: Any) -> str:
    if isinstance(value, dict):
        shown = ", ".join(map(str, list(value)[:6]))
        return f"{len(value)} entries ({shown}{', …' if len(value) > 6 else ''})"
    if isinstance(value, list):
        return f"{len(value)} items"
    return repr(value)


def describe(files: dict[str, Any]) -> list[str]:
    """One line per key of each file (or per word file): what the pack defines."""
    lines = []
    for name, data in files.items():
        if isinstance(data, dict):
            lines += [f"{name}: {key}: {_size(value)}" for key, value in data.items()]
        else:
            lines.append(f"{name}: {_size(data)}")
    return lines


@app.command("check")
def check_command(
    folder: Annotated[Path | None, typer.Argument(
        help="A pack folder to check as an addition to the base pack (default: the base pack itself).",
        show_default=False)] = None,
) -> None:
    """Validate a knowledge pack: known files and keys only, actions in the action table, regexes that
    compile. Prints what the pack defines; exit code 1 and `file:line: problem` when it is not valid."""
    try:
        if folder is None:
            manifest, files = read_manifest(RESOURCES), read_pack(RESOURCES, whole=True)
        else:
            manifest = read_manifest(folder)
            files = read_pack(folder, actions=list(load_knowledge().actions))
            PackSet([folder], manifest.name)  # merged with the base, as a run would use it
    except KnowledgeError as error:
        fail(f"Error: {error}", 1)
    typer.echo(f"{manifest.name}: valid. {manifest.description.strip()}")
    for line in describe(files):
        typer.echo(f"  {line}")


@app.command("list")
def list_command(
    knowledge: Annotated[list[Path] | None, typer.Option(
        "--knowledge", metavar="DIR", help="Also a folder of your own pack; repeatable.")] = None,
) -> None:
    """The packs a run can use: the base pack, the shipped add-on packs and your own, each with what it is for."""
    try:
        packs = PackSet(knowledge or [])
    except KnowledgeError as error:
        fail(f"Error: {error}", 1)
    for name, description in packs.describe().items():
        typer.echo(f"{name}: {description.strip()}")
