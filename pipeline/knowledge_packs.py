"""Which knowledge packs a document gets: the base pack always, an add-on pack when the text shows
the evidence its `pack.yaml` names (`民国110年`, `今（113）年`, places of Taiwan, Hong Kong and
Macau), or the packs a user names for every document (`--pack`). A user's own pack folder
(`--knowledge DIR`) is added to the choice like a shipped one: with no evidence patterns it applies
to every document."""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pipeline.knowledge import (
    SHIPPED_PACKS,
    Knowledge,
    KnowledgeError,
    load_knowledge,
    read_manifest,
)
from pipeline.knowledge_schema import PackManifest
from pipeline.resources import RESOURCES

AUTO = "auto"


def shipped_packs() -> list[Path]:
    return sorted(path for path in SHIPPED_PACKS.iterdir() if (path / "pack.yaml").is_file())


class PackSet:
    """The packs a run may use, each validated up front, and the choice of them per document."""

    def __init__(self, user_folders: Sequence[Path] = (), choice: str = AUTO) -> None:
        self.base = read_manifest(RESOURCES)
        self.base_name = self.base.name
        self.addons: dict[str, tuple[Path, PackManifest]] = {}
        shipped = shipped_packs()
        folders = shipped + [Path(f) for f in user_folders if Path(f).resolve() not in {p.resolve() for p in shipped}]
        for folder in folders:
            manifest = read_manifest(folder)
            if manifest.name in self.addons or manifest.name == self.base_name:
                raise KnowledgeError(f"{folder / 'pack.yaml'}:1: a pack named {manifest.name!r} is loaded already")
            self.addons[manifest.name] = (folder, manifest)
        self.evidence = {name: [re.compile(p) for p in manifest.evidence] for name, (_, manifest) in self.addons.items()}
        self.fixed = None if choice == AUTO else self._named(choice)
        self.knowledge(self.names(self.fixed or tuple(self.addons)))  # every pack is validated before any work

    def _named(self, choice: str) -> tuple[str, ...]:
        names = tuple(name.strip() for name in choice.split(",") if name.strip() and name.strip() != self.base_name)
        unknown = [name for name in names if name not in self.addons]
        if unknown:
            raise KnowledgeError(f"unknown pack {unknown[0]!r}: the packs are "
                                 f"{', '.join([AUTO, self.base_name, *self.addons])}")
        return names

    def choose(self, text: str) -> str:
        """The packs for a document, as a name (`mainland+tw_hk_mo`): the base, then the add-ons in order."""
        if self.fixed is not None:
            return self.names(self.fixed)
        chosen = [name for name, (_, manifest) in self.addons.items()
                  if not manifest.evidence or sum(len(p.findall(text)) for p in self.evidence[name])
                  >= manifest.min_evidence]
        return self.names(tuple(chosen))

    def names(self, addons: tuple[str, ...]) -> str:
        return "+".join((self.base_name, *addons))

    def knowledge(self, name: str) -> Knowledge:
        """The merged knowledge of a `choose()` result (loaded once per process)."""
        addons = name.split("+")[1:]
        return load_knowledge((RESOURCES, *(self.addons[addon][0] for addon in addons)))

    def actions(self) -> tuple[str, ...]:
        """Every action class the packs define: the base's, then those the add-ons add."""
        return tuple(self.knowledge(self.names(tuple(self.addons))).actions)

    def describe(self) -> dict[str, str]:
        return {self.base_name: self.base.description,
                **{name: manifest.description for name, (_, manifest) in self.addons.items()}}
