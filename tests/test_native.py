"""The compiled modules (``pipeline/text/native.py``, ``make native``): built with mypyc, loaded only all together
and only where built from the sources as they are. Built here on a package of two small modules (the parse
stage's own build takes a minute: ``make test-native`` runs the suite on it, ``make bench`` compares its tables).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.text import native

ALPHA = '''"""A module that calls into another."""
from .beta import add_one


def double_plus_one(x: int) -> int:
    return add_one(2 * x)
'''
BETA = '''"""A module another calls."""


def add_one(x: int) -> int:
    return x + 1
'''
# Imports the package's two modules as the package itself would, its finder put in place by ``install``; prints how
# many modules it put in place, whether each module was loaded compiled, and what they compute.
PROBE = """
import sys
from pathlib import Path
from pipeline.text.native import install, is_native
count = install(Path(sys.argv[1]), ("sub",))
from tinypkg.sub import alpha, beta
print(count, is_native(alpha), is_native(beta), alpha.double_plus_one(20))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A package ``tinypkg`` whose ``sub`` package's two modules are compiled into its native folder."""
    root = tmp_path_factory.mktemp("native")
    package = root / "tinypkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "alpha.py").write_text(ALPHA, encoding="utf-8")
    (package / "sub" / "beta.py").write_text(BETA, encoding="utf-8")
    assert native.build(package, ("sub",), jobs=1) == 2
    return package


def probe(package: Path, **env: str) -> str:
    path = os.pathsep.join([str(package.parent), str(Path(native.__file__).parents[2])])
    proc = subprocess.run([sys.executable, "-c", PROBE, str(package)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": path, native.SWITCH: "1", **env})
    return proc.stdout.strip()


def test_compiled_modules_are_loaded_in_place_of_their_source(built):
    assert probe(built) == "2 True True 41"
    files = native.find_native_files(built, ("sub",))
    assert set(files) == {"tinypkg.sub.alpha", "tinypkg.sub.alpha__mypyc", "tinypkg.sub.beta", "tinypkg.sub.beta__mypyc"}
    assert native.build(built, ("sub",), jobs=1) == 0  # up to date: nothing built again


def test_the_switch_leaves_every_module_to_its_source(built):
    assert probe(built, KAIGI_NATIVE="0") == "0 False False 41"


def test_a_source_edited_since_the_build_leaves_every_module_to_its_source(built, tmp_path):
    package = tmp_path / "tinypkg"
    copy_package(built, package)
    beta = package / "sub" / "beta.py"
    beta.write_text(BETA.replace("x + 1", "x + 2"), encoding="utf-8")
    # alpha, unchanged, is not loaded compiled either: compiled, it would call the old beta's code
    assert probe(package) == "0 False False 42"


def test_a_build_for_another_python_or_of_other_modules_is_not_loaded(built, tmp_path):
    package = tmp_path / "tinypkg"
    copy_package(built, package)
    manifest_path = native.find_native_dir(package) / native.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "python": "cpython-00"}), encoding="utf-8")
    assert probe(package) == "0 False False 41"
    del manifest["modules"]["tinypkg.sub.beta"]  # a build of alpha alone (``--only``)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert probe(package) == "0 False False 41"
    (package / "sub" / "gamma.py").write_text("", encoding="utf-8")  # a module added since the build
    assert native.find_native_files(package, ("sub",)) == {}


def test_a_build_of_some_modules_goes_where_it_is_told(built, tmp_path):
    assert native.build(built, ("sub",), jobs=1, only=["tinypkg.sub.beta"], into=tmp_path / "beta") == 1
    manifest = json.loads((tmp_path / "beta" / native.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["modules"]) == {"tinypkg.sub.beta"}
    with pytest.raises(ValueError, match="tinypkg.sub.delta"):
        native.build(built, ("sub",), only=["tinypkg.sub.delta"], into=tmp_path / "delta")
    assert not (tmp_path / "delta").exists()


def copy_package(source: Path, target: Path) -> None:
    """A copy of a built package (its compiled files with it)."""
    import shutil

    shutil.copytree(source, target)


def test_make_native_reads_its_arguments():
    assert native.read_arguments(["build"]) == ("build", [], None)
    assert native.read_arguments(["build", "--only", "a.b", "a.c", "--into", "out"]) == ("build", ["a.b", "a.c"], Path("out"))
    assert native.read_arguments(["remove"]) == ("remove", [], None)
    for wrong in ([], ["make"], ["build", "--only"], ["build", "--into"], ["build", "--fast"]):
        assert native.read_arguments(wrong) is None
    assert native.main(["build", "--fast"]) == 2
