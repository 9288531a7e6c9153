"""The tree shows the stages: imports run only down the floors, without cycles.

Floors, top to bottom (``[tool.importlinter]`` in pyproject.toml): ``cli`` → ``run`` | ``review``
→ ``output`` → ``parse`` | ``read`` → ``records`` → ``text``.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pipeline"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run_lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run the import-linter contracts of ``root/pyproject.toml`` on ``root/pipeline``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def read_imports(path: Path) -> set[str]:
    """Return the ``pipeline`` modules (or packages) a module imports, wherever the import sits."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if module_path(candidate) else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "pipeline" or m.startswith("pipeline.")}


def module_path(name: str) -> Path | None:
    base = ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def test_the_stage_contract_holds():
    proc = run_lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def test_an_import_against_the_stage_order_breaks_the_contract(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    fields = tmp_path / "pipeline" / "parse" / "fields.py"
    text = fields.read_text(encoding="utf-8")
    fields.write_text(text.replace("from __future__ import annotations\n",
                                  "from __future__ import annotations\nfrom ..review import diff  # noqa\n", 1),
                      encoding="utf-8")
    proc = run_lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "pipeline.parse is not allowed to import pipeline.review" in proc.stdout


def test_no_module_imports_itself_through_others():
    graph = {module_name(p): read_imports(p) for p in PACKAGE.rglob("*.py")}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node or nxt not in graph or nxt.startswith(node + "."):
                continue
            assert state.get(nxt) != 1, "import cycle: " + " → ".join(trail + [node, nxt])
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert len(graph) > 30


def test_only_the_command_line_knows_argparse():
    users = sorted(module_name(p) for p in PACKAGE.rglob("*.py") if "argparse" in p.read_text(encoding="utf-8"))
    assert users == ["pipeline.cli"]


def test_every_stage_module_names_its_input_and_output():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py" or path == PACKAGE / "__init__.py":
            continue
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if "Input" not in doc or "Output" not in doc:
            missing.append(module_name(path))
    assert missing == []


def test_records_import_no_stage():
    stages = ("pipeline.read", "pipeline.parse", "pipeline.output", "pipeline.run", "pipeline.review", "pipeline.cli")
    imported = read_imports(PACKAGE / "records.py")
    assert not [m for m in imported if m.startswith(stages)]
