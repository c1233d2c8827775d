"""A run starts with what it needs: no torch (which spaCy's thinc imports when installed), pandas or the
export libraries, and the word segmenter's model is not loaded."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import RAW, ROOT

HEAVY = ("torch", "pandas", "pyarrow", "openpyxl", "hanlp", "ray", "spacy_pkuseg")
SCRIPT = """
import json, sys
from pipeline.cli import app
try:
    app(["run", sys.argv[1], "--out", sys.argv[2], "--quiet", "--ner", sys.argv[3]])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "loaded": [m for m in sys.argv[4:] if m in sys.modules]}))
"""


def run_and_list_modules(tmp_path, ner: str) -> dict:
    source = tmp_path / "in"
    source.mkdir()
    (source / "one.txt").write_bytes(sorted(RAW.glob("*.txt"))[0].read_bytes()[:3000])
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(source), str(tmp_path / "out"), ner, *HEAVY],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_crf_run_imports_no_torch_pandas_or_export_library(tmp_path):
    assert run_and_list_modules(tmp_path, "crf") == {"code": 0, "loaded": []}


def test_a_spacy_run_imports_no_torch_either(tmp_path):
    assert run_and_list_modules(tmp_path, "spacy") == {"code": 0, "loaded": []}


def test_torch_hidden_while_spacy_loads_is_importable_after(nlp):
    import torch  # noqa: F401  (what --ner hanlp and training import after the pipeline is loaded)

    assert "torch" in sys.modules
