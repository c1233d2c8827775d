"""The pipeline's knowledge as one validated object, built from packs of data files.

A pack is a folder of knowledge files (`knowledge_schema.MODELS` and `WORD_FILES`) with a
`pack.yaml` saying what it is and which text calls for it. The shipped `mainland` pack
(`pipeline/resources/`) holds every file; other packs (`pipeline/packs/*`, or a user's folder) hold
only what they add: their lists extend the base's, their mappings add or replace keys, their
single values replace. Every file is validated when loaded, and a mistake is reported as
`file:line: problem`. Stages get a `Knowledge` through their component's `initialize()` and build
what they compile from it once (`Knowledge.derived`).
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError, create_model

from pipeline.knowledge_schema import MODELS, WORD_FILES, ActionSpec, PackManifest
from pipeline.resources import RESOURCES

SHIPPED_PACKS = Path(__file__).parent / "packs"
PACK_FILE = "pack.yaml"
T = TypeVar("T")
# libyaml's parser with PyYAML's safe constructors (the same data), where PyYAML was built with it:
# the pure-Python parser took a fifth of each start.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeError(ValueError):
    """A knowledge file that cannot be used; the message starts with `file:line:`."""


@dataclass(eq=False)
class Knowledge:
    """Validated knowledge of one pack combination: the files' data, and what stages compile from it."""
    name: str
    folders: tuple[Path, ...]
    files: dict[str, Any]
    _derived: dict[Callable, Any] = field(default_factory=dict, repr=False)

    def yaml(self, name: str) -> Any:
        return self.files[name]

    def words(self, name: str) -> list[str]:
        return self.files[name]

    def derived(self, build: Callable[["Knowledge"], T]) -> T:
        """What `build` compiles from this knowledge (patterns, tables), built once."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return self._derived[build]

    @property
    def actions(self) -> dict[str, ActionSpec]:
        return self.derived(_action_table)

    def actions_where(self, **wanted: Any) -> frozenset[str]:
        """The actions whose table entry has these values (`what="object"`)."""
        return frozenset(name for name, spec in self.actions.items()
                         if all(getattr(spec, key) == value for key, value in wanted.items()))


def per_knowledge(build: Callable[[Knowledge], T]) -> Callable[[Knowledge], T]:
    """`build(knowledge)`, built once per knowledge and kept with it (what a stage compiles from a pack)."""
    @functools.wraps(build)
    def built(knowledge: Knowledge) -> T:
        return knowledge.derived(build)
    return built


def _action_table(knowledge: Knowledge) -> dict[str, ActionSpec]:
    return {name: ActionSpec(**spec) for name, spec in knowledge.files["actions.yaml"]["actions"].items()}


def alternation(words: Sequence[str]) -> str:
    """A regex alternative of literal words, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- reading and validating ------------------------------------------------------------------

def _node_at(node: yaml.Node | None, loc: Sequence[Any]) -> yaml.Node | None:
    """The YAML node a validation error's location points at (as deep as the file has it)."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if str(k.value) == str(key)]
            if not found:
                return node
            node = found[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def _error(path: Path, node: yaml.Node | None, problem: str) -> KnowledgeError:
    line = node.start_mark.line + 1 if node is not None else 1
    return KnowledgeError(f"{path}:{line}: {problem}")


def _partial(model: type[BaseModel]) -> type[BaseModel]:
    """The model with every field optional: what an add-on pack's file may hold."""
    if "root" in model.model_fields:
        return model
    fields = {name: (Annotated[(info.annotation, *info.metadata)] | None if info.metadata else info.annotation | None,
                     None) for name, info in model.model_fields.items()}
    return create_model(f"{model.__name__}Addition", __base__=model.__base__, **fields)


def read_yaml_file(path: Path, model: type[BaseModel], context: dict, whole: bool) -> Any:
    """A YAML knowledge file, parsed and validated (`whole`: every key required, as in the base pack)."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise KnowledgeError(f"{path}:{mark.line + 1 if mark else 1}: not valid YAML: "
                             f"{getattr(error, 'problem', error)}") from None
    try:
        (model if whole else _partial(model)).model_validate(data, context=context)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        problem = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        # The nodes, with their lines, only for the message: composing them doubled each start's parsing.
        root = yaml.compose(text, Loader=SAFE_LOADER)
        raise _error(path, _node_at(root, first["loc"]), f"{where}: {problem}") from None
    return data


def read_word_file(path: Path) -> list[str]:
    """The whitespace-separated words of a list file, without its `#` comment lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w for line in lines if not line.startswith("#") for w in line.split()]


def _merge(base: Any, addition: Any) -> Any:
    if isinstance(base, dict) and isinstance(addition, dict):
        merged = dict(base)
        for key, value in addition.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(addition, list):
        return base + [item for item in addition if item not in base]
    return addition


def read_manifest(folder: Path) -> PackManifest:
    path = folder / PACK_FILE
    if not path.is_file():
        raise KnowledgeError(f"{path}:1: a knowledge pack needs a {PACK_FILE} (name, description, evidence)")
    return PackManifest(**read_yaml_file(path, PackManifest, {}, whole=True))


def read_pack(folder: Path, actions: Sequence[str] = (), whole: bool = False) -> dict[str, Any]:
    """The knowledge files of one pack folder, each validated; `actions`: the actions known before it
    (an add-on pack may use the base's and define its own). `whole`: the base pack, every file complete."""
    if not folder.is_dir():
        raise KnowledgeError(f"{folder}:1: no such knowledge folder")
    known = set(MODELS) | set(WORD_FILES) | {PACK_FILE, "__init__.py", "__pycache__"}
    for path in sorted(folder.iterdir()):
        if path.name not in known:
            raise KnowledgeError(f"{path}:1: not a knowledge file (known: {', '.join(sorted(MODELS) + list(WORD_FILES))})")
    files: dict[str, Any] = {}
    for name, model in MODELS.items():  # actions.yaml first: the triggers are checked against it
        path = folder / name
        if path.is_file():
            context = {"actions": set(actions) | set(files.get("actions.yaml", {}).get("actions", {}))}
            files[name] = read_yaml_file(path, model, context, whole)
        elif whole:
            raise KnowledgeError(f"{path}:1: missing from the base pack")
    for name in WORD_FILES:
        path = folder / name
        if path.is_file():
            files[name] = read_word_file(path)
        elif whole:
            raise KnowledgeError(f"{path}:1: missing from the base pack")
    return files


@functools.lru_cache(maxsize=None)
def load_knowledge(folders: tuple[Path, ...] = (RESOURCES,)) -> Knowledge:
    """The knowledge of the base pack (the first folder) with the add-on packs after it, validated and
    merged; loaded once per process for each combination."""
    base, *additions = folders
    files = read_pack(base, whole=True)
    names = [read_manifest(base).name]
    for folder in additions:
        names.append(read_manifest(folder).name)
        added = read_pack(folder, actions=list(files["actions.yaml"]["actions"]))
        files = {name: _merge(files[name], added[name]) if name in added else files[name] for name in files}
    return Knowledge("+".join(names), tuple(folders), files)
