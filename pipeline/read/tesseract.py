"""Which Tesseract this machine has: whether OCR can be done here, and its name for the cache.

Input: the ``tesseract`` on PATH and the ``KAIGI_OCR`` setting. Output: ``find_tesseract`` (its path
and version, when it has the ``jpn`` model and OCR is not turned off), ``describe_ocr`` (what the
cache's fingerprint says of it) and ``describe_unavailable`` (why OCR cannot be done). Kept apart from
``ocr`` (reading pictures, which needs numpy), so that a run that reads no PDF never loads that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

from .engines import OCR_ENV

OCR_DPI = 300  # dots per inch a page is rendered at for Tesseract
OCR_LANGUAGE = "jpn"  # Tesseract's model of printed Japanese (horizontal), with its Latin letters and digits
OCR_TIMEOUT = 60.0  # seconds one Tesseract process may take


def ocr_disabled() -> bool:
    """Tell whether OCR is turned off (``KAIGI_OCR=0``)."""
    return os.environ.get(OCR_ENV, "1").strip().lower() in ("0", "no", "off", "false")


@lru_cache(maxsize=4)
def probe_tesseract(path: str | None) -> str | None:
    """Return the version of the Tesseract at ``path`` when it has the ``jpn`` model, else None."""
    if path is None:
        return None
    answers = ask_tesseract(path, "--list-langs", "--version")
    if answers is None:
        return None
    (langs, _), (out, err) = answers
    if OCR_LANGUAGE not in langs.split():
        return None
    first = (out or err).split("\n", 1)[0].split()
    return first[1] if len(first) > 1 else "?"


def ask_tesseract(path: str, *questions: str) -> list[tuple[str, str]] | None:
    """Run ``path question`` for each question, side by side; return each one's (stdout, stderr), or None
    should one fail to start or outlast ``OCR_TIMEOUT``."""
    procs: list[subprocess.Popen[str]] = []
    try:
        for question in questions:
            procs.append(subprocess.Popen([path, question], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))
        return [proc.communicate(timeout=OCR_TIMEOUT) for proc in procs]
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def find_tesseract() -> tuple[str, str] | None:
    """Return (path, version) of the ``tesseract`` on PATH when it can read Japanese, else None."""
    path = shutil.which("tesseract")
    version = probe_tesseract(path)
    return (path, version) if path and version else None


def describe_ocr() -> str:
    """Name the OCR this machine does (``tesseract 5.3.0 jpn``), or why none (``off``, ``none``)."""
    if ocr_disabled():
        return "off"
    found = find_tesseract()
    return f"tesseract {found[1]} {OCR_LANGUAGE} {OCR_DPI}dpi" if found else "none"


def describe_unavailable() -> str:
    """Say why OCR cannot be used on this machine."""
    if ocr_disabled():
        return f"OCR is turned off ({OCR_ENV}=0)"
    if shutil.which("tesseract") is None:
        return "OCR is unavailable: tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-jpn)"
    return f"OCR is unavailable: tesseract has no {OCR_LANGUAGE} model (Debian: tesseract-ocr-jpn)"
