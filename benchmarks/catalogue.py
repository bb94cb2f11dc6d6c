"""Synthetic, realistic catalogues of standards for benchmarks (never committed as data).

``records(n, seed=...)`` yields plain dicts shaped like a row of a Chinese standards catalogue;
``write_ntriples`` turns them into nigraph RDF (about 15 triples a standard, so ~70k standards
make 1M triples); ``write_csv`` writes them as a catalogue file for ``nigraph import``.
``violations=k`` seeds k broken records (each of a known kind, listed in :data:`VIOLATION_KINDS`)
so that validators can be cross-checked. Same arguments, same bytes.

Run ``python benchmarks/catalogue.py --triples 1000000 --out /tmp/cat.nt`` (or ``--csv``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Iterator

from pyoxigraph import Literal, NamedNode

from nigraph.core.iri import standard_key

NIG = "https://w3id.org/nigraph/def/"
NID = "https://w3id.org/nigraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"

# (prefix, standard-type key, share); industry and group prefixes are real code families.
PREFIXES = [
    ("GB/T", "national-recommended", 36), ("GB", "national-mandatory", 5), ("GB/Z", "national-guidance", 3),
    ("YD/T", "industry", 8), ("QC/T", "industry", 4), ("SJ/T", "industry", 5), ("NB/T", "industry", 5),
    ("JB/T", "industry", 4), ("CB/T", "industry", 2), ("MH/T", "industry", 2), ("HG/T", "industry", 2),
    ("T/CESA", "group", 5), ("T/CSAE", "group", 4), ("T/CAS", "group", 3), ("DB11/T", "local", 2),
    ("ISO", "international", 5), ("IEC", "international", 3), ("ISO/IEC", "international", 2),
]
INDUSTRIES = [f"E0{i}" for i in range(1, 9)] + [f"F0{i}" for i in range(1, 10)]
DIRECTIONS = {"F04": ["F04-1", "F04-2", "F04-3", "F04-4", "F04-5"], "F03": ["F03-1", "F03-2", "F03-3"]}
ICS = ["35.240", "35.110", "27.160", "27.180", "29.220", "43.120", "49.020", "47.020", "13.020", "71.100",
       "33.040", "31.200", "25.040", "83.080", "11.040"]
STATUSES = [("in-force", 80), ("upcoming", 8), ("withdrawn", 12)]
WORDS_ZH = ["技术要求", "试验方法", "术语", "通用规范", "安全要求", "测试规范", "数据接口", "评价指南", "参考架构"]
WORDS_EN = ["Technical requirements", "Test methods", "Terminology", "General specification",
            "Safety requirements", "Test specification", "Data interface", "Evaluation guide", "Reference architecture"]
SUBJ_ZH = ["储能电池", "工业互联网平台", "智能网联汽车", "光伏组件", "人形机器人", "量子计算机", "元宇宙终端",
           "生物反应器", "显示面板", "船用燃料电池", "民用无人机", "生成式人工智能服务", "脑机接口设备"]
SUBJ_EN = ["Energy storage batteries", "Industrial internet platforms", "Intelligent connected vehicles",
           "PV modules", "Humanoid robots", "Quantum computers", "Metaverse terminals", "Bioreactors",
           "Display panels", "Marine fuel cells", "Civil drones", "Generative AI services", "Brain-computer interface devices"]
VIOLATION_KINDS = ("implementation-before-issue", "bad-number", "missing-zh-title", "adopts-non-international")


def _weighted(rng: random.Random, items: list[tuple]) -> tuple:
    return rng.choices(items, weights=[i[-1] for i in items])[0]


def records(n: int, *, seed: int = 2023, violations: int = 0) -> Iterator[dict]:
    """Yield ``n`` catalogue records; the first ``violations`` positions (spread evenly) are broken.

    >>> r = next(records(1)); sorted(r)[:3]
    ['adopted', 'ccs', 'committee']
    """
    rng = random.Random(seed)
    bad_at = {round(i * n / violations): VIOLATION_KINDS[i % len(VIOLATION_KINDS)] for i in range(violations)} if violations else {}
    intl: list[str] = []
    domestic: list[str] = []
    for i in range(n):
        prefix, stype, _ = _weighted(rng, PREFIXES)
        issued = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 11 * 365))
        sep = ":" if stype == "international" else "-"
        # six-digit numbers: no real standard has one, so a synthetic record never takes the IRI of
        # one of the project's own standards (two statuses on one resource would fail the build)
        number = f"{prefix} {900000 + i}{sep}{issued.year}"
        subj = rng.randrange(len(SUBJ_ZH))
        word = rng.randrange(len(WORDS_ZH))
        industry = rng.choice(INDUSTRIES)
        rec = {
            "number": number, "type": stype,
            "title_zh": f"{SUBJ_ZH[subj]} {WORDS_ZH[word]}", "title_en": f"{SUBJ_EN[subj]} - {WORDS_EN[word]}",
            "status": _weighted(rng, STATUSES)[0], "issued": issued.isoformat(),
            "implemented": (issued + dt.timedelta(days=rng.randrange(90, 366))).isoformat(),
            "ics": rng.choice(ICS), "ccs": f"{rng.choice('LKMNJ')}{rng.randrange(10, 99)}",
            "committee": f"SAC/TC {rng.randrange(1, 600)}", "industries": [industry],
            "directions": [rng.choice(DIRECTIONS[industry])] if industry in DIRECTIONS and rng.random() < 0.5 else [],
            "adopted": None, "degree": None,
        }
        if rng.random() < 0.1:
            other = rng.choice(INDUSTRIES)
            if other != industry:
                rec["industries"].append(other)
        if stype.startswith("national") and intl and rng.random() < 0.3:
            rec["adopted"] = rng.choice(intl)
            rec["degree"] = rng.choice(["IDT", "IDT", "MOD", "NEQ"])
        kind = bad_at.get(i)
        if kind == "implementation-before-issue":
            rec["implemented"] = (issued - dt.timedelta(days=30)).isoformat()
        elif kind == "bad-number":
            rec["number"] = f"XX {i}"
        elif kind == "missing-zh-title":
            rec["title_zh"] = None
        elif kind == "adopts-non-international":
            # an earlier domestic standard of the catalogue (described there, but not international)
            rec["adopted"] = domestic[i % len(domestic)] if domestic else number.replace(prefix, "GB/T", 1) + "x"
            rec["degree"] = "IDT"
        rec["violation"] = kind
        if stype == "international" and kind is None:
            intl.append(number)
        elif kind is None:
            domestic.append(number)
        yield rec


def triples(rec: dict) -> Iterator[str]:
    """N-Triples lines of one record (terms built with pyoxigraph, so escaping is right)."""
    s = str(NamedNode(NID + "standard/" + standard_key(rec["number"])))

    def lit(value: str, *, lang: str | None = None, dtype: str | None = None) -> str:
        if lang:
            return str(Literal(value, language=lang))
        return str(Literal(value, datatype=NamedNode(XSD + dtype))) if dtype else str(Literal(value))

    yield f"{s} <{RDF_TYPE}> <{NIG}Standard> ."
    yield f"{s} <{NIG}standardNumber> {lit(rec['number'])} ."
    yield f"{s} <{NIG}standardType> <{NID}standard-type/{rec['type']}> ."
    if rec["title_zh"]:
        yield f"{s} <{DCT}title> {lit(rec['title_zh'], lang='zh')} ."
        yield f"{s} <http://www.w3.org/2000/01/rdf-schema#label> {lit(rec['title_zh'], lang='zh')} ."
    yield f"{s} <{DCT}title> {lit(rec['title_en'], lang='en')} ."
    yield f"{s} <http://www.w3.org/2000/01/rdf-schema#label> {lit(rec['number'] + ' ' + rec['title_en'], lang='en')} ."
    yield f"{s} <{NIG}status> <{NID}standard-status/{rec['status']}> ."
    yield f"{s} <{DCT}issued> {lit(rec['issued'], dtype='date')} ."
    yield f"{s} <{NIG}implementationDate> {lit(rec['implemented'], dtype='date')} ."
    yield f"{s} <{NIG}icsCode> {lit(rec['ics'])} ."
    yield f"{s} <{NIG}ccsCode> {lit(rec['ccs'])} ."
    yield f"{s} <{NIG}responsibleCommittee> {lit(rec['committee'])} ."
    for ind in rec["industries"]:
        yield f"{s} <{NIG}servesIndustry> <{NID}industry/{ind}> ."
    for d in rec["directions"]:
        yield f"{s} <{NIG}servesDirection> <{NID}direction/{d}> ."
    if rec["adopted"]:
        yield f"{s} <{NIG}adopts> <{NID}standard/{standard_key(rec['adopted'])}> ."
        yield f"{s} <{NIG}adoptionDegree> <{NID}adoption-degree/{rec['degree']}> ."


def write_ntriples(path: Path, *, n_triples: int, seed: int = 2023, violations: int = 0) -> int:
    """Write about ``n_triples`` triples (whole standards); return the number written."""
    n_std = max(1, n_triples * 10 // 145)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for rec in records(n_std, seed=seed, violations=violations):
            for line in triples(rec):
                out.write(line + "\n")
                written += 1
    return written


CSV_HEADER = ["标准号", "中文标准名称", "英文标准名称", "标准性质", "标准状态", "发布日期", "实施日期",
              "ICS", "CCS", "归口单位", "采用国际标准", "采标程度"]
NATURE = {"national-mandatory": "强制性", "national-recommended": "推荐性", "national-guidance": "指导性"}
STATUS_ZH = {"in-force": "现行", "upcoming": "即将实施", "withdrawn": "废止"}


def write_csv(path: Path, *, n_rows: int, seed: int = 2023, violations: int = 0) -> None:
    """Write a catalogue in the columns of common Chinese catalogues (Chinese headers)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(CSV_HEADER)
        for r in records(n_rows, seed=seed, violations=violations):
            w.writerow([r["number"], r["title_zh"] or "", r["title_en"], NATURE.get(r["type"], "推荐性"),
                        STATUS_ZH[r["status"]], r["issued"], r["implemented"], r["ics"], r["ccs"],
                        r["committee"], r["adopted"] or "", r["degree"] or ""])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about this many triples (N-Triples output)")
    ap.add_argument("--rows", type=int, help="write a CSV catalogue of this many rows instead")
    ap.add_argument("--violations", type=int, default=0, help="seed this many broken records")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    if a.rows:
        write_csv(a.out, n_rows=a.rows, seed=a.seed, violations=a.violations)
    else:
        n = write_ntriples(a.out, n_triples=a.triples, seed=a.seed, violations=a.violations)
        print(f"{n} triples -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
