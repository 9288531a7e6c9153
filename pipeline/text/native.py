"""Compiled modules of the parse stage, used in place of their source when built from that very source.

Input: the modules of ``NATIVE_PACKAGES`` (the parse stage and the text helpers every stage asks: all but
the two that load the package, this one and ``compiled``). Output: ``pipeline/__pycache__/native/``,
written by ``make native`` (``build``): each module compiled to C by mypyc (the compiler mypy ships,
which keeps Python's semantics and reads the annotations the code already has) and built as an
extension module, with ``manifest.json`` naming the Python it was built for and the SHA-256 of each
source; and, in a process that finds that folder (``install``, called as the package loads), an import
finder that loads those modules from it. A document reads the same with either: the same code, run by
the interpreter or compiled (``make bench`` and ``make test-native`` check it byte for byte).

The compiled modules are used all together or not at all: when any source differs from the one they
were built from (a module edited since), when they were built for another Python, or when
``KAIGI_NATIVE=0`` is set, every module is read from its source as before. Built modules call each
other directly, so one compiled against another's old code could not be trusted.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

# (what only a build or a folder of compiled modules needs is imported there: every process loads this module)

PACKAGE = Path(__file__).resolve().parent.parent
NATIVE_PACKAGES = ("parse", "text")
# Not compiled: they load the package (``pipeline/__init__.py`` imports them before any finder is in place).
PURE_MODULES = {"__init__", "compiled", "native"}
MANIFEST = "manifest.json"
# Set to 0 to read every module from its source even where compiled ones are built.
SWITCH = "KAIGI_NATIVE"
# mypyc's optimisation level; floating-point expressions are never contracted (fused multiply-add on some
# machines), so that compiled arithmetic rounds as the interpreter's does.
OPT_LEVEL = "3"
EXTRA_COMPILE_ARGS = ["-ffp-contract=off"]


def find_native_dir(package: Path = PACKAGE) -> Path:
    """The folder of the compiled modules, beside the package's bytecode."""
    return package / "__pycache__" / "native"


def list_sources(package: Path = PACKAGE, packages: Sequence[str] = NATIVE_PACKAGES) -> dict[str, Path]:
    """The modules to compile, by name (``pipeline.parse.segment``), with their source files."""
    return {f"{package.name}.{sub}.{path.stem}": path
            for sub in packages for path in sorted((package / sub).glob("*.py")) if path.stem not in PURE_MODULES}


def hash_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    import json

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def find_native_files(package: Path = PACKAGE, packages: Sequence[str] = NATIVE_PACKAGES) -> dict[str, Path]:
    """The compiled files to load, by module name (their own modules and the libraries mypyc made of them),
    when the package's native folder holds every module of ``packages`` built from its source as it is now
    for this Python; else none."""
    return find_built_files(find_native_dir(package), list_sources(package, packages))


def find_built_files(folder: Path, sources: dict[str, Path]) -> dict[str, Path]:
    """The files of ``folder`` by module name when its manifest names this Python and exactly the modules of
    ``sources``, each built from its file as it is now; else none."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("python") != sys.implementation.cache_tag:
        return {}
    built = manifest.get("modules")
    if not isinstance(built, dict) or set(built) != set(sources):
        return {}
    files: dict[str, Path] = {}
    for name, path in sources.items():
        entry = built[name]
        try:
            if not isinstance(entry, dict) or entry.get("sha256") != hash_file(path):
                return {}
        except OSError:
            return {}
        for module, file in entry.get("files", {}).items():
            files[module] = folder / file
    return files if files and all(path.is_file() for path in files.values()) else {}


class NativeFinder:
    """Finds the compiled modules of ``files`` (by module name) before any other finder (a meta path finder)."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        import importlib.util

        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def install(package: Path = PACKAGE, packages: Sequence[str] = NATIVE_PACKAGES) -> int:
    """Have the compiled modules of ``package`` loaded in place of their source where they were built from
    it (see the module notes); return how many modules that is (0: nothing is changed)."""
    if os.environ.get(SWITCH, "1") == "0" or not find_native_dir(package).is_dir():
        return 0
    files = find_native_files(package, packages)
    if not files:
        return 0
    if any(isinstance(finder, NativeFinder) and finder.files == files for finder in sys.meta_path):
        return 0  # (put in place already: the package loaded again)
    sys.meta_path.insert(0, NativeFinder(files))
    return sum(1 for name in files if not name.endswith("__mypyc"))


def is_native(module: ModuleType) -> bool:
    """Tell whether a module was loaded compiled."""
    return isinstance(getattr(module, "__loader__", None), importlib.machinery.ExtensionFileLoader)


def build(package: Path = PACKAGE, packages: Sequence[str] = NATIVE_PACKAGES, jobs: int | None = None,
          only: Sequence[str] = (), into: Path | None = None) -> int:
    """Compile the modules of ``packages`` with mypyc and put them, with their manifest, in the package's
    native folder (through a temporary folder and a rename: a build cut short leaves the one before
    as it was); return how many modules were compiled (0: those built are up to date). Needs mypy (a
    test dependency) and a C compiler. ``jobs``: extension modules built at once (default: the
    machine's cores); ``only``: these modules alone (a build the package does not load: they are used
    all together or not at all), ``into`` another folder than the package's."""
    import json
    import shutil
    import tempfile

    from mypyc.build import mypycify  # only a build loads the compiler
    from setuptools import Distribution

    sources = list_sources(package, packages)
    if only:
        unknown = sorted(set(only) - set(sources))
        if unknown:
            raise ValueError(f"not modules of {', '.join(packages)}: {', '.join(unknown)}")
        sources = {name: path for name, path in sources.items() if name in only}
    root = package.parent
    folder = (into or find_native_dir(package)).resolve()
    if find_built_files(folder, sources):
        return 0  # built from the sources as they are
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".native-", dir=folder.parent)).resolve()
    here = Path.cwd()
    try:
        os.chdir(root)  # mypyc names modules by their paths from here, and reads the mypy settings here
        paths = [str(path.relative_to(root)) for path in sources.values()]
        # (mypy's cache of this build in its own folder: not the one ``make lint`` keeps)
        extensions = mypycify(["--cache-dir", str(work / "mypy"), *paths], opt_level=OPT_LEVEL, separate=True,
                              target_dir=str(work / "c"))
        for extension in extensions:
            extension.extra_compile_args = [*extension.extra_compile_args, *EXTRA_COMPILE_ARGS]
        dist = Distribution({"name": "kaigi-native", "ext_modules": extensions})
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "temp")
        command.parallel = jobs or os.cpu_count() or 1
        dist.run_command("build_ext")
        built = dist.get_command_obj("build_ext")
        out = work / "native"
        out.mkdir()
        files: dict[str, dict[str, str]] = {name: {} for name in sources}
        for extension in built.extensions:
            made = Path(built.get_ext_fullpath(extension.name))
            name = f"{extension.name}.{made.name.split('.', 1)[1]}"  # pipeline.parse.segment.cpython-311-….so
            shutil.copy2(made, out / name)
            files.setdefault(extension.name.removesuffix("__mypyc"), {})[extension.name] = name
        manifest = {"python": sys.implementation.cache_tag,
                    "modules": {name: {"sha256": hash_file(path), "files": files[name]} for name, path in sources.items()}}
        (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        if folder.exists():
            folder.rename(old)
        out.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        os.chdir(here)
        shutil.rmtree(work, ignore_errors=True)
    return len(sources)


def remove(package: Path = PACKAGE) -> None:
    """Remove the compiled modules (the package then reads every module from its source)."""
    import shutil

    shutil.rmtree(find_native_dir(package), ignore_errors=True)


USAGE = "usage: make native [NATIVE_ARGS=\"[--only MODULE ...] [--into FOLDER]\"] (build), or main(['remove'])"


def read_arguments(argv: Sequence[str]) -> tuple[str, list[str], Path | None] | None:
    """The action (``build`` or ``remove``), the modules of ``--only`` and the folder of ``--into`` that ``make
    native`` passes; None when they say anything else."""
    if not argv or argv[0] not in ("build", "remove"):
        return None
    only: list[str] = []
    into: Path | None = None
    rest = list(argv[1:])
    while rest:
        option = rest.pop(0)
        if option == "--into" and rest:
            into = Path(rest.pop(0))
        elif option == "--only" and rest and not rest[0].startswith("--"):
            while rest and not rest[0].startswith("--"):
                only.append(rest.pop(0))
        else:
            return None
    return argv[0], only, into


def main(argv: Sequence[str]) -> int:
    """``make native``: ``build`` (``--only MODULE …`` and ``--into FOLDER``, as ``build`` takes them) or
    ``remove``. A build that fails (no C compiler, no mypy) says so and leaves the package as it was: it
    then reads every module from its source."""
    arguments = read_arguments(argv)
    if arguments is None:
        print(USAGE, file=sys.stderr)
        return 2
    action, only, into = arguments
    if action == "remove":
        remove()
        return 0
    try:
        count = build(only=only, into=into)
    except Exception as exc:  # the compiler's own messages came before
        print(f"native: modules not compiled ({type(exc).__name__}: {exc}); the package reads them from source",
              file=sys.stderr)
        return 1
    except SystemExit as exc:  # mypyc stops so on a module it cannot compile
        print(f"native: modules not compiled (mypyc stopped: {exc.code}); the package reads them from source",
              file=sys.stderr)
        return 1
    folder = into or find_native_dir()
    print(f"native: {count} modules compiled into {folder}" if count else f"native: {folder} is up to date")
    return 0
