"""Train the shipped models from the public corpora (one reproducible command each).

    python -m pipeline.train ner --corpora ../shared/corpora --out models/ner_crf
    python -m pipeline.train seg --corpora ../shared/corpora --out models/pkuseg

`ner` trains the character CRF (`pipeline.ner_crf`) on MSRA train and the project's
gold of the genre (`genre_pieces`) in about 30 minutes on one core, logging every iteration, then fine-tunes LAC's BiGRU-CRF on
the same sentences (`pipeline.train_gru`, about 25 minutes) and writes one spaCy
pipeline holding both; `gru` redoes only the second part on a trained CRF, and `genre`
continues that network on MSRA mixed with the project's own gold of the genre (its five
documents, the probes and the dev split of `data/real`; never the test split).
`seg` trains spacy-pkuseg on UD GSDSimp dev and Weibo. Seeds are fixed: the
same corpora give the same models.
"""
from __future__ import annotations

import importlib.resources
import json
import logging
import pickle
import random
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pycrfsuite
import typer

from pipeline import __version__
from pipeline.char_clusters import distributional_clusters, raw_sentences
from pipeline.corpora import (
    LabelledText,
    msra_train,
    read_char_columns,
    read_cluener,
    read_conllu_words,
    read_weibo_words,
    split_dev,
)
from pipeline.crf_features import (
    HEAD_KIND,
    OTHER_CORPORA,
    PLACE_KIND,
    SURNAME_KIND,
    TITLE_KIND,
    WORD_KIND,
    Lexicon,
    bioes_tags,
    char_features,
)
from pipeline.knowledge import load_knowledge
from pipeline.ner_orgs import org_heads
from pipeline.ner_places import places
from pipeline.train_gru import fine_tune

if TYPE_CHECKING:
    from spacy.language import Language

app = typer.Typer(help="Train the pipeline's models from ../shared/corpora.", no_args_is_help=True)

SEED = 0
N_DEV = 3000
MAX_WORD = 10  # longest lexicon entry, in characters
CORPORA_OPTION = typer.Option(Path("../shared/corpora"), help="Folder of the public corpora.")
LIMIT_OPTION = typer.Option(0, help="Use only this many sentences per split (0 = all); for smoke runs.")


@app.callback()
def main() -> None:
    """Train the pipeline's models."""


def base_lexicon(corpora: Path, clusters: bool = True, limit: int = 0) -> dict[str, tuple[str, ...]]:
    """The CRF's typed lexicon before the training names: general words (spacy-pkuseg's dictionary),
    places, organisation heads, titles, surnames, other corpora's names and (with `clusters`) the
    distributional clusters of characters and bigrams. The model saves it, so later edits of these
    files change nothing until the model is retrained. `limit` keeps the clusters' raw text short (smoke runs)."""
    entries: dict[str, set[str]] = {}
    if clusters:
        texts = raw_sentences(corpora)
        for item, kinds in distributional_clusters(texts[:limit * 10] if limit else texts).items():
            entries.setdefault(item, set()).update(kinds)

    def add(words: Iterable[str], kind: str, shortest: int = 2) -> None:
        for word in words:
            if shortest <= len(word) <= MAX_WORD:
                entries.setdefault(word, set()).add(kind)

    dictionary = importlib.resources.files("spacy_pkuseg").joinpath("dicts/default.pkl").read_bytes()
    add(pickle.loads(dictionary).split("\n"), WORD_KIND)
    knowledge = load_knowledge()  # the base pack
    add((name for name, _ in places(knowledge)[0].items()), PLACE_KIND)
    add(org_heads(knowledge), HEAD_KIND)
    add(knowledge.words("titles.txt"), TITLE_KIND)
    add(knowledge.words("surnames.txt"), SURNAME_KIND, shortest=1)
    for label, names in other_corpora_names(corpora).items():
        if label != "LOC":  # Resume's LOC are birthplaces (`山东济南人`), not place names
            add(names, OTHER_CORPORA + label)
    return {word: tuple(sorted(kinds)) for word, kinds in entries.items()}


def other_corpora_names(corpora: Path) -> dict[str, set[str]]:
    """Names tagged in CLUENER and Resume train/dev (companies, agencies, people MSRA never saw).

    Only their names are used, as a lexicon type of their own: their label
    conventions differ from MSRA's, so their sentences are not trained on.
    """
    items = [item for split in ("train", "dev")
             for item in read_cluener(corpora / "cluener2020" / f"{split}.json")]
    items += [item for split in ("train", "dev")
              for item in read_char_columns(corpora / "resume_ner" / f"{split}.char.bmes", "resume", "BMES")]
    names: dict[str, set[str]] = {}
    for item in items:
        for start, end, label in item.spans:
            if label:
                names.setdefault(label, set()).add(item.text[start:end])
    return names


def with_names(entries: dict[str, tuple[str, ...]], items: Iterable[LabelledText]) -> Lexicon:
    """The lexicon plus every name tagged in `items`, typed by its label."""
    names: dict[str, set[str]] = {}
    for item in items:
        for start, end, label in item.spans:
            if label and 2 <= end - start <= MAX_WORD:
                names.setdefault(item.text[start:end], set()).add(label)
    merged = dict(entries)
    merged.update((name, tuple(sorted(kinds.union(entries.get(name, ()))))) for name, kinds in names.items())
    return Lexicon(merged)


class LoggingTrainer(pycrfsuite.Trainer):
    """Logs one line per L-BFGS iteration instead of CRFsuite's own verbose output."""

    def message(self, message: str) -> None:
        if self.logparser.feed(message) == "iteration":
            info = self.logparser.last_iteration
            logging.info("iteration %d: loss %.1f, %d active features, %.1f s", info["num"], info["loss"],
                         info["active_features"], info["time"])


def msra_sentences(corpora: Path, limit: int) -> tuple[list[LabelledText], list[LabelledText]]:
    """MSRA train as the sentences trained on and the dev set carved from them (seed 0), each cut to
    `limit` sentences for smoke runs; progress is logged from here on."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train, dev = split_dev(msra_train(corpora), N_DEV, SEED)
    return (train[:limit], dev[:limit]) if limit else (train, dev)


@app.command("ner")
def train_ner(
    corpora: Path = CORPORA_OPTION,
    out: Path = typer.Option(Path("models/ner_crf"), help="Where the trained spaCy pipeline is written."),
    iterations: int = typer.Option(300, help="L-BFGS iterations."),
    c1: float = typer.Option(0.05, help="L1 penalty (higher: fewer features, a smaller model)."),
    c2: float = typer.Option(0.01, help="L2 penalty."),
    folds: int = typer.Option(5, help="Folds for the training names' lexicon features (see below)."),
    limit: int = LIMIT_OPTION,
    clusters: bool = typer.Option(True, help="Add distributional character and bigram clusters to the lexicon "
                                             "(learnt from the corpora's raw text; needs scipy, the `train` extra)."),
    gru_epochs: int = typer.Option(4, help="Epochs of fine-tuning LAC's BiGRU-CRF to combine with the CRF "
                                           "(0: the CRF alone; needs torch and jieba, the `train` extra)."),
    genre_repeat: int = typer.Option(2, help="Also train the CRF on the project's gold of the genre (`genre`), "
                                             "each piece this many times (0: MSRA only)."),
) -> None:
    """Train the character CRF for PERSON/ORG/LOC on MSRA train (3,000 sentences held out, seed 0) and the
    genre's gold, then fine-tune LAC's BiGRU-CRF on the MSRA sentences to combine with it (`genre` continues
    it on the genre).

    The names tagged in the training data join the lexicon. A sentence's own
    names would make that feature a perfect (and useless) guide, so each fold of
    the training sentences is described with the names of the other folds only.
    """
    # spaCy (and torch, which thinc imports when present) only load here, not with the command line
    import spacy

    from pipeline import chartok  # noqa: F401  (registers the character tokenizer)
    from pipeline.crf_weights import CRFWeights

    train, dev = msra_sentences(corpora, limit)
    base = base_lexicon(corpora, clusters, limit)
    trainer = LoggingTrainer(verbose=False)
    for fold in range(folds):
        lexicon = with_names(base, (item for i, item in enumerate(train) if i % folds != fold))
        for item in train[fold::folds]:
            trainer.append(char_features(item.text, lexicon), bioes_tags(len(item.text), item.spans))
        logging.info("fold %d/%d: features of %d sentences", fold + 1, folds, len(train[fold::folds]))
    if genre_repeat:
        # Their names are not in the lexicon, as a new document's are not: described with all of MSRA's.
        lexicon, genre = with_names(base, train), genre_pieces(Path.cwd(), limit)
        for item in genre:
            for _ in range(genre_repeat):
                trainer.append(char_features(item.text, lexicon), bioes_tags(len(item.text), item.spans))
        logging.info("genre: features of %d pieces, each %d times", len(genre), genre_repeat)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        model_file = Path(scratch) / "model.crfsuite"
        trainer.train(str(model_file))
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "pipeline.char_tokenizer.v1"}}})
        gru = fine_tune(train, dev, gru_epochs) if gru_epochs else None
        nlp.add_pipe("zh_crf_ner", name="ner").use(with_names(base, train), CRFWeights.from_crfsuite(model_file), gru)
        nlp.meta.update({"name": out.name, "version": __version__,
                         "description": "Character CRF (and BiGRU-CRF) for PERSON/ORG/LOC; see README.md"})
        nlp.to_disk(out)
    logging.info("wrote %s; dev F1 %.4f", out, span_f1(spacy.load(out), dev))


# The project's gold of the genre that `genre` trains on: (entities file, folder of sources, split or None).
GENRE_GOLD = ((Path("data/gold/entities.jsonl"), Path("data/raw"), None),
              (Path("data/probe/gold/entities.jsonl"), Path("data/probe/raw"), None),
              (Path("data/real/gold/entities.jsonl"), Path("data/real/raw"), "dev"))


def genre_pieces(root: Path, limit: int = 0) -> list[LabelledText]:
    """The labelled pieces of the genre gold (`GENRE_GOLD`), read from `root`; of `data/real` the dev
    split only, so that its test split stays unseen. `limit`: the first pieces only, for smoke runs."""
    from pipeline.gold_sentences import genre_sentences

    pieces: list[LabelledText] = []
    for entities, raw, split in GENRE_GOLD:
        if not (root / entities).exists():
            raise typer.BadParameter(f"{root / entities} not found: run the genre training from the project root")
        ids = set(json.loads((root / entities).with_name("split.json").read_text())[split]) if split else None
        pieces += genre_sentences(root / entities, root / raw, ids)
    return pieces[:limit] if limit else pieces


@app.command("genre")
def train_genre(
    corpora: Path = CORPORA_OPTION,
    model: Path = typer.Option(Path("models/ner_crf"), help="A trained model whose BiGRU-CRF is continued."),
    epochs: int = typer.Option(2, help="Epochs over the mixture."),
    msra: int = typer.Option(20000, help="MSRA train sentences in the mixture (sampled with the seed)."),
    repeat: int = typer.Option(3, help="How many times each genre piece is in the mixture."),
    learning_rate: float = typer.Option(3e-4, help="Adam's learning rate (halved after each epoch)."),
    limit: int = LIMIT_OPTION,
) -> None:
    """Continue the model's BiGRU-CRF on MSRA train mixed with the project's gold of the genre."""
    import spacy

    from pipeline import chartok, ner_crf  # noqa: F401  (register the tokenizer and the component)

    nlp = spacy.load(model)
    component = nlp.get_pipe("ner")
    if component.gru is None:
        raise typer.BadParameter(f"{model} has no BiGRU-CRF to continue: train one with `train gru`")
    train, dev = msra_sentences(corpora, limit)
    genre = genre_pieces(Path.cwd(), limit)
    logging.info("genre: %d pieces, %d mentions", len(genre), sum(len(piece.spans) for piece in genre))
    mixture = random.Random(SEED).sample(train, min(msra, len(train))) + genre * repeat
    tuned = fine_tune(mixture, dev, epochs, start=component.gru, learning_rate=learning_rate)
    component.use(component.lexicon, component.crf, tuned)
    _replace_model(nlp, model)
    logging.info("wrote %s; dev F1 %.4f", model, span_f1(spacy.load(model), dev))


def _replace_model(nlp: "Language", model: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:  # the CRF file being read is in `model`: write aside first
        nlp.to_disk(Path(scratch) / "model")
        shutil.rmtree(model)
        shutil.copytree(Path(scratch) / "model", model)


@app.command("gru")
def train_gru(
    corpora: Path = CORPORA_OPTION,
    model: Path = typer.Option(Path("models/ner_crf"), help="A trained CRF pipeline; the BiGRU-CRF is added to it."),
    epochs: int = typer.Option(4, help="Epochs of fine-tuning."),
    limit: int = LIMIT_OPTION,
) -> None:
    """Fine-tune LAC's BiGRU-CRF on MSRA train (the CRF's split and dev) and add it to a trained CRF model."""
    import spacy

    from pipeline import chartok, ner_crf  # noqa: F401  (register the tokenizer and the component)

    train, dev = msra_sentences(corpora, limit)
    nlp = spacy.load(model)
    component = nlp.get_pipe("ner")
    component.use(component.lexicon, component.crf, fine_tune(train, dev, epochs))
    _replace_model(nlp, model)
    logging.info("wrote %s; dev F1 %.4f", model, span_f1(spacy.load(model), dev))


def span_f1(nlp: "Language", items: list[LabelledText]) -> float:
    """Exact-span micro F1 of a character NER pipeline."""
    gold = {(i, s, e, label) for i, item in enumerate(items) for s, e, label in item.spans if label}
    found = {(i, ent.start_char, ent.end_char, ent.label_)
             for i, doc in enumerate(nlp.pipe(item.text for item in items)) for ent in doc.ents}
    correct = len(gold & found)
    return 2 * correct / (len(gold) + len(found)) if correct else 0.0


def write_segmented(sentences: list[list[str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(" ".join(words) + "\n" for words in sentences), encoding="utf-8")


@app.command("seg")
def train_seg(
    corpora: Path = CORPORA_OPTION,
    out: Path = typer.Option(Path("models/pkuseg"), help="Where the spacy-pkuseg model is written."),
    build: Path = typer.Option(Path("build/seg_data"), help="Where the converted training files go."),
    iterations: int = typer.Option(20, help="Training iterations."),
    limit: int = LIMIT_OPTION,
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


if __name__ == "__main__":
    app()
