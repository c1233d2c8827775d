"""HanLP as the statistical NER model (`zhie run --ner hanlp`, the optional `hanlp` extra).

For users who have HanLP's models: an NER component (`MSRA_NER_ELECTRA_SMALL_ZH`, or one they
trained) or a multi-task model with an NER task (`CLOSE_TOK_POS_NER_SRL_DEP_SDP_CON_ELECTRA_SMALL_ZH`),
from a local folder or by HanLP's id. `HanLPModel.predict` has the shape of `ner.CharModel.predict`,
so `find_mentions` merges its mentions with the rules in the same way. HanLP's entity types are
mapped through `resources/ner_labels.yaml` (`hanlp`); types not listed there are dropped.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

from pipeline.knowledge import load_knowledge
from pipeline.mentions import Mention
from pipeline.ner import CHUNK

INSTALL = "pip install 'zhie[hanlp]'"


def _import_hanlp() -> ModuleType:
    try:
        import hanlp
    except ImportError as exc:
        raise RuntimeError(f"the hanlp NER backend needs the optional hanlp extra (HanLP, PyTorch): {INSTALL}") from exc
    return hanlp


def _saved_by_hanlp(folder: Path) -> bool:
    """HanLP saves a component with a config.json (legacy TensorFlow ones: meta.json) naming its class."""
    for name in ("config.json", "meta.json"):
        try:
            meta = json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and ("classpath" in meta or "class_path" in meta):
            return True
    return False


class HanLPModel:
    """A HanLP NER or multi-task model, loaded with `hanlp.load` from a folder or a HanLP id."""

    def __init__(self, path_or_id: str | Path) -> None:
        hanlp = _import_hanlp()
        from hanlp.components.mtl.multi_task_learning import MultiTaskLearning

        name = str(path_or_id)
        local = Path(name).exists()
        if local and Path(name).is_dir() and not _saved_by_hanlp(Path(name)):
            raise RuntimeError(f"{name} is not a HanLP model folder (no config.json naming a HanLP component); "
                               "the shipped character model runs with the spacy backend")
        if not local and name not in hanlp.pretrained.ALL and "://" not in name:
            raise RuntimeError(f"HanLP model not found: {name} is neither a folder nor one of HanLP's pretrained "
                               "ids (hanlp.pretrained.ALL, e.g. MSRA_NER_ELECTRA_SMALL_ZH)")
        try:
            self.model = hanlp.load(name, verbose=False)
        except Exception as exc:
            offline = "" if local else (
                "; HanLP downloads a model given by id or URL on first use, which needs network: on an offline "
                "machine, copy the model's folder (under ~/.hanlp, or HANLP_HOME) from one that has it and pass "
                "the folder")
            cause = _reported(exc)
            raise RuntimeError(f"could not load the HanLP model {name}: {type(cause).__name__}: {cause}{offline}") from exc
        self.labels: dict[str, str] = {str(k).upper(): v for k, v in load_knowledge().yaml("ner_labels.yaml")["hanlp"].items()}
        self.task: str | None = None  # the NER task of a multi-task model
        if isinstance(self.model, MultiTaskLearning):
            tasks = [t for t in self.model.config.task_names if t.split("/")[0] == "ner"]
            if not tasks:
                raise RuntimeError(f"the HanLP model {name} has no NER task (its tasks: "
                                   f"{', '.join(self.model.config.task_names)})")
            self.task = tasks[0]
        elif "NamedEntityRecognizer" not in type(self.model).__name__:
            raise RuntimeError(f"the HanLP model {name} is a {type(self.model).__name__}, "
                               "not an NER or multi-task model")

    def predict(self, text: str) -> list[Mention]:
        """PERSON / ORG / LOC mentions, with offsets into `text`, one sentence-sized chunk at a time."""
        chunks = [(m.start(), m.group(0)) for m in CHUNK.finditer(text) if m.group(0).strip()]
        if not chunks:
            return []
        if self.task:
            # A multi-task model tokenises raw text itself; its NER offsets count its own tokens.
            doc = self.model([chunk for _, chunk in chunks], tasks=self.task)
            tokens = doc[next(key for key in doc if key.split("/")[0] == "tok")]
            spans = [_token_spans(chunk, words) for (_, chunk), words in zip(chunks, tokens)]
            found = doc[self.task]
        else:
            # NER components take token lists: for Chinese, the characters (whitespace left out).
            spans = [[(i, i + 1) for i, char in enumerate(chunk) if not char.isspace()] for _, chunk in chunks]
            found = self.model([[chunk[a:b] for a, b in sentence] for (_, chunk), sentence in zip(chunks, spans)])
        mentions = []
        for (base, _), sentence, entities in zip(chunks, spans, found):
            for _, label, first, last in entities:  # (text, type, first token, end token)
                ours = self.labels.get(str(label).upper())
                if ours is None or sentence[first] is None or sentence[last - 1] is None:
                    continue
                start, end = base + sentence[first][0], base + sentence[last - 1][1]
                mentions.append(Mention(start, end, ours, "model", text[start:end]))
        return mentions


def _reported(exc: BaseException) -> BaseException:
    """The error a failed `hanlp.load` is about. HanLP's report of a failure imports `pkg_resources`,
    which setuptools 82+ no longer ship; the failure is then the context of that ImportError."""
    if isinstance(exc, ModuleNotFoundError) and exc.name == "pkg_resources" and exc.__context__ is not None:
        return exc.__context__
    return exc


def _token_spans(chunk: str, tokens: Sequence[Any]) -> list[tuple[int, int] | None]:
    """Where each token of a HanLP tokeniser lies in the chunk (None where it cannot be found)."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for token in tokens:
        word = token if isinstance(token, str) else token[0]  # tokenisers with output_spans give (token, start, end)
        start = chunk.find(word, cursor)
        if start < 0:
            spans.append(None)
            continue
        spans.append((start, start + len(word)))
        cursor = start + len(word)
    return spans
