"""Invented names for synthetic data: places, provinces, enterprises, parks and the industry
catalogue, each with an English and a Chinese label.

Every name is made from syllables; any likeness to a real place or company is chance. What tells
synthetic data apart is never the name but the IRI base (``https://w3id.org/pilotkg/id/synth/``),
the codes (outside GB/T 2260's province prefixes) and the sources' ``pk:isSynthetic true``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..iri import slug

#: Syllables of place names, with a character each.
PLACE_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("lan", "兰"), ("qiao", "桥"), ("he", "河"), ("yang", "阳"), ("shan", "山"), ("ping", "平"), ("chuan", "川"),
    ("ling", "陵"), ("xi", "西"), ("dong", "东"), ("nan", "南"), ("bei", "北"), ("song", "松"), ("yun", "云"),
    ("jiang", "江"), ("hu", "湖"), ("an", "安"), ("ning", "宁"), ("feng", "丰"), ("tai", "泰"), ("quan", "泉"),
    ("shi", "石"), ("lin", "林"), ("yuan", "源"), ("gu", "谷"), ("guan", "关"), ("hong", "虹"), ("jin", "金"),
    ("lu", "鹿"), ("mei", "梅"), ("qing", "清"), ("tao", "桃"), ("wu", "梧"), ("ya", "雅"), ("zhu", "竹"),
    ("bai", "柏"), ("fu", "福"), ("cui", "翠"), ("hua", "华"), ("rong", "榕"),
)

#: Syllables of enterprise brand names, with a character each.
BRAND_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("kai", "凯"), ("xin", "鑫"), ("hua", "华"), ("tai", "泰"), ("long", "龙"), ("feng", "丰"), ("rui", "瑞"),
    ("da", "达"), ("heng", "恒"), ("sheng", "盛"), ("yuan", "源"), ("tong", "通"), ("jia", "嘉"), ("bo", "博"),
    ("chuang", "创"), ("ke", "科"), ("wei", "威"), ("xing", "星"), ("hong", "宏"), ("guang", "光"), ("jin", "锦"),
    ("ming", "明"), ("run", "润"), ("an", "安"), ("fu", "富"), ("de", "德"), ("cheng", "诚"), ("yi", "益"),
    ("zhong", "众"), ("tian", "天"), ("hai", "海"), ("lan", "蓝"), ("qing", "青"), ("yun", "云"), ("chen", "辰"),
    ("hao", "浩"), ("jun", "骏"), ("ling", "灵"), ("mei", "美"), ("ning", "宁"), ("pu", "普"), ("rong", "荣"),
    ("wan", "万"), ("xiang", "祥"), ("yao", "耀"), ("zhi", "智"), ("ze", "泽"), ("yu", "宇"),
)

#: Kinds of company, English and Chinese.
COMPANY_KINDS: tuple[tuple[str, str], ...] = (
    ("Technology", "科技"), ("Industrial", "实业"), ("Manufacturing", "制造"), ("Equipment", "装备"),
    ("New Materials", "新材料"), ("Electronics", "电子"), ("Intelligent", "智能"), ("Precision", "精密"),
)

#: Kinds of park.
PARK_KINDS: tuple[str, ...] = ("Industrial Park", "Economic Development Zone", "High-tech Industrial Zone",
                               "Industrial Functional Area", "Innovation Park", "Industrial Cluster Zone")


@dataclass(frozen=True)
class Industry:
    """One industry of the synthetic catalogue, with its key, labels and synthetic class code."""

    index: int
    en: str
    zh: str

    @property
    def key(self) -> str:
        return slug(self.en)

    @property
    def code(self) -> str:
        """A class of the synthetic classification: four digits starting 00, which no GB/T 4754 class has."""
        return f"00{self.index + 1:02d}"

    @property
    def title(self) -> str:
        """'Food and Beverage', 'Crystalline Silicon PV'."""
        return " ".join(w if w.isupper() or w in ("and", "of") else w[:1].upper() + w[1:] for w in self.en.split())

    @property
    def article(self) -> str:
        """'a' or 'an', as the English name begins."""
        return "an" if self.en[:1].lower() in "aeiou" else "a"


#: The industry catalogue: manufacturing industries as such lists name them.
INDUSTRIES: tuple[Industry, ...] = tuple(Industry(i, en, zh) for i, (en, zh) in enumerate((
    ("lithium battery", "锂电"), ("new display", "新型显示"), ("crystalline silicon PV", "晶硅光伏"),
    ("medical device", "医疗器械"), ("clean energy equipment", "清洁能源装备"), ("integrated circuit", "集成电路"),
    ("new energy vehicle", "新能源汽车"), ("auto parts", "汽车零部件"), ("aerospace equipment", "航空航天装备"),
    ("rail transit equipment", "轨道交通装备"), ("biomedicine", "生物医药"), ("modern Chinese medicine", "现代中药"),
    ("food and beverage", "食品饮料"), ("liquor", "白酒"), ("tea processing", "茶叶加工"), ("textiles", "纺织"),
    ("furniture", "家具"), ("building materials", "建材"), ("fine chemicals", "精细化工"), ("natural gas chemicals", "天然气化工"),
    ("advanced materials", "先进材料"), ("rare earth materials", "稀土材料"), ("special steel", "特种钢"),
    ("aluminium processing", "铝加工"), ("vanadium and titanium", "钒钛"), ("hydrogen energy", "氢能"),
    ("energy storage", "储能"), ("power equipment", "电力装备"), ("smart terminals", "智能终端"),
    ("software and information services", "软件和信息服务"), ("industrial robots", "工业机器人"),
    ("drones", "无人机"), ("optoelectronics", "光电"), ("environmental equipment", "环保装备"),
    ("agricultural machinery", "农业机械"), ("paper and packaging", "造纸和包装"),
)))


def two_syllables(rng: random.Random, syllables: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    """A two-syllable name (English, Chinese) with distinct syllables, e.g. ('Lanqiao', '兰桥')."""
    first, second = rng.sample(syllables, 2)
    return (first[0] + second[0]).capitalize(), first[1] + second[1]


def unique_names(rng: random.Random, count: int, syllables: tuple[tuple[str, str], ...],
                 taken: set[str] | None = None) -> list[tuple[str, str]]:
    """``count`` distinct two-syllable names (distinct in English and in Chinese)."""
    names: list[tuple[str, str]] = []
    seen_en = set(taken or ())
    seen_zh: set[str] = set()
    limit = len(syllables) * (len(syllables) - 1)
    if count + len(seen_en) > limit:
        raise ValueError(f"cannot invent {count} distinct names from {len(syllables)} syllables")
    while len(names) < count:
        en, zh = two_syllables(rng, syllables)
        if en not in seen_en and zh not in seen_zh:
            seen_en.add(en)
            seen_zh.add(zh)
            names.append((en, zh))
    return names


def company(rng: random.Random, city: str, city_zh: str, industry: Industry, taken: set[str]) -> tuple[str, str]:
    """An enterprise name in a city, e.g. 'Lanqiao Kaixin Lithium Battery Technology Co., Ltd.', and its Chinese name."""
    for _ in range(1000):
        (b1, z1), (b2, z2) = rng.sample(BRAND_SYLLABLES, 2)
        kind, kind_zh = rng.choice(COMPANY_KINDS)
        en = f"{city} {(b1 + b2).capitalize()} {industry.title} {kind} Co., Ltd."
        if en not in taken:
            taken.add(en)
            return en, f"{city_zh}{z1}{z2}{industry.zh}{kind_zh}有限公司"
    raise ValueError(f"cannot invent another enterprise name in {city}")  # pragma: no cover


def park_name(city: str, industry: Industry, taken: set[str]) -> str:
    """A park of a city for an industry, e.g. 'Lanqiao Lithium Battery Industrial Park'."""
    for kind in PARK_KINDS:
        name = f"{city} {industry.title} {kind}"
        if name not in taken:
            taken.add(name)
            return name
    for quarter in ("East", "West", "North", "South"):
        name = f"{city} {quarter} {industry.title} {PARK_KINDS[0]}"
        if name not in taken:
            taken.add(name)
            return name
    raise ValueError(f"cannot invent another park name in {city}")  # pragma: no cover


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def ordinal(n: int) -> str:
    """'first', 'second', ... (and '11th' beyond ten)."""
    return ORDINALS[n - 1] if 1 <= n <= len(ORDINALS) else f"{n}th"


def listing(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
