"""Benchmark ``extract`` at scale (``make bench``): throughput per number of workers, the floor, reruns,
memory and the Dask engine.

Input: a synthetic corpus that ``bench/corpus.py`` builds from ``raw/`` in ``build/bench/``: ``--docs``
text documents (``BENCH_N``, 1,000 unless set) and PDFs of ``--pdf-pages`` pages in all (1,000: a few
budget books; on 200, a run's start would be a fifth of its time, and the PDFs' figures would say more of
the start than of the pages).
Output: ``bench/results.md`` (and the same Markdown on stdout) with, on this machine:

- documents/s (text corpus) and pages/s (PDF corpus) of a cold ``extract`` with ``--jobs 1``,
  ``--jobs 2`` and all cores, each run as a user runs it (a new process: start-up, imports,
  planning, writing the tables all counted); PDFs read with ``--pdf-engine pdfium`` (the default),
  and once more with ``--jobs 2 --pdf-engine pdfplumber``;
- the machine's room for two processes: two cold ``--jobs 1`` runs at once, on every other document
  each, against one ``--jobs 1`` run of all (what ``--jobs 2`` would give were nothing to coordinate);
- the start of a run: a cold ``--jobs 1`` run of one text document (Python, the imports, the
  dictionary, planning, writing the tables), which more workers do not shorten, and the runs'
  ratios beyond it;
- the Sudachi-only floor on the same texts: one process that reads each file
  (``read.files.read_document``) and tokenizes its lines with the same dictionary, nothing more;
  and cold ``--jobs 1`` against it;
- the no-op rerun (nothing changed) and a rerun with 1 % of the documents changed;
- the peak memory (RSS) of the run's own process, and of its largest worker, at 100 and 1,000
  documents (and 10,000 with ``BENCH_N=10000``);
- the Dask engine on a local cluster of two workers (``--engine dask --jobs 2``);
- the cache's size against the tables' rows, and whether every run wrote the same bytes.

Not a test: it asserts nothing, and says which of the issue's targets each figure meets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "bench"
TABLE_FILES = ("documents.parquet", "programs.parquet", "program_items.parquet", "budget_history.parquet",
               "datapackage.json")
# How many times the texts and the PDFs are extracted with each number of workers, and the floor measured,
# in turn (``--rounds``): the best of each is kept.
ROUNDS = 3
# Runs the command line in this process and reports its peak memory and its workers' on stderr.
# With ``BENCH_SAMPLE_MEMORY`` set, a thread also reads the process's anonymous memory (``RssAnon``: its heap,
# not the pages of files it maps) every ``SAMPLE_SECONDS`` and reports the largest.
SAMPLE_SECONDS = 0.005
MEASURED = """
import json, os, resource, sys, threading, time
anon = [0]
def sample_memory():
    while True:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"RssAnon:"):
                    anon[0] = max(anon[0], int(line.split()[1]))
        time.sleep(%r)
if os.environ.get("BENCH_SAMPLE_MEMORY"):
    threading.Thread(target=sample_memory, daemon=True).start()
from pipeline.cli import main
code = main(sys.argv[1:])
usage = resource.getrusage
me, workers = usage(resource.RUSAGE_SELF), usage(resource.RUSAGE_CHILDREN)
print("BENCH " + json.dumps({"self_kib": me.ru_maxrss, "workers_kib": workers.ru_maxrss, "self_anon_kib": anon[0],
                              "self_cpu": me.ru_utime + me.ru_stime,
                              "workers_cpu": workers.ru_utime + workers.ru_stime}), file=sys.stderr)
sys.exit(code)
""" % SAMPLE_SECONDS


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def describe_machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cores()} cores ({model}){memory}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def spin(count: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(count):
        total += i
    return time.perf_counter() - start


# Additions a process spins through to measure the machine's parallelism, a text document of the corpus (a
# second or two each for 1,000 documents; a small bench, as the README test's, measures in proportion).
SPIN_PER_DOCUMENT = 20_000
MAX_SPIN = 20_000_000


def measure_parallelism(docs: int, workers: int = 2) -> float:
    """What ``workers`` CPU-bound processes at once get done against one alone (2.0 for two on an
    idle machine of two cores or more; less when other work shares the cores), each spinning for
    ``docs`` documents' worth (``SPIN_PER_DOCUMENT``)."""
    count = min(MAX_SPIN, docs * SPIN_PER_DOCUMENT)
    import multiprocessing

    alone = spin(count)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        start = time.perf_counter()
        pool.map(spin, [count] * workers)
        together = time.perf_counter() - start
    return workers * alone / together


def describe_busy(one: dict, two: dict) -> str:
    """How busy the cores were in a ``--jobs 2`` run of the texts, and what that leaves ``--jobs 2`` at best: the
    run's process works beside the worker at ``--jobs 1``, and takes its share of the two cores at ``--jobs 2``."""
    if not two.get("seconds") or "self_cpu" not in two:
        return ""
    cpu = two["self_cpu"] + two["workers_cpu"]
    return (f"The `--jobs 2` run of the texts kept both cores {cpu / (2 * two['seconds']):.0%} busy (its CPU, "
            f"{two['self_cpu']:.1f} s of it in the run's own process, over twice its seconds): with every core busy all "
            f"the time it would have taken {cpu / 2:.1f} s, {one['seconds'] / (cpu / 2):.2f}× the throughput of "
            "`--jobs 1`.")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def env(sample_memory: bool = False, **extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **({"BENCH_SAMPLE_MEMORY": "1"} if sample_memory else {}), **extra}


def is_parse_compiled() -> bool:
    """Tell whether the runs load the parse stage compiled (``make native``, built from the modules as they are)."""
    sys.path.insert(0, str(ROOT))
    from pipeline.text import native

    return os.environ.get(native.SWITCH, "1") != "0" and bool(native.find_native_files())


def extract(raw: Path, out: Path, *options: str, sample_memory: bool = False, **extra_env: str) -> dict:
    """One run of ``kaigi-extract -q extract`` in a new process (``extra_env`` in its environment); return its seconds,
    memory and status (and the peak of its anonymous memory with ``sample_memory``)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURED, "-q", "extract", "--raw", str(raw), "--out", str(out),
                           *options], cwd=ROOT, env=env(sample_memory, **extra_env), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    report = next((json.loads(line[6:]) for line in proc.stderr.splitlines() if line.startswith("BENCH ")), {})
    if proc.returncode not in (0, 1):
        raise SystemExit(f"extract {raw} → {out} {' '.join(options)} failed ({proc.returncode}):\n{proc.stderr}")
    return {"seconds": seconds, "code": proc.returncode, **report}


def cold(raw: Path, out: Path, *options: str, sample_memory: bool = False, **extra_env: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    return extract(raw, out, *options, sample_memory=sample_memory, **extra_env)


def digest_tables(out: Path) -> str:
    h = hashlib.sha256()
    for name in TABLE_FILES:
        h.update((out / name).read_bytes())
    return h.hexdigest()[:16]


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def pdf_pages(folder: Path) -> int:
    import pdfplumber

    total = 0
    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            total += len(pdf.pages)
    return total


def measure_floor(texts: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to read every text file and tokenize its lines with Sudachi (split mode C), in
    this process."""
    sys.path.insert(0, str(ROOT))
    from sudachipy import SplitMode

    from pipeline.read.files import list_inputs, read_document
    from pipeline.records import SourceDocument
    from pipeline.text.japanese import get_tokenizer

    tokenizer = get_tokenizer()  # loaded before the clock starts
    start, cpu = time.perf_counter(), time.process_time()
    for path in list_inputs(texts):
        doc = read_document(path, texts)
        if isinstance(doc, SourceDocument):
            for line in doc.lines:
                if line.text.strip():
                    tokenizer.tokenize(line.text, SplitMode.C)
    return time.perf_counter() - start, time.process_time() - cpu


def split_halves(folder: Path, name: str) -> list[Path]:
    """Two folders holding every other file of ``folder`` each (hard links where the system allows); one alone
    when ``folder`` holds a single file (a corpus too small to share)."""
    names = sorted(p.name for p in folder.iterdir())
    halves = [names[0::2], names[1::2]]
    return [link_files(folder, half, BUILD / f"{name}-half{n}") for n, half in enumerate(halves, 1) if half]


def extract_at_once(pairs: list[tuple[Path, Path]], *options: str) -> float:
    """Seconds for cold ``--jobs 1`` runs of each (raw, out) pair, all started at once, to end: what independent
    processes doing the same work get done together, beside nothing that coordinates them."""
    for _, out in pairs:
        shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "extract", "--raw", str(raw), "--out", str(out),
                               "--jobs", "1", *options], cwd=ROOT, env=env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for raw, out in pairs]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode not in (0, 1):
            raise SystemExit(f"extract failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    return time.perf_counter() - start


def link_files(source: Path, names: list[str], folder: Path) -> Path:
    """``folder`` holding the files ``names`` of ``source`` (hard links where the system allows)."""
    if folder.is_dir() and sorted(p.name for p in folder.iterdir()) == sorted(names):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in names:
        try:
            os.link(source / name, folder / name)
        except OSError:
            shutil.copy(source / name, folder / name)
    return folder


def subset(texts: Path, count: int) -> Path:
    """A folder of the first ``count`` text documents."""
    return link_files(texts, sorted(p.name for p in texts.iterdir())[:count], BUILD / f"texts-{count}")


def build_corpus(docs: int, pages: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    folder = BUILD / f"corpus-{docs}-{pages}"
    stamp = folder / ".built"
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
        corpus.write_texts(folder / "texts", docs)
        corpus.write_pdfs(folder / "pdfs", pages)
        stamp.write_text("")
    return folder


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_N", "1000")),
                        help="text documents (default BENCH_N or 1000)")
    parser.add_argument("--pdf-pages", type=int, default=1000, help="PDF pages in all, at least (default 1000)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md", help="where to write the results")
    parser.add_argument("--no-dask", action="store_true", default=os.environ.get("BENCH_DASK") == "0",
                        help="leave the Dask engine out (also BENCH_DASK=0)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", str(ROUNDS))),
                        help=f"rounds of the runs with --jobs and the floor, the best of each kept (default BENCH_ROUNDS or {ROUNDS})")
    args = parser.parse_args(argv)
    rounds = max(1, args.rounds)

    started, load_before = time.perf_counter(), load_average()
    capacity_before = measure_parallelism(args.docs)
    corpus_dir = build_corpus(args.docs, args.pdf_pages)
    texts, pdfs = corpus_dir / "texts", corpus_dir / "pdfs"
    n_texts = len(list(texts.iterdir()))
    n_pdfs, n_pages = len(list(pdfs.glob("*.pdf"))), pdf_pages(pdfs)
    compiled = is_parse_compiled()
    runs = BUILD / "runs"
    all_cores = cores()
    jobs_list = sorted({1, 2, all_cores})
    lines = [
        "# `make bench`: extract at scale",
        "",
        f"Machine: {describe_machine()}. Load average when the bench began: {load_before} "
        f"(the machine may be shared: figures are wall-clock, each run in a new process; the text and PDF runs with "
        f"`--jobs` the best of {rounds}, in turn with the floor, the others single runs). "
        f"Two CPU-bound processes at once did {capacity_before:.2f}× the work of one when the bench began "
        "(2.00× on an idle machine of two cores): the cores the runs below could have.",
        "",
        f"Corpus (`bench/corpus.py`, from `raw/`): {n_texts:,} text documents "
        f"({folder_bytes(texts) / 2**20:.1f} MiB), {n_pdfs} PDFs of {n_pages} pages in all. "
        "PDFs are read with `--pdf-engine pdfium` (the default) unless a row says otherwise. The parse stage is "
        + ("compiled (`make native`) in every run unless a line says otherwise." if compiled else
           "read from source (`make native` has not compiled it, or `KAIGI_NATIVE=0` is set)."),
        "",
    ]

    # Throughput per number of workers.
    results: dict[str, dict] = {}
    digests: dict[str, str] = {}
    lines += ["## Cold extract", "", "| run | text: seconds | documents/s | CPU: run + workers | PDF: seconds | pages/s |",
              "|---|---:|---:|---:|---:|---:|"]
    # The texts and the PDFs with each number of workers and the floor, in turn, ``rounds`` times: the best
    # of each, so that a machine whose speed drifts (a shared one) weighs alike on the runs and on the floor.
    text_runs: dict[int, list[dict]] = {jobs: [] for jobs in jobs_list}
    pdf_runs: dict[int, list[dict]] = {jobs: [] for jobs in jobs_list}
    floors: list[tuple[float, float]] = []
    # Two ``--jobs 1`` runs at once, on every other document each: the most two processes that share nothing
    # get done of this very work on this machine (two cores that share caches, memory or a host give less
    # than twice), a round each.
    text_halves, pdf_halves = split_halves(texts, "texts"), split_halves(pdfs, "pdfs")
    halves: dict[str, list[float]] = {"text": [], "pdf": []}
    starts: list[float] = []  # a cold run of one text document
    for _ in range(rounds):
        starts.append(cold(subset(texts, 1), runs / "start", "--jobs", "1")["seconds"])
        floors.append(measure_floor(texts))
        halves["text"].append(extract_at_once([(half, runs / f"texts-half{n}") for n, half in enumerate(text_halves)]))
        halves["pdf"].append(extract_at_once([(half, runs / f"pdfs-half{n}") for n, half in enumerate(pdf_halves)]))
        for jobs in jobs_list:
            text_runs[jobs].append(cold(texts, runs / f"texts-jobs{jobs}", "--jobs", str(jobs)))
            pdf_runs[jobs].append(cold(pdfs, runs / f"pdfs-jobs{jobs}", "--jobs", str(jobs)))
    for jobs in jobs_list:
        text = min(text_runs[jobs], key=lambda run: run["seconds"])
        pdf = min(pdf_runs[jobs], key=lambda run: run["seconds"])
        results[f"jobs{jobs}"] = {"text": text, "pdf": pdf}
        digests[f"--jobs {jobs}"] = digest_tables(runs / f"texts-jobs{jobs}") + digest_tables(runs / f"pdfs-jobs{jobs}")
        label = f"`--jobs {jobs}`" + (" (all cores)" if jobs == all_cores else "")
        lines.append(f"| {label} | {text['seconds']:.1f} | {rate(n_texts, text['seconds'])} | "
                     f"{text['self_cpu']:.1f} + {text['workers_cpu']:.1f} s | {pdf['seconds']:.1f} | "
                     f"{rate(n_pages, pdf['seconds'])} |")
    plumber = cold(pdfs, runs / "pdfs-jobs2-pdfplumber", "--jobs", "2", "--pdf-engine", "pdfplumber")
    plumber_digest = digest_tables(runs / "pdfs-jobs2-pdfplumber")
    lines.append(f"| `--jobs 2 --pdf-engine pdfplumber` (the PDFs only) | – | – | – | {plumber['seconds']:.1f} | "
                 f"{rate(n_pages, plumber['seconds'])} |")
    if not args.no_dask:
        text = cold(texts, runs / "texts-dask", "--engine", "dask", "--jobs", "2")
        pdf = cold(pdfs, runs / "pdfs-dask", "--engine", "dask", "--jobs", "2")
        results["dask"] = {"text": text, "pdf": pdf}
        digests["--engine dask"] = digest_tables(runs / "texts-dask") + digest_tables(runs / "pdfs-dask")
        lines.append(f"| `--engine dask --jobs 2` (local cluster of 2 workers, started by the run) | "
                     f"{text['seconds']:.1f} | {rate(n_texts, text['seconds'])} | – | {pdf['seconds']:.1f} | "
                     f"{rate(n_pages, pdf['seconds'])} |")
    one = results["jobs1"]["text"]["seconds"]
    two = results["jobs2"]["text"]["seconds"]
    one_pdf, two_pdf = results["jobs1"]["pdf"]["seconds"], results["jobs2"]["pdf"]["seconds"]
    same = len(set(digests.values())) == 1
    lines += ["", f"`--jobs 2` against `--jobs 1`: {one / two:.2f}× on the texts, {one_pdf / two_pdf:.2f}× on the PDFs "
              f"(target ≥ 1.8× on 2 cores: {'met' if min(one / two, one_pdf / two_pdf) >= 1.8 else 'NOT met'}; "
              f"the machine's two busy processes: {capacity_before:.2f}× spinning). "
              f"{describe_busy(results['jobs1']['text'], results['jobs2']['text'])}",
              f"Two `--jobs 1` runs at once, on every other document each (two processes sharing nothing, doing "
              f"this very work; the best of {rounds}): {min(halves['text']):.1f} s for the texts, "
              f"{min(halves['pdf']):.1f} s for the PDFs, {one / min(halves['text']):.2f}× and "
              f"{one_pdf / min(halves['pdf']):.2f}× the throughput of `--jobs 1`: what this machine's two cores give; "
              f"`--jobs 2` reaches {min(halves['text']) / two:.0%} and {min(halves['pdf']) / two_pdf:.0%} of it.",
              f"A run of one text document takes {min(starts):.2f} s (the best of {rounds}: Python, the imports, "
              "the dictionary, planning, writing the tables), which more workers do not shorten; beyond it, `--jobs 2` "
              f"against `--jobs 1`: {(one - min(starts)) / (two - min(starts)):.2f}× on the texts, "
              f"{(one_pdf - min(starts)) / (two_pdf - min(starts)):.2f}× on the PDFs.",
              f"Tables of every run above byte for byte the same: {'yes' if same else 'NO'} "
              f"({', '.join(f'{k} {v[:8]}' for k, v in digests.items())}; the pdfplumber run's PDF tables "
              f"{plumber_digest[:8]}, whose boxes may stand a fraction of a point apart from PDFium's).", ""]

    # The floor (measured above, in turn with the runs).
    floor, floor_cpu = min(floors)
    first = results["jobs1"]["text"]
    spent = first["self_cpu"] + first["workers_cpu"]
    lines += ["## Against the floor", "",
              f"Sudachi-only floor on the same texts (read each file, tokenize its lines, one process, dictionary "
              f"loaded beforehand; best of {rounds}, measured in turn with the runs): {floor:.1f} s "
              f"({floor_cpu:.1f} s of CPU), "
              f"{rate(n_texts, floor)} documents/s.",
              f"Cold `--jobs 1`: {one:.1f} s, {one / floor:.2f}× the floor "
              f"(target ≤ 1.5×: {'met' if one / floor <= 1.5 else 'NOT met'}); its CPU time: "
              f"{first['workers_cpu']:.1f} s in the worker, {first['self_cpu']:.1f} s in the run's own process "
              f"({spent / floor_cpu:.2f}× the floor's CPU time).", ""]
    if compiled:  # the same run, the parse stage read from source: how much the compiled one saves, and that it reads alike
        source = cold(texts, runs / "texts-jobs1-source", "--jobs", "1", KAIGI_NATIVE="0")
        alike = digest_tables(runs / "texts-jobs1-source") == digest_tables(runs / "texts-jobs1")
        lines[-1:-1] = [f"The same run with the parse stage read from source (`KAIGI_NATIVE=0`, one run): "
                        f"{source['seconds']:.1f} s, {source['seconds'] / floor:.2f}× the floor; its tables byte for byte "
                        f"those of the compiled run: {'yes' if alike else 'NO'}."]

    # Reruns.
    out = runs / f"texts-jobs{all_cores}"
    noop = min(extract(texts, out)["seconds"] for _ in range(3))
    changed = sorted(texts.iterdir())[:: 100]
    originals = {path: path.read_bytes() for path in changed}
    try:
        for path in changed:
            path.write_bytes(originals[path] + "\n（改訂）\n".encode())
        partial = extract(texts, out)["seconds"]
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    extract(texts, out)
    target = 1.0 if n_texts <= 1000 else 3.0 if n_texts <= 10000 else None
    verdict = f" (target ≤ {target:g} s: {'met' if noop <= target else 'NOT met'})" if target else ""
    lines += ["## Reruns", "", f"No-op rerun of {n_texts:,} documents (nothing changed; best of 3): {noop:.2f} s{verdict}.",
              f"Rerun with {len(changed)} of them changed: {partial:.2f} s.", ""]
    rows = sum((out / name).stat().st_size for name in TABLE_FILES[:3])
    cache = folder_bytes(out / ".cache")
    lines += [f"Cache: {cache / 2**20:.2f} MiB for {rows / 2**20:.2f} MiB of rows in `documents`, `programs` and "
              f"`program_items` ({cache / rows:.2f}×; target ≤ 2×: {'met' if cache <= 2 * rows else 'NOT met'}).", ""]

    # Memory per corpus size.
    lines += ["## Peak memory (RSS)", "",
              f"Cold `--jobs {all_cores}` on the first N text documents. The run's RSS counts the pages of the "
              "dictionary it maps (loaded before the workers are forked, and shared with them), more or fewer as "
              "the machine last read them; its anonymous memory (`RssAnon`: the heap, which holds the rows, "
              f"read every {SAMPLE_SECONDS * 1000:g} ms) is what documents could make grow.", "",
              "| documents | seconds | the run's process | of which anonymous | its largest worker |",
              "|---:|---:|---:|---:|---:|"]
    sizes = [size for size in (100, 1000, 10000) if size <= n_texts]
    for size in sizes:
        run = cold(subset(texts, size), runs / f"rss-{size}", "--jobs", str(all_cores), sample_memory=True)
        lines.append(f"| {size:,} | {run['seconds']:.1f} | {run['self_kib'] / 1024:.0f} MiB | "
                     f"{run['self_anon_kib'] / 1024:.0f} MiB | {run['workers_kib'] / 1024:.0f} MiB |")
        shutil.rmtree(runs / f"rss-{size}", ignore_errors=True)
    lines += ["", f"Bench run in {time.perf_counter() - started:.0f} s; load average at the end: {load_average()}; "
              f"two CPU-bound processes then did {measure_parallelism(args.docs):.2f}× the work of one.", ""]

    text = "\n".join(lines)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
