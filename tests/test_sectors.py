"""The ICS and keyword mapping to industries and directions (data/ics.ttl, data/industry-keywords.ttl) is pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

from nigraph.catalogue.parse import read_catalogue
from nigraph.catalogue.sectors import load_sector_map

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sectors():
    return load_sector_map(ROOT)


def test_ics_mapping_is_pinned(sectors) -> None:
    assert sectors.ics == {
        "13.040.20": ("E06",), "25.040.30": ("E04",), "27.180": ("E02",), "33": ("E01",), "35": ("E01",),
        "43.120": ("E05",), "47.020.01": ("E08",),
    }
    assert {"25", "25.040", "29.220.20", "29.220.99", "35.040", "43.020"} <= sectors.known_ics


@pytest.mark.parametrize("code,cls", [("35.240.01", "35.240"), ("35.300", "35"), ("35.040", "35.040"), ("25.040.30", "25.040.30"),
                                      ("25.040.40", "25.040"), ("99.999", None), ("43.120", "43.120")])
def test_most_specific_known_class(sectors, code: str, cls: str | None) -> None:
    assert sectors.ics_class(code) == cls


@pytest.mark.parametrize("ics,titles,industries,directions", [
    (("35.040",), ["信息安全技术 个人信息安全规范"], ("E01",), ()),
    ((), ["网络安全技术 人工智能生成合成内容标识方法"], ("E01", "F05"), ()),
    (("29.220.99",), ["电能存储系统用锂蓄电池和电池组 安全要求"], ("F09",), ()),
    (("29.220.20", "43.120"), ["Secondary lithium-ion cells for the propulsion of electric road vehicles"], ("E05",), ()),
    ((), ["量子计算 术语和定义"], ("F03",), ("F03-2",)),
    ((), ["Humanoid robots — Vocabulary"], ("F04",), ("F04-1",)),
    ((), ["生物制造 通用要求"], ("F06",), ()),
    ((), ["民用无人驾驶航空器系统安全要求"], ("E07",), ()),
    (("47.020.01",), ["智能船舶数据分类、分级与标识"], ("E08",), ()),
    (("13.040.20",), ["环境空气质量标准"], ("E06",), ()),
    (("25.040.30",), ["机器人与机器人装备 词汇"], ("E04",), ()),
    ((), ["一般机械 螺栓"], (), ()),
    # keywords added with the E05–E08 catalogue rows (issue 14)
    ((), ["无人驾驶航空器系统作业飞行技术规范"], ("E07",), ()),
    ((), ["货物航空运输代码"], ("E07",), ()),
    ((), ["船用设备标识编码要求"], ("E08",), ()),
    (("77.150.30",), ["铜锻压及机加工系列产品碳足迹量化与评价方法"], ("E06",), ()),
    ((), ["Road vehicles — Vehicle to grid communication interface — Part 20"], ("E05",), ()),
    ((), ["Road vehicles — Vehicle dynamics"], (), ()),
])
def test_classification_is_pinned(sectors, ics, titles, industries, directions) -> None:
    got_industries, got_directions, _ = sectors.classify(ics, titles)
    assert (got_industries, got_directions) == (industries, directions)


def test_every_industry_has_keywords_in_both_languages(sectors) -> None:
    by_industry: dict[str, set[str]] = {}
    for kind, key, words in sectors.keywords:
        if kind == "industry":
            lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for w in words for ch in w) else "en"
            by_industry.setdefault(key, set()).add(lang)
    assert sorted(by_industry) == [f"E0{i}" for i in range(1, 9)] + [f"F0{i}" for i in range(1, 10)]
    assert all(langs == {"zh", "en"} for langs in by_industry.values())


def test_sample_catalogue_industries_are_pinned(sectors) -> None:
    cat = read_catalogue(ROOT / "data" / "sample-catalogue.csv")
    got = {r.number: sectors.classify(r.ics, (r.title_zh, r.title_en))[0] for r in cat.records}
    assert got["GB 18030-2022"] == ("E01",)
    assert got["GB 44240-2024"] == ("F09",)
    assert got["GB/T 36276-2023"] == ("E02", "F09")
    assert got["GB/T 42565-2023"] == ("F03",)
    assert got["GB 42590-2023"] == ("E07",)
    assert got["GB 15097-2016"] == ("E06", "E08")  # 污染物 and 船舶
    assert got["MH/T 1029-2009"] == ("E07",)  # 航空运输
    assert got["ISO 24060-2:2023"] == ("E01", "E08")  # ICS 35.240.60 and ship
    assert all(got.values()), [n for n, v in got.items() if not v]
