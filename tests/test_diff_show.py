"""Reviewing an extraction: ``diff`` of two folders or revisions, ``show`` as a git textconv."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

from conftest import ROOT

from pipeline.output.schema import ALL_TABLES
from pipeline.output.tables import read_folder, write_table
from pipeline.review.diff import compare_extractions, render_markdown
from pipeline.review.show import format_records

EXTRACTED = ROOT / "extracted"
R04 = "r04_zaitaku-ryoyo-torikumi_onepager.txt"


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, timeout=300)


def edited_tables():
    """The committed tables with one budget changed, one program removed, one added and one moved."""
    tables = copy.deepcopy(read_folder(EXTRACTED))
    progs = tables["programs"]
    target = next(p for p in progs if p["source"] == R04 and p["name_key"] == "区市町村在宅療養推進事業")
    target["budget_thousand_yen"] = 252777
    target["budget_yen"] = 252777000
    removed = next(p for p in progs if p["source"] == R04 and p["name_key"] == "acp推進事業")
    progs.remove(removed)
    moved = next(p for p in progs if p["source"] == R04 and p["name_key"] == "入退院時連携強化事業")
    moved["line_start"] += 1
    moved["line_end"] += 1
    added = dict(target, name="新しい試行事業", name_key="新しい試行事業", program_id="ffffffffffffffff",
                 ordinal=99, line_start=200, line_end=201, budget_thousand_yen=1000, budget_yen=1000000)
    progs.append(added)
    return tables


def write_folder(folder, tables):
    for table in ALL_TABLES:
        write_table(folder, table, tables[table])


def test_identical_folders_exit_0(tmp_path):
    proc = run("diff", str(EXTRACTED), str(EXTRACTED))
    assert proc.returncode == 0, proc.stderr
    assert "No differences in 5 documents" in proc.stdout.decode()


def test_diff_of_two_folders(tmp_path):
    new = tmp_path / "new"
    write_folder(new, edited_tables())
    proc = run("diff", str(EXTRACTED), str(new))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "Programs: 1 added, 1 removed, 1 changed, 1 moved, in 1 of 5 documents." in out
    assert f"### {R04}" in out
    assert "- 区市町村在宅療養推進事業 (line 63)\n  - budget_thousand_yen: 236,194 → 252,777" in out
    assert "**Added** (1)\n\n- 新しい試行事業 (line 200): budget_thousand_yen 1,000" in out
    assert "**Removed** (1)\n\n- ACP推進事業 (line 94): budget_thousand_yen 16,361" in out
    assert "**Moved (position only)** (1)\n\n- 入退院時連携強化事業 (line 99 → 100)" in out
    # nothing about the untouched documents
    assert "r07_zaitaku" not in out and "h29_zaitaku" not in out


def test_diff_pairs_repeated_names_by_order():
    old = read_folder(EXTRACTED)
    new = copy.deepcopy(old)
    r04_training = [p for p in new["programs"] if p["source"] == R04 and p["name_key"] == "在宅療養研修事業"]
    assert len(r04_training) == 3
    r04_training[2]["flags"] = ["再掲"]
    diff = compare_extractions(old, new)
    [doc] = [d for d in diff.documents if d.differs]
    [change] = doc.programs
    assert (change.kind, change.occurrence, change.old_line) == ("changed", 3, 118)
    assert [(c.field, c.old, c.new) for c in change.changes] == [("flags", [], ["再掲"])]
    assert "在宅療養研修事業 #3 (line 118)" in render_markdown(diff)


def git(repo, *args):
    proc = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def make_repo(tmp_path):
    """A repository with two commits of extracted/: the committed tables, then the edited ones."""
    repo = tmp_path / "repo"
    shutil.copytree(EXTRACTED, repo / "extracted", ignore=shutil.ignore_patterns(".cache", "review"))
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    write_folder(repo / "extracted", edited_tables())
    git(repo, "commit", "-q", "-am", "second")
    return repo


def test_diff_of_two_git_revisions(tmp_path):
    repo = make_repo(tmp_path)
    proc = run("diff", "--rev", "HEAD~1", "--rev", "HEAD", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert "budget_thousand_yen: 236,194 → 252,777" in proc.stdout.decode("utf-8")
    same = run("diff", "--rev", "HEAD", "--rev", "HEAD", cwd=repo)
    assert same.returncode == 0, same.stderr
    bad = run("diff", "--rev", "HEAD", "--rev", "no-such-rev", cwd=repo)
    assert bad.returncode == 2 and b"no-such-rev" in bad.stderr


def test_git_diff_of_parquet_is_readable(tmp_path):
    repo = make_repo(tmp_path)
    git(repo, "config", "diff.parquet.textconv", f"{sys.executable} -m pipeline show")
    out = git(repo, "diff", "HEAD~1", "HEAD", "--", "extracted/programs.parquet")
    removed = [l for l in out.splitlines() if l.startswith("-{")]
    added = [l for l in out.splitlines() if l.startswith("+{")]
    old = [json.loads(l[1:]) for l in removed]
    new = [json.loads(l[1:]) for l in added]
    assert {r["name"] for r in old} == {"区市町村在宅療養推進事業", "ACP推進事業", "入退院時連携強化事業"}
    assert {r["name"] for r in new} == {"区市町村在宅療養推進事業", "新しい試行事業", "入退院時連携強化事業"}
    assert next(r for r in old if r["name"] == "区市町村在宅療養推進事業")["budget_thousand_yen"] == 236194
    assert next(r for r in new if r["name"] == "区市町村在宅療養推進事業")["budget_thousand_yen"] == 252777
    assert "Binary files" not in out
    # without the driver configured, git calls the file binary
    git(repo, "config", "--unset", "diff.parquet.textconv")
    assert "Binary files" in git(repo, "diff", "HEAD~1", "HEAD", "--", "extracted/programs.parquet")


def test_show_prints_sorted_records_one_a_line():
    proc = run("show", str(EXTRACTED / "programs.parquet"))
    assert proc.returncode == 0
    lines = proc.stdout.decode("utf-8").splitlines()
    rows = read_folder(EXTRACTED)["programs"]
    assert len(lines) == len(rows)
    first = json.loads(lines[0])
    assert list(first) == sorted(first)
    assert "区市町村在宅療養推進事業" in proc.stdout.decode("utf-8")  # ensure_ascii=False
    order = [(r["source"], r["line_start"], r["ordinal"]) for r in map(json.loads, lines)]
    assert order == sorted(order)
    assert format_records(list(reversed(rows))) == proc.stdout.decode("utf-8")
    missing = run("show", str(EXTRACTED / "nope.parquet"))
    assert missing.returncode == 2


def test_reading_tables_starts_no_thread():
    """A thread of Arrow's pools alive at exit aborts the interpreter (exit 134) after a
    correct diff; the table reader must not start one."""
    code = (
        "import os, pathlib\n"
        "from pipeline.output.tables import read_folder, read_git_revision\n"
        "before = len(os.listdir('/proc/self/task'))\n"
        "read_folder(pathlib.Path('extracted'))\n"
        "read_git_revision('HEAD')\n"
        "print(before, len(os.listdir('/proc/self/task')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    before, after = map(int, proc.stdout.split())
    assert after == before
