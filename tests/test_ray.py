"""The Ray engine gives the same files as the local one (a local Ray instance with 2 CPUs)."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import RAW
from pipeline.cli import app

ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'zhie[ray]')")


@pytest.mark.slow
def test_ray_engine_matches_the_local_engine(tmp_path, run_output):
    out = tmp_path / "ray"
    try:
        result = CliRunner().invoke(app, ["run", str(RAW), "--out", str(out), "-q", "--engine", "ray", "--workers", "2"])
    finally:
        ray.shutdown()
    assert result.exit_code == 0, result.output
    for name in ("documents", "sentences", "entities", "dates", "events", "relations", "entity_index"):
        ray_rows = sorted((out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
        local_rows = sorted((run_output / f"{name}.jsonl").read_text(encoding="utf-8").splitlines())
        assert ray_rows == local_rows, name
