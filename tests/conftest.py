"""Shared fixtures: the loaded pipeline and one real run over data/raw (session-scoped: load once)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (subprocess runs, training, Ray, browsers, LibreOffice)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (as .ci/run does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def nlp():
    import pipeline

    return pipeline.load()


@pytest.fixture(scope="session")
def run_output(tmp_path_factory) -> Path:
    """The CLI run over the five documents, as a user runs it."""
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", str(RAW), "--out", str(out), "--quiet"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


def raw_text(stem: str) -> str:
    """Repaired text of one of the five documents (by its number prefix)."""
    import pipeline

    path = next(RAW.glob(f"{stem}_*.txt"))
    return pipeline.read(path).text
