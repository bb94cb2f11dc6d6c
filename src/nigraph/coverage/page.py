"""Render :class:`nigraph.coverage.figures.Coverage` as a self-contained directory: ``index.html`` + PNG and SVG pictures.

Pictures (each as ``.png`` and ``.svg``): ``heatmap`` (industries x standard types),
``targets`` (a progress bar per quantitative target of the milestone year), ``directions``
(standards per standardization direction, empty ones marked), ``progress`` (count targets over
time) and ``frameworks`` (the share of each industry's framework nodes that have a standard). The
page has a section per industry with its sector frameworks as trees, each node marked covered or
not. Labels are bilingual when a CJK
font is installed (Debian ``fonts-noto-cjk``), English only otherwise. The HTML uses no external
asset and escapes every label. The directory is replaced as a whole, atomically: readers see the
old report or the new one.
"""

from __future__ import annotations

import html
import io
from decimal import ROUND_HALF_UP, Decimal
import os
import shutil
import tempfile
from pathlib import Path

from .figures import Coverage, IndustryLandscape, TargetProgress
from ..core.files import replace_dir
from ..core.files import remove_stale_temps

__all__ = ["render_report", "PICTURES", "cjk_font"]

#: The pictures written, without extension.
PICTURES = ("heatmap", "targets", "directions", "progress", "frameworks")
# Font files that draw Chinese, most preferred first (matched against the file name).
_CJK_FILES = ("NotoSansCJK", "NotoSansSC", "SourceHanSans", "NotoSerifCJK", "wqy-zenhei", "wqy-microhei", "uming",
              "DroidSansFallback")


def cjk_font() -> tuple[str, str] | None:
    """An installed font that can draw Chinese, as ``(family name, file)``, or ``None``.

    The font directories are searched afresh (``findSystemFonts``), not matplotlib's font cache:
    a cache written before the CJK font was installed would not know it, and the pictures would
    silently lose their Chinese labels. The file found is registered with matplotlib by path.
    """
    from matplotlib import font_manager

    files = sorted(set(font_manager.findSystemFonts(fontext="ttf")) | set(font_manager.findSystemFonts(fontext="otf")))
    for wanted in _CJK_FILES:
        for path in files:
            if wanted.lower() in Path(path).name.lower():
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name(), path
    return None


def _plt(font: str | None):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        # text stays text in the SVG (searchable, and the Chinese labels can be checked), not glyph paths
        "svg.hashsalt": "nigraph", "svg.fonttype": "none", "font.size": 10,
        "font.family": ["DejaVu Sans"] + ([font] if font else []),
        "axes.spines.top": False, "axes.spines.right": False,
    })
    return plt


def _save(fig, out: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    fig.savefig(out / f"{name}.png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(out / f"{name}.svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})


def _name(en: str, zh: str, cjk: bool) -> str:
    return f"{en}\n{zh}" if cjk and zh and zh != en else en


def _heatmap(plt, cov: Coverage, out: Path, cjk: bool) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    rows = [i for i in cov.industries]
    cols = [t for t in cov.types]
    data = np.array([[cov.matrix.get((i.key, t.key), 0) for t in cols] for i in rows], dtype=float)
    fig, ax = plt.subplots(figsize=(2.2 + 1.05 * len(cols), 1.2 + (0.62 if cjk else 0.42) * len(rows)))
    vmax = max(1.0, float(data.max()) if data.size else 1.0)
    masked = np.ma.masked_equal(data, 0)
    cmap = plt.get_cmap("YlGnBu").with_extremes(bad="#f4f4f4")
    im = ax.imshow(masked, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
    ax.set_xticks(range(len(cols)), [_name(t.en, t.zh, cjk) for t in cols], rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [f"{i.key}  " + _name(i.en, i.zh, False) + (f"  {i.zh}" if cjk else "") for i in rows],
                  fontsize=8)
    for (y, x), n in np.ndenumerate(data):
        ax.text(x, y, f"{int(n)}" if n else "·", ha="center", va="center", fontsize=8,
                color="white" if n > vmax * 0.6 else ("#222" if n else "#bbb"))
    ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    n_emerging = sum(1 for i in rows if i.key.startswith("E"))
    if 0 < n_emerging < len(rows):
        ax.axhline(n_emerging - 0.5, color="#555", linewidth=1.2)
    from matplotlib.ticker import MaxNLocator

    bar = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="standards")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    title = "Standards per industry and standard type"
    ax.set_title(title + ("\n各产业各类型标准数量" if cjk else ""), fontsize=11, loc="left")
    _save(fig, out, "heatmap")
    plt.close(fig)


def _one_decimal(x: float) -> str:
    """Round half up to one decimal, as SPARQL's ROUND does in the canned queries.

    >>> _one_decimal(0.25), _one_decimal(66.666), _one_decimal(0.0)
    ('0.3', '66.7', '0.0')
    """
    return str(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


_UNIT_TEXT = {"percent": "%", "item": " standards", "enterprise": " enterprises"}
_CMP_TEXT = {">=": "≥", ">": ">", "at-least": "≥", "more-than": ">"}


def _target_text(t: TargetProgress) -> str:
    unit = _UNIT_TEXT.get(t.unit, f" {t.unit}")
    if t.reached is None:
        return f"no data: target {t.value:g}{unit}"
    if t.percent is None:  # the value is itself a percentage (the conversion rate)
        return f"{_one_decimal(t.reached)} % (target {_CMP_TEXT.get(t.comparator, t.comparator)} {t.value:g} %)"
    return f"{t.reached:g} of {t.value:g}{unit}  ({_one_decimal(t.percent)} %)"


def _targets(plt, cov: Coverage, out: Path, cjk: bool) -> None:  # type: ignore[no-untyped-def]
    """A bar per target. Zero is drawn as nothing, with its number written; a target a catalogue
    cannot measure is an empty dashed bar labelled "no data" (it must not read as 100 %); the
    percentage is written at the end of each bar, as small shares (0.3 %) are too thin to see."""
    import textwrap

    targets = list(cov.targets)
    fig, ax = plt.subplots(figsize=(10, 0.9 + (1.0 if cjk else 0.8) * max(1, len(targets))))
    for y, t in enumerate(targets):
        if t.reached is None:
            ax.barh(y, 100, color="none", edgecolor="#999999", linestyle="--", linewidth=0.8, height=0.55)
            ax.text(50, y, "no data" + (" 无数据" if cjk else ""), ha="center", va="center", fontsize=8, color="#666666")
        else:
            ax.barh(y, 100, color="#eeeeee", height=0.55)  # the whole target
            share = t.reached if t.percent is None else t.percent
            if share > 0:
                done = t.percent is not None and t.percent >= 100 or t.percent is None and t.reached > t.value
                ax.barh(y, min(100.0, share), color="#2a9d8f" if done else "#e76f51", height=0.55)
            ax.text(min(100.0, max(share, 0.0)) + 1, y, f"{_one_decimal(share)} %", va="center", fontsize=8)
            if t.percent is None:  # a rate: mark the target value on its 0-100 % scale
                ax.plot([t.value, t.value], [y - 0.36, y + 0.36], color="#333333", linewidth=1.5)
        ax.text(112, y, _target_text(t), va="center", fontsize=8.5)
    labels = []
    for t in targets:
        text = textwrap.shorten(t.target.en, 70, placeholder="…")
        if cjk:
            text += "\n" + textwrap.shorten(t.target.zh, 34, placeholder="…")
        labels.append(f"{t.target.key}: {text}")
    ax.set_yticks(range(len(targets)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("share of the target reached, or the rate itself for a rate target (%)")
    when = f"on {cov.as_of.isoformat()}" if cov.as_of else f"by the end of {cov.year}"
    ax.set_title(f"{cov.year} targets {when}: value reached, target, percentage"
                 + (f"\n{cov.year}年量化指标完成情况" if cjk else ""), fontsize=11, loc="left")
    _save(fig, out, "targets")
    plt.close(fig)


def _directions(plt, cov: Coverage, out: Path, cjk: bool) -> None:  # type: ignore[no-untyped-def]
    """A bar per direction; zero is drawn as nothing, with "0 — no standard" written."""
    import textwrap

    dirs = list(cov.directions)
    fig, ax = plt.subplots(figsize=(10, 0.9 + (0.75 if cjk else 0.5) * max(1, len(dirs))))
    values = [d.standards for d in dirs]
    for y, v in enumerate(values):
        if v:
            ax.barh(y, v, color="#2a9d8f", height=0.6)
        ax.text(v + 0.05 * max(1, *values), y, str(v) if v else "0 — no standard" + (" 无标准" if cjk else ""),
                va="center", fontsize=8, color="#222222" if v else "#c0392b")
    labels = []
    for d in dirs:
        text = f"{d.direction.key}: " + textwrap.shorten(d.direction.en, 60, placeholder="…")
        if cjk:
            text += "\n" + textwrap.shorten(d.direction.zh, 30, placeholder="…")
        labels.append(text)
    ax.set_yticks(range(len(dirs)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([1, *values]) * 1.4)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("standards serving the direction")
    ax.set_title("Standardization directions and their standards" + ("\n标准化方向的标准覆盖" if cjk else ""),
                 fontsize=11, loc="left")
    _save(fig, out, "directions")
    plt.close(fig)


def _progress(plt, cov: Coverage, out: Path, cjk: bool) -> None:  # type: ignore[no-untyped-def]
    """Each count target's cumulative share since the notice, year by year (progress-by-year),
    against the pace that reaches it: a straight line from 0 on the notice's date to 100 % at the
    end of the milestone year."""
    import datetime as dt
    import textwrap

    fig, ax = plt.subplots(figsize=(10, 5.2 if cjk else 4.6))
    if cov.window:
        start, end = dt.date.fromisoformat(cov.window[0]), dt.date(cov.year, 12, 31)
        ax.plot([start, end], [0, 100], linestyle="--", color="#888888", linewidth=1,
                label="pace that reaches the target" + (" 达标所需进度" if cjk else ""))
        names = {t.target.iri: t.target for t in cov.targets}
        colours = ("#e76f51", "#2a9d8f", "#264653", "#e9c46a", "#8ab17d")
        for i, iri in enumerate(sorted({p.target for p in cov.progress}, key=lambda x: (len(x), x))):
            points = [p for p in cov.progress if p.target == iri]
            label = names.get(iri)
            text = f"{label.key}: " + textwrap.shorten(label.en, 50, placeholder="…") if label else iri
            if label and cjk:
                text += " " + textwrap.shorten(label.zh, 24, placeholder="…")
            xs, ys = [start] + [p.date for p in points], [0.0] + [p.percent for p in points]
            ax.plot(xs, ys, marker="o", color=colours[i % len(colours)], label=text)
            last = points[-1] if points else None
            if last:
                ax.annotate(f"{last.standards} ({_one_decimal(last.percent)} %)", (last.date, last.percent),
                            textcoords="offset points", xytext=(6, 4 + 11 * i), fontsize=8,
                            color=colours[i % len(colours)])
        if cov.as_of:
            ax.axvline(cov.as_of, color="#555555", linewidth=0.8)
        ax.set_xlim(start, end + dt.timedelta(days=60))
    ax.set_ylim(0, 105)
    ax.set_ylabel("share of the target reached (%)")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(f"Progress since the plan's notice toward the {cov.year} targets"
                 + (f"\n自方案印发以来{cov.year}年目标的进展" if cjk else ""), fontsize=11, loc="left")
    _save(fig, out, "progress")
    plt.close(fig)


def _frameworks(plt, cov: Coverage, out: Path, cjk: bool) -> None:  # type: ignore[no-untyped-def]
    """A bar per industry: the share of its framework nodes that have a standard
    (framework-coverage-by-industry). Zero is drawn as nothing with its number written; an industry
    without a framework is an empty dashed bar labelled "no framework" (it must not read as 0 %)."""
    rows = list(cov.landscape)
    fig, ax = plt.subplots(figsize=(10, 0.9 + (0.55 if cjk else 0.4) * max(1, len(rows))))
    for y, r in enumerate(rows):
        if r.percent is None:
            ax.barh(y, 100, color="none", edgecolor="#999999", linestyle="--", linewidth=0.8, height=0.55)
            ax.text(50, y, "no framework" + (" 无标准体系框架" if cjk else ""), ha="center", va="center", fontsize=8,
                    color="#666666")
            continue
        ax.barh(y, 100, color="#eeeeee", height=0.55)
        if r.percent > 0:
            ax.barh(y, r.percent, color="#2a9d8f", height=0.55)
        ax.text(101, y, f"{r.covered} of {r.nodes} nodes ({_one_decimal(r.percent)} %)", va="center", fontsize=8,
                color="#222222" if r.covered else "#c0392b")
    ax.set_yticks(range(len(rows)), [f"{r.industry.key}  {r.industry.en}" + (f"  {r.industry.zh}" if cjk else "")
                                     for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("framework nodes with at least one catalogue standard (%)")
    ax.set_title("Sector frameworks covered by the catalogue" + ("\n各产业标准体系框架的标准覆盖" if cjk else ""),
                 fontsize=11, loc="left")
    _save(fig, out, "frameworks")
    plt.close(fig)


_CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}table{border-collapse:collapse;font-size:.9em}
td,th{border:1px solid #ddd;padding:.25em .5em;text-align:left}th{background:#f4f4f4}img{max-width:100%}
.num{text-align:right}.none{color:#c0392b}.note{color:#666;font-size:.9em}
ul.tree{list-style:none;padding-left:1.2em}ul.tree li{margin:.1em 0}.covered::before{content:"\\25A0  ";color:#2a9d8f}
.gap::before{content:"\\25A1  ";color:#c0392b}.gap{color:#c0392b}"""


_UNITS = {"item": "standards", "enterprise": "enterprises", "percent": "%"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html(cov: Coverage, cjk: bool) -> str:
    out = io.StringIO()
    w = out.write
    w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>nigraph coverage report</title>"
      f"<style>{_CSS}</style></head><body>\n")
    w("<h1>Where the plan stands: coverage of the catalogue <span lang=\"zh\">标准覆盖情况</span></h1>\n")
    w(f"<p>{cov.standards} standards in the store, {cov.serving} serving at least one of the plan's "
      f"{len(cov.industries)} industries")
    if cov.samples:
        w(f"; {cov.samples} are records of the sample catalogue (<code>nig:isSample</code>), which illustrates the "
          "data and is <strong>not</strong> a complete list")
    w(".</p>\n")
    w("<h2>Industries x standard types</h2>\n"
      "<p><img src=\"heatmap.png\" alt=\"Heatmap: number of standards per industry and standard type\"></p>"
      "<p class=\"note\">Also as <a href=\"heatmap.svg\">SVG</a>.</p>\n<table><tr><th>industry</th>")
    for t in cov.types:
        w(f"<th>{_e(t.en)}<br><span lang=\"zh\">{_e(t.zh)}</span></th>")
    w("</tr>\n")
    for i in cov.industries:
        w(f"<tr><td>{_e(i.key)} {_e(i.en)} <span lang=\"zh\">{_e(i.zh)}</span></td>")
        for t in cov.types:
            w(f"<td class=\"num\">{cov.matrix.get((i.key, t.key), 0)}</td>")
        w("</tr>\n")
    w("</table>\n")
    when = f" on {cov.as_of.isoformat()}" if cov.as_of else ""
    w(f"<h2>{cov.year} targets{when}</h2>\n<p><img src=\"targets.png\" alt=\"Progress bar per {cov.year} target\"></p>"
      "<p class=\"note\">Also as <a href=\"targets.svg\">SVG</a>.</p>\n"
      "<table><tr><th>target</th><th>value reached</th><th>target</th><th>percentage</th><th>how it was measured</th></tr>\n")
    for t in cov.targets:
        reached = "—" if t.reached is None else (_one_decimal(t.reached) + " %" if t.unit == "percent" else f"{t.reached:g}")
        pct = "—" if t.percent is None else f"{_one_decimal(t.percent)} %"
        w(f"<tr><td>{_e(t.target.key)}: {_e(t.target.en)}<br><span lang=\"zh\">{_e(t.target.zh)}</span></td>"
          f"<td class=\"num\">{_e(reached)}</td><td class=\"num\">{_e(_CMP_TEXT.get(t.comparator, t.comparator))} "
          f"{t.value:g} {_e(_UNITS.get(t.unit, t.unit))}</td>"
          f"<td class=\"num\">{_e(pct)}</td><td>{_e(t.how)}</td></tr>\n")
    w("</table>\n")
    w("<h2>Progress over time</h2>\n<p><img src=\"progress.png\" alt=\"Each count target's share reached, year by year "
      "since the notice, against the pace that reaches it\"></p><p class=\"note\">Also as <a href=\"progress.svg\">SVG</a>. "
      "Cumulative counts at the end of each year (canned query progress-by-year)"
      + (f" and on {cov.as_of.isoformat()} (target-progress-on-date)" if cov.as_of else "")
      + "; the dashed line is the straight pace from 0 on the notice's date to the target at the end of the year.</p>\n")
    empty = cov.empty_directions
    w(f"<h2>Directions with no standard ({len(empty)} of {len(cov.directions)})</h2>\n"
      "<p><img src=\"directions.png\" alt=\"Standards per standardization direction\"></p>"
      "<p class=\"note\">Also as <a href=\"directions.svg\">SVG</a>.</p>\n<ul>\n")
    for d in empty:
        w(f"<li class=\"none\">{_e(d.direction.key)} ({_e(d.industry)}): {_e(d.direction.en)} "
          f"<span lang=\"zh\">{_e(d.direction.zh)}</span></li>\n")
    w("</ul>\n")
    _landscape_html(w, cov)
    if cov.empty_industries:
        w("<h2>Industries with no standard</h2>\n<ul>\n")
        for i in cov.empty_industries:
            w(f"<li class=\"none\">{_e(i.key)} {_e(i.en)} <span lang=\"zh\">{_e(i.zh)}</span></li>\n")
        w("</ul>\n")
    w("<p class=\"note\">Made by <code>nigraph report</code>: every number on this page is the answer of a canned "
      "query (<code>queries/</code>: catalogue-totals, standards-by-industry-and-type, target-progress, "
      "international-conversion-rate, progress-by-year, standards-per-direction, framework-coverage-by-industry, "
      "standards-per-framework-node, framework-nodes-without-standard), which <code>nigraph query</code> "
      "gives too. "
      + ("" if cjk else "No CJK font was found, so the pictures are labelled in English only. ")
      + "The directions are only those the sources give (see the README's known gaps).</p>\n</body></html>\n")
    return out.getvalue()


def _landscape_html(w, cov: Coverage) -> None:  # type: ignore[no-untyped-def]
    """A section per industry: its frameworks as trees, each node marked covered or not."""
    with_framework = [r for r in cov.landscape if r.frameworks]
    w(f"<h2>Sector frameworks <span lang=\"zh\">标准体系框架</span> ({len(with_framework)} of "
      f"{len(cov.landscape)} industries)</h2>\n"
      "<p><img src=\"frameworks.png\" alt=\"Share of each industry's framework nodes with a standard\"></p>"
      "<p class=\"note\">Also as <a href=\"frameworks.svg\">SVG</a>. The frameworks are those of the sector documents "
      "in <code>data/sectors/</code>. A node is covered (<span class=\"covered\"></span>) when a catalogue standard "
      "serves it or a node under it (<code>nig:servesNode</code>), else it is a gap (<span class=\"gap\"></span>); "
      "each node shows the standards serving it directly / with the nodes under it.</p>\n")
    for r in cov.landscape:
        _industry_section(w, r)


def _industry_section(w, r: IndustryLandscape) -> None:  # type: ignore[no-untyped-def]
    i = r.industry
    w(f"<section class=\"industry\" id=\"industry-{_e(i.key)}\"><h3>{_e(i.key)} {_e(i.en)} "
      f"<span lang=\"zh\">{_e(i.zh)}</span></h3>\n")
    if not r.frameworks:
        if r.documents:
            what = (f"{r.documents} sector document{'s' if r.documents != 1 else ''}, but no framework is known from "
                    "the pages read: see the data notes (<code>docs/data-notes.md</code>, \u201cSector documents\u201d) "
                    "for what the pages show")
        else:
            what = ("No sector document found: see the data notes (<code>docs/data-notes.md</code>, "
                    "\u201cIndustries without a sector document\u201d) for what was searched")
        w(f"<p class=\"none\">{what}.</p></section>\n")
        return
    w(f"<p>{r.documents} sector document{'s' if r.documents != 1 else ''}, {r.nodes} framework nodes, "
      f"{r.covered} covered ({_one_decimal(r.percent or 0.0)} %).</p>\n")
    for f in r.frameworks:
        covered = sum(1 for n in f.nodes if n.covered)
        w(f"<h4>{_e(f.scheme.en)} <span lang=\"zh\">{_e(f.scheme.zh)}</span> ({covered} of {len(f.nodes)} "
          "nodes covered)</h4>\n")
        depth = -1
        for n in f.nodes:
            if n.depth > depth:
                w("<ul class=\"tree\">" * (n.depth - depth))
            else:
                w("</li>" + "</ul></li>" * (depth - n.depth))
            depth = n.depth
            notation = f"{_e(n.notation)} " if n.notation else ""
            w(f"\n<li class=\"{'covered' if n.covered else 'gap'}\">{notation}{_e(n.node.en)} "
              f"<span lang=\"zh\">{_e(n.node.zh)}</span> <span class=\"num\">({n.direct} / {n.with_narrower})</span>")
        w("</li>" + "</ul></li>" * depth + "</ul>\n")
    w("</section>\n")


def render_report(cov: Coverage, out: str | Path) -> list[str]:
    """Write the report directory.

    :param cov: the figures.
    :param out: the directory to (re)place, e.g. ``dist/report``.
    :returns: the names of the files written, sorted.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        from ..core.errors import NigraphError

        raise NigraphError(f"{out}: exists and is not a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent))
    try:
        found = cjk_font()
        font = found[0] if found else None
        plt = _plt(font)
        cjk = font is not None
        _heatmap(plt, cov, tmp, cjk)
        _targets(plt, cov, tmp, cjk)
        _directions(plt, cov, tmp, cjk)
        _progress(plt, cov, tmp, cjk)
        _frameworks(plt, cov, tmp, cjk)
        (tmp / "index.html").write_text(_html(cov, cjk), encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(p.name for p in out.iterdir())
