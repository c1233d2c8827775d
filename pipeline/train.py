"""Train the shipped models from the public corpora (one reproducible command).

    python -m pipeline.train ner --corpora ../shared/corpora --out models/ner_char

Converts the corpora to spaCy DocBin files under `build/`, then runs spaCy's
trainer with `resources/ner_char.cfg` (fixed seed). spaCy writes `model-best`
and `model-last` after every evaluation, so an interrupted run keeps its best
checkpoint; `--resume` starts again from `model-last`.
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import spacy
import typer

from pipeline import chartok  # noqa: F401  (registers the character tokenizer)
from pipeline.corpora import (msra_test, msra_train, read_conllu_words, read_weibo_words, split_dev,
                              write_docbin)
from pipeline.resources import resource_path

app = typer.Typer(help="Train the pipeline's models from ../shared/corpora.", no_args_is_help=True)

SEED = 0


@app.callback()
def main() -> None:
    """Train the pipeline's models."""


def prepare_ner_data(corpora: Path, build: Path, n_dev: int = 3000, limit: int = 0) -> dict[str, Path]:
    """Write train/dev/test DocBins for the character NER model."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "pipeline.char_tokenizer.v1"}}})
    train, dev = split_dev(msra_train(corpora), n_dev, SEED)
    test = msra_test(corpora)
    if limit:
        train, dev, test = train[:limit], dev[:limit], test[:limit]
    paths = {name: build / f"{name}.spacy" for name in ("train", "dev", "test")}
    for name, items in (("train", train), ("dev", dev), ("test", test)):
        n = write_docbin(nlp, items, paths[name])
        logging.info("wrote %s: %d docs", paths[name], n)
    return paths


@app.command("ner")
def train_ner(
    corpora: Path = typer.Option(Path("../shared/corpora"), help="Folder of the public corpora."),
    out: Path = typer.Option(Path("build/ner_char"), help="Training output (model-best, model-last)."),
    build: Path = typer.Option(Path("build/ner_data"), help="Where converted DocBins go."),
    max_steps: int = typer.Option(15000, help="Training steps."),
    limit: int = typer.Option(0, help="Use only this many sentences per split (0 = all); for smoke runs."),
    resume: bool = typer.Option(False, help="Continue from OUT/model-last instead of a fresh model."),
    learn_rate: float = typer.Option(0.001, help="Adam learning rate (lower it to fine-tune a resumed model)."),
) -> None:
    """Train the character-level PERSON/ORG/LOC model on MSRA train (dev carved with seed 0)."""
    from spacy.cli.train import train

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    paths = prepare_ner_data(corpora, build, limit=limit)
    overrides = {"paths.train": str(paths["train"]), "paths.dev": str(paths["dev"]),
                 "training.max_steps": max_steps, "system.seed": SEED,
                 "training.optimizer.learn_rate": learn_rate}
    config = resource_path("ner_char.cfg")
    if resume:
        config = _resume_config(config, out)
    train(config, out, use_gpu=-1, overrides=overrides)


def _resume_config(config: Path, out: Path) -> Path:
    """The training config with both components sourced from a copy of OUT/model-last."""
    from thinc.api import Config

    last = out / "model-last"
    if not last.exists():
        raise typer.BadParameter(f"nothing to resume: {last} does not exist")
    start = out / "resume-from"
    shutil.rmtree(start, ignore_errors=True)
    shutil.copytree(last, start)
    resumed = Config().from_disk(config, interpolate=False)
    for name in ("tok2vec", "ner"):
        resumed["components"][name] = {"source": str(start)}
    path = out / "resume.cfg"
    resumed.to_disk(path)
    return path


def write_segmented(sentences: list[list[str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(" ".join(words) + "\n" for words in sentences), encoding="utf-8")


@app.command("seg")
def train_seg(
    corpora: Path = typer.Option(Path("../shared/corpora"), help="Folder of the public corpora."),
    out: Path = typer.Option(Path("models/pkuseg"), help="Where the spacy-pkuseg model is written."),
    build: Path = typer.Option(Path("build/seg_data"), help="Where the converted training files go."),
    iterations: int = typer.Option(20, help="Training iterations."),
    limit: int = typer.Option(0, help="Use only this many sentences per split (0 = all); for smoke runs."),
) -> None:
    """Train the spacy-pkuseg word segmenter on UD GSDSimp dev + Weibo train/dev; UD test is held out."""
    import spacy_pkuseg

    ud = corpora / "ud_chinese_gsdsimp"
    weibo = corpora / "weibo_ner"
    train = list(read_conllu_words(ud / "zh_gsdsimp-ud-dev.conllu"))
    for name in ("weiboNER_2nd_conll.train", "weiboNER_2nd_conll.dev"):
        train += list(read_weibo_words(weibo / name))
    test = list(read_conllu_words(ud / "zh_gsdsimp-ud-test.conllu"))
    if limit:
        train, test = train[:limit], test[:limit]
    write_segmented(train, build / "train.txt")
    write_segmented(test, build / "test.txt")
    out.mkdir(parents=True, exist_ok=True)
    spacy_pkuseg.train(str(build / "train.txt"), str(build / "test.txt"), str(out), train_iter=iterations)


@app.command("package")
def package_ner(
    src: Path = typer.Option(Path("build/ner_char/model-best"), help="A trained model folder."),
    dst: Path = typer.Option(Path("models/ner_char"), help="Where the shipped model goes."),
) -> None:
    """Copy a trained NER model into models/, without the strings training collected.

    Features are hashed, so the string store only needs the labels; this keeps
    the shipped model at the size of its weights.
    """
    labels = sorted(spacy.load(src).get_pipe("ner").labels)
    card = dst / "README.md"
    kept = card.read_text(encoding="utf-8") if card.exists() else None
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    (dst / "vocab" / "strings.json").write_text(json.dumps(labels), encoding="utf-8")
    if kept:
        card.write_text(kept, encoding="utf-8")


if __name__ == "__main__":
    app()
