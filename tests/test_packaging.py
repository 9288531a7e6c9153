"""A non-editable install carries every stage, the schemas and the ``kaigi-extract`` command: it extracts
the seeds as the tree does."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

TABLES = ("documents", "programs", "program_items", "budget_history")


def test_the_built_wheel_extracts_the_seeds_away_from_the_source_tree(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, cwd=tmp_path)
    [wheel] = wheels.glob("*.whl")
    subprocess.run(pip + ["install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, cwd=tmp_path)
    assert sorted(p.name for p in (target / "pipeline" / "schemas").glob("*.yaml")) == [f"{t}.yaml" for t in sorted(TABLES)]

    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import pipeline, pipeline.output.schema as s; print(pipeline.__file__); print(s.SCHEMA_DIR)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert where == [str(target / "pipeline" / "__init__.py"), str(target / "pipeline" / "schemas")]

    import pipeline

    command = target / "bin" / "kaigi-extract"  # the console script pip made from [project.scripts]
    version = subprocess.run([str(command), "--version"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (version.returncode, version.stdout) == (0, f"kaigi-extract {pipeline.__version__}\n"), version.stderr
    assert wheel.name.startswith(f"kaigi_extract-{pipeline.__version__}-")

    out = tmp_path / "extracted"
    proc = subprocess.run([str(command), "extract", "--raw", str(ROOT / "raw"), "--out", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr
    for table in TABLES:
        assert (out / f"{table}.parquet").read_bytes() == (ROOT / "extracted" / f"{table}.parquet").read_bytes(), table
