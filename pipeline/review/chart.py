"""Budget chart: the largest programs' budgets by fiscal year, as a PNG with Japanese labels.

Input: ``budget_history`` rows. Output: PNG bytes (matplotlib's Agg renderer, IPAexGothic
from the ``japanize-matplotlib`` package registered directly with the font manager; the PNG
carries no software or date stamp, so the same rows give the same bytes).
"""

from __future__ import annotations

import functools
import importlib.util
import io
from pathlib import Path
from typing import Any

TOP_PROGRAMS = 8


@functools.lru_cache(maxsize=1)
def find_japanese_font() -> Path:
    """Return the IPAexGothic font file shipped in the ``japanize-matplotlib`` package (not imported)."""
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("japanize-matplotlib is not installed: it ships the Japanese font for the chart")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise RuntimeError(f"IPAexGothic not found at {path}")
    return path


@functools.lru_cache(maxsize=1)
def register_japanese_font() -> str:
    """Register IPAexGothic with matplotlib; return its family name."""
    from matplotlib import font_manager

    path = find_japanese_font()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def select_largest(rows: list[dict[str, Any]], n: int = TOP_PROGRAMS) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """Return (name_key, label, [(fiscal_year, budget_thousand_yen)]) for the ``n`` largest programs.

    A program's size is its largest budget in any year; the label is its name in the latest year.
    """
    series: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.get("budget_thousand_yen") is not None:
            series.setdefault(row["name_key"], []).append(row)
    ranked = sorted(series, key=lambda k: (-max(r["budget_thousand_yen"] for r in series[k]), k))[:n]
    out = []
    for key in ranked:
        points = sorted(series[key], key=lambda r: r["fiscal_year"])
        out.append((key, points[-1]["name"], [(r["fiscal_year"], r["budget_thousand_yen"]) for r in points]))
    return out


def shorten(label: str, width: int = 20) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def render_budget_chart(rows: list[dict[str, Any]], n: int = TOP_PROGRAMS) -> bytes:
    """Return a PNG line chart of the ``n`` largest programs' budgets (thousand yen) by fiscal year."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    family = register_japanese_font()
    selected = select_largest(rows, n)
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False, "svg.hashsalt": "0"}):
        fig = Figure(figsize=(10, 5.6), dpi=100)
        ax = fig.add_subplot(1, 1, 1)
        for _, label, points in selected:
            years = [p[0] for p in points]
            budgets = [p[1] for p in points]
            ax.plot(years, budgets, marker="o", linewidth=1.8, label=shorten(label))
        ax.set_title(f"予算の大きい事業 上位{len(selected)}件の予算の推移（千円）")
        ax.set_xlabel("年度（西暦、線は記載のある年度を結ぶ）")
        ax.set_ylabel("予算（千円）")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.grid(True, alpha=0.3)
        if selected:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
        else:
            ax.text(0.5, 0.5, "予算の記載がある事業はありません", ha="center", va="center", transform=ax.transAxes)
        fig.subplots_adjust(left=0.1, right=0.66, top=0.9, bottom=0.12)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
