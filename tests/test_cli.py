"""The command line on a folder with good and bad files."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys

from conftest import RAW, ROOT

from pipeline.output.tables import read_arrow_table


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_extract_any_folder_with_bad_files(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(RAW / "r08_zaitaku-ryoyo-torikumi_program-list.txt", raw / "good.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (raw / "sjis.txt").write_bytes("■在宅療養研修事業【1,000千円】".encode("cp932"))
    (raw / "slides.pptx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    proc = run("-v", "extract", "--raw", str(raw), "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(l.startswith("ok   good.txt: 17 programs") for l in lines), proc.stdout
    assert any(l.startswith("FAIL empty.txt: empty") for l in lines)
    assert any(l.startswith("FAIL binary.txt: not_text") for l in lines)
    assert any(l.startswith("FAIL slides.pptx: unsupported_format") for l in lines)
    docs = read_arrow_table(out / "documents.parquet").to_pylist()
    assert len(docs) == 5
    assert {d["source"]: d["status"] for d in docs}["good.txt"] == "ok"
    sjis = next(d for d in docs if d["source"] == "sjis.txt")
    assert (sjis["status"], sjis["encoding"], sjis["n_programs"]) == ("ok", "cp932", 1)
    assert len(read_arrow_table(out / "programs.parquet")) == 17 + 1
    assert "[5/5]" in proc.stderr


def test_second_run_reuses_unchanged_documents(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "a.txt")
    shutil.copy(RAW / "r07_zaitaku-ryoyo-torikumi_onepager.txt", raw / "b.txt")
    out = tmp_path / "out"
    first = run("extract", "--raw", str(raw), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "2 documents: 2 new, 0 changed, 0 unchanged, 0 removed, 0 failed (2 extracted, 0 from the cache)" \
        in first.stdout
    cols = ["source", "name", "budget_thousand_yen", "line_start"]
    before = read_arrow_table(out / "programs.parquet", columns=cols).to_pylist()
    (raw / "b.txt").write_text((raw / "b.txt").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = run("-v", "extract", "--raw", str(raw), "--out", str(out))
    assert "2 documents: 0 new, 1 changed, 1 unchanged, 0 removed, 0 failed (1 extracted, 1 from the cache)" \
        in second.stdout
    assert "cached    a.txt" in second.stderr and "extracted b.txt" in second.stderr
    assert read_arrow_table(out / "programs.parquet", columns=cols).to_pylist() == before
    third = run("extract", "--raw", str(raw), "--out", str(out))
    assert "2 documents: 0 new, 0 changed, 2 unchanged, 0 removed, 0 failed (nothing extracted: the tables were " \
        "up to date)" in third.stdout
    (raw / "a.txt").unlink()
    shutil.copy(RAW / "r08_zaitaku-ryoyo-torikumi_program-list.txt", raw / "c.txt")
    fourth = run("extract", "--raw", str(raw), "--out", str(out))
    assert "2 documents: 1 new, 0 changed, 1 unchanged, 1 removed, 0 failed (1 extracted, 1 from the cache)" \
        in fourth.stdout
    assert {d["source"] for d in read_arrow_table(out / "documents.parquet").to_pylist()} == {"b.txt", "c.txt"}


def test_missing_input_folder(tmp_path):
    proc = run("extract", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def test_committed_extraction_is_current(tmp_path):
    """``extracted/`` in the repository is what ``make extract`` gives today, byte for byte
    (README examples, diff and history tests read it)."""
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--raw", str(RAW), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    committed = sorted(p.name for p in (ROOT / "extracted").iterdir() if p.is_file() and not p.name.startswith("."))
    made = sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    assert made == committed
    stale = [name for name in made if (out / name).read_bytes() != (ROOT / "extracted" / name).read_bytes()]
    assert not stale, f"extracted/ is stale, run `make extract`: {stale}"


def test_output_files_get_the_mode_of_new_files(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "a.txt")
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        for _ in range(2):  # new files, then files replaced
            proc = run("extract", "--raw", str(raw), "--out", str(out))
            assert proc.returncode == 0, proc.stderr
            (raw / "a.txt").write_bytes((raw / "a.txt").read_bytes() + b"\n")
    finally:
        os.umask(old)
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {"documents.parquet", "datapackage.json"} <= {p.name for p in written}
    assert any(p.parent.name == ".cache" for p in written)
    assert {p.relative_to(out).as_posix(): oct(stat.S_IMODE(p.stat().st_mode)) for p in written} == {
        p.relative_to(out).as_posix(): oct(0o644) for p in written}


def test_a_file_name_cannot_forge_summary_lines(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    forged = "x\nok   forged.txt: 99 programs, 0 items, FY2025 予算額\rFAIL y.txt"
    (raw / f"{forged}.txt").write_bytes(b"")
    (raw / "bidi\u202etxt.exe.txt").write_bytes((RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt").read_bytes())
    proc = run("-v", "extract", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.split("\n")
    assert len(lines) == 2 + 1 + 1 and lines[-1] == ""  # one line per document, the totals, the final newline
    assert "\r" not in proc.stdout and "\u202e" not in proc.stdout and "\u202e" not in proc.stderr
    assert lines[0].startswith("ok   bidi\\u202etxt.exe.txt: ")
    assert lines[1] == f"FAIL {forged.encode('unicode_escape').decode()}.txt: empty: file is empty".replace(
        "\\u4e88\\u7b97\\u984d", "予算額")
    assert len([l for l in proc.stderr.splitlines() if l.startswith("[")]) == 2
    docs = read_arrow_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert f"{forged}.txt" in {d["source"] for d in docs}  # the tables keep the name as it is


def test_version_help_and_exit_codes():
    import pipeline

    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip().endswith(pipeline.__version__), proc.stderr
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+.*", pipeline.__version__)
    helps = {"": run("--help").stdout}
    for command in ("extract", "show", "diff", "export", "review", "dictionary", "score"):
        proc = run(command, "--help")
        assert proc.returncode == 0
        assert "-q, --quiet" in proc.stdout and "-v, --verbose" in proc.stdout, command
        helps[command] = proc.stdout
    for code in ("0", "1", "2", "70", "130", "143", "129"):
        assert re.search(rf"^\s+{code}\b", helps[""], re.M), code
    assert re.search(r"^\s+1\s.*documents? failed", helps["extract"], re.M)
    assert re.search(r"^\s+1\s.*differ", helps["diff"], re.M)


def test_bad_arguments_give_one_line_and_status_2():
    for args in (["extract", "--bogus"], ["extract", "--timeout", "soon"], ["nosuch"], []):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert proc.stdout == "" and proc.stderr.count("\n") == 1 and "error:" in proc.stderr, (args, proc.stderr)
        assert "--help" in proc.stderr


def test_quiet_prints_only_problems_and_verbose_is_accepted_anywhere(tmp_path):
    raw = tmp_path / "in"
    raw.mkdir()
    shutil.copy(RAW / "r04_zaitaku-ryoyo-torikumi_onepager.txt", raw / "good.txt")
    (raw / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    for args in (["-q", "extract"], ["extract", "-q"], ["extract", "--quiet"]):
        proc = run(*args, "--raw", str(raw), "--out", str(out))
        assert proc.returncode == 1
        assert proc.stdout == "FAIL empty.txt: empty: file is empty\n" and proc.stderr == "", (args, proc)
    proc = run("-v", "extract", "--raw", str(raw), "--out", str(tmp_path / "other"), "-v")
    assert proc.returncode == 1 and "ok   good.txt" in proc.stdout and "[2/2]" in proc.stderr
    assert run("-q", "-v", "extract").returncode == 2  # one or the other
    for args in (["export", "--csv", str(tmp_path / "csv")], ["review", "--dest", str(tmp_path / "review")]):
        proc = run("-q", *args, "--out", str(out)) if args[0] == "export" else run("-q", *args, "--raw", str(raw),
                                                                                        "--out", str(out))
        assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", (args, proc)


HEAVY = ("pyarrow", "numpy", "pandas", "sudachipy", "pdfplumber", "pdfminer", "yaml", "rich", "dask", "distributed")


def test_help_loads_no_heavy_library_and_comes_quickly():
    """``--help`` imports nothing a command needs (pyarrow, the dictionary, the PDF library): it costs
    within 0.15 s of a bare ``python -c pass``. Measured in CPU time (user and system), the best of
    seven runs each, so that other work on a busy machine does not decide."""
    probe = ("import sys\nfrom pipeline.cli import main\nfor args in (['--help'], ['extract', '--help']):\n"
             "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stderr.splitlines()[-1] == "[]", proc.stderr

    def best(*args: str) -> float:
        times = []
        for _ in range(7):
            child = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            assert child.returncode == 0
            times.append(usage.ru_utime + usage.ru_stime)
        return min(times)

    bare = best("-c", "pass")
    for args in (["--help"], ["extract", "--help"]):
        assert best("-m", "pipeline", *args) - bare <= 0.15, args


def test_extract_leaves_pandas_unloaded_until_asked_for(tmp_path):
    """``extract`` writes its tables without loading pandas (pyarrow would load it on its first
    conversion, to ask whether a list is a pandas object: ``output.tables.prepare_conversion``), and
    pyarrow still hands tables to pandas afterwards in the same process."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("■介護人材確保事業【236,194千円】\n", encoding="utf-8")
    out = tmp_path / "out"
    probe = ("import sys\nfrom pipeline.cli import main\n"
             f"code = main(['-q', 'extract', '--raw', {str(raw)!r}, '--out', {str(out)!r}, '--jobs', '1'])\n"
             "print(code, 'pandas' in sys.modules)\n"
             "import pyarrow as pa, pyarrow.parquet as pq, pandas as pd\n"
             f"frame = pq.read_table({str(out / 'programs.parquet')!r}).to_pandas()\n"
             "print(frame['budget_yen'].tolist(), pa.array(pd.Categorical(['a', 'b'])).type)\n")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["0 False", "[236194000] dictionary<values=large_string, indices=int8, ordered=0>"]
