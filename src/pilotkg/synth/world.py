"""The plan of a synthetic world, drawn from the seed before anything is written: provinces and
cities (with codes, positions and the industries they specialise in), the pilot designations of
every batch, which of them are complete, have gaps or contradictions, and where every other
problem is planted. Writing then follows the plan (``pilotkg.synth.documents``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .names import INDUSTRIES, PLACE_SYLLABLES, Industry, unique_names

#: The six requirements, by the keys of their IRIs (``https://w3id.org/pilotkg/id/requirement/{key}``).
REQUIREMENTS = ("park", "pillar-industry", "chain-leader-enterprise", "chain-chief", "innovation-platform",
                "world-brand-conference")
#: The cross-check that contradicts each requirement's element, where there is one.
CROSSCHECKS = {"park": "park-elsewhere", "chain-leader-enterprise": "enterprise-other-industry",
               "chain-chief": "chief-other-government", "world-brand-conference": "conference-elsewhere"}
#: Problems planted on designated elements (the element itself is malformed).
ELEMENT_FLAWS = ("element-requirement", "element-thing", "element-status")
#: Problems planted on an enterprise (its labels, its IRI, or its profile quote).
ENTERPRISE_FLAWS = ("label-english", "label-one-per-language", "instance-iri", "quote-exact", "quote-position",
                    "quote-speaker")
#: Problems planted on one figure of an enterprise.
OBSERVATION_FLAWS = ("observation-value", "observation-lexical-form", "observation-unit", "observation-multiplier",
                     "observation-qualifier", "observation-status", "observation-measure", "observation-subject",
                     "observation-year", "observation-period")
#: Problems planted in a city's bulletin (the evidence ones go to its planted.ttl).
CITY_FLAWS = ("admin-code", "fact-quoted", "quote-source", "quote-located", "position-order", "conference-host",
              "conference-year", "statement-speaker", "statement-modality", "proposal-proposer", "proposal-components",
              "component-mode", "component-reach")
#: Problems planted on industry pilots (the last on a target's figure).
INDUSTRY_PILOT_FLAWS = ("designation-place", "designation-batch", "designation-industry", "target-deadline")
#: The smallest world that can hold every planted problem.
MIN_PLACES = 4


@dataclass(frozen=True)
class Params:
    places: int
    enterprises_per_place: int
    batches: int = 3
    years: int = 5
    proposals_per_place: int = 2
    first_year: int = 2019
    plant_rate: float = 0.002
    seed: int = 0


@dataclass
class Province:
    index: int
    code: str
    name: str
    zh: str
    x: float
    y: float
    specialties: list[Industry]

    @property
    def label(self) -> str:
        return f"{self.name} Province"


@dataclass
class City:
    index: int
    code: str
    name: str
    zh: str
    province: Province
    x: float
    y: float
    specialties: list[Industry]

    @property
    def slug(self) -> str:
        return f"synth-place-{self.code}"


@dataclass
class CityDesignation:
    city: City
    batch: int
    #: Per requirement, what is planted: "gap", "single", "class", "elsewhere" (its cross-check), or
    #: "keep" (an element another requirement's cross-check needs: no gap there).
    plan: dict[str, set[str]] = field(default_factory=dict)
    #: Requirements the sources simply do not evidence (natural gaps, not planted contradictions).
    natural_gaps: set[str] = field(default_factory=set)
    #: Requirements a source statement says the city lacks.
    denied: list[str] = field(default_factory=list)
    #: Per requirement, a malformed element (one of ELEMENT_FLAWS).
    element_flaws: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"city-{self.batch}-{self.city.code}"

    def has_element(self, requirement: str) -> bool:
        return "gap" not in self.plan.get(requirement, set()) and requirement not in self.natural_gaps


@dataclass
class IndustryDesignation:
    city: City
    batch: int
    industry: Industry
    flaws: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"industry-{self.batch}-{self.city.code}-{self.industry.key}"


@dataclass
class World:
    params: Params
    provinces: list[Province]
    cities: list[City]
    city_designations: dict[int, CityDesignation]
    industry_designations: list[IndustryDesignation]
    enterprise_flaws: dict[tuple[int, int], str]
    observation_flaws: dict[tuple[int, int, int], str]
    city_flaws: dict[int, set[str]]
    industry_flaws: dict[int, str]
    #: How many proposal components name each city so far (preferential attachment).
    degrees: list[int]
    #: Plants that found no place (the world was too small for them).
    unplaced: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return [self.params.first_year + i for i in range(self.params.years)]

    def industry_pilots_of(self, city: City) -> list[IndustryDesignation]:
        return [d for d in self.industry_designations if d.city.index == city.index]

    def neighbour(self, city: City) -> City:
        """The nearest other city (for contradictions that name another place)."""
        return min((c for c in self.cities if c.index != city.index),
                   key=lambda c: ((c.x - city.x) ** 2 + (c.y - city.y) ** 2, c.index))


def plan(params: Params) -> World:
    """Draw the world of ``params`` from its seed."""
    if params.places < MIN_PLACES:
        raise ValueError(f"--places must be at least {MIN_PLACES} so that every problem can be planted")
    if params.enterprises_per_place < 2 or params.years < 1 or params.batches < 1 or params.proposals_per_place < 0:
        raise ValueError("--enterprises-per-place must be at least 2, --years and --batches at least 1, "
                         "--proposals-per-place at least 0")
    if not 0 <= params.plant_rate <= 0.1:
        raise ValueError("--plant-rate must be between 0 and 0.1")
    if not 1000 <= params.first_year <= 9000:
        raise ValueError("--first-year must be a year of four digits")
    rng = random.Random(f"pilotkg-synth/{params.seed}/world")
    provinces, cities = _geography(rng, params.places)
    city_des = _city_designations(rng, params, cities)
    industry_des = _industry_designations(rng, params, cities)
    world = World(params, provinces, cities, {d.city.index: d for d in city_des}, industry_des, {}, {}, {}, {},
                  [0] * len(cities))
    _plant_designations(rng, world, city_des)
    _plant_entities(rng, world)
    return world


def _geography(rng: random.Random, count: int) -> tuple[list[Province], list[City]]:
    """Provinces of up to 30 cities with codes 9P0000 and cities 9PCC00: the prefixes 90-99 are
    no province of GB/T 2260 (whose prefixes run from 11 to 82)."""
    n_provinces = min(10, max(1, math.ceil(count / 30)))
    per_province = math.ceil(count / n_provinces)
    if per_province > 99:
        raise ValueError("at most 990 places: the synthetic codes have two digits for a city within a province")
    names = unique_names(rng, n_provinces + count, PLACE_SYLLABLES)
    provinces = []
    for i in range(n_provinces):
        name, zh = names[i]
        x, y = (i % 4) * 12.0 + rng.uniform(-2, 2), (i // 4) * 12.0 + rng.uniform(-2, 2)
        provinces.append(Province(i, f"9{i}0000", name, zh, x, y, rng.sample(list(INDUSTRIES), 5)))
    cities = []
    for k in range(count):
        province = provinces[k // per_province]
        name, zh = names[n_provinces + k]
        own = rng.sample(province.specialties, 2)
        other = rng.choice([i for i in INDUSTRIES if i not in own])
        cities.append(City(k, f"9{province.index}{k % per_province + 1:02d}00", name, zh, province,
                           province.x + rng.gauss(0, 3), province.y + rng.gauss(0, 3), [*own, other]))
    return provinces, cities


def _city_designations(rng: random.Random, params: Params, cities: list[City]) -> list[CityDesignation]:
    chosen = rng.sample(cities, max(3, round(0.4 * len(cities))))
    return [CityDesignation(city, i % params.batches + 1) for i, city in enumerate(chosen)]


def _industry_designations(rng: random.Random, params: Params, cities: list[City]) -> list[IndustryDesignation]:
    chosen = rng.sample(cities, max(3, round(0.3 * len(cities))))
    return [IndustryDesignation(city, i % params.batches + 1, rng.choice(city.specialties)) for i, city in enumerate(chosen)]


def _plant_designations(rng: random.Random, world: World, designations: list[CityDesignation]) -> None:
    """Per requirement, a gap on one pilot city, and on the next ones a second element, an element
    of the wrong class and the contradiction its cross-check finds (on one city together when
    there are fewer than five), a malformed element on a city where that requirement is untouched,
    a denial; then natural gaps, only where nothing is planted. The places follow from fixed
    offsets in a shuffled order, so that no plant can hide another (a gap where a second element
    was meant, a pillar-industry gap where the chain leader's cross-check needs the pillar)."""
    order = list(designations)
    rng.shuffle(order)
    n = len(order)
    spread = n >= 5
    offsets = {"gap": 0, "single": 1, "class": 2 if spread else 1, "elsewhere": 3 if spread else 1}
    free = 4 if spread else 2  # a city where the requirement has neither gap nor contradiction
    flawable = [r for r in REQUIREMENTS if r != "pillar-industry"]  # the chain leader's cross-check needs the pillar whole

    def put(d: CityDesignation, req: str, kind: str, name: str) -> None:
        kinds = d.plan.setdefault(req, set())
        clash = "gap" in kinds or req in d.element_flaws or (kind == "gap" and bool(kinds))
        if clash:
            world.unplaced.append(name)
        else:
            kinds.add(kind)

    for rep in range(max(1, n // 25)):
        for r, req in enumerate(REQUIREMENTS):
            base = rep * 7 + r
            for kind in ("gap", "single", "class") + (("elsewhere",) if req in CROSSCHECKS else ()):
                put(order[(base + offsets[kind]) % n], req, kind, f"{req}-{kind}")
            if req == "chain-leader-enterprise":
                order[(base + offsets["elsewhere"]) % n].plan.setdefault("pillar-industry", set()).add("keep")
        for k, flaw in enumerate(ELEMENT_FLAWS):
            req = flawable[(rep + k) % len(flawable)]
            target = order[(rep * 7 + REQUIREMENTS.index(req) + free) % n]
            if target.plan.get(req) or req in target.element_flaws:
                world.unplaced.append(flaw)
            else:
                target.element_flaws[req] = flaw
        target = order[(rep * 11) % n]
        if target.denied:
            world.unplaced.append("requirement-denied")
        else:
            target.denied.append(rng.choice(REQUIREMENTS))
    for d in designations:
        if rng.random() < 0.45:
            continue
        weights = {"chain-chief": 0.6, "innovation-platform": 0.3, "world-brand-conference": 0.3, "park": 0.15,
                   "pillar-industry": 0.1, "chain-leader-enterprise": 0.1}
        gaps = {r for r in REQUIREMENTS if rng.random() < weights[r]} or {"chain-chief"}
        d.natural_gaps = {r for r in gaps if not d.plan.get(r) and r not in d.element_flaws}


def _sample_sites(rng: random.Random, world: World, kinds: tuple[str, ...], space: int) -> dict[int, str]:
    """Distinct sites (indices below ``space``) for each kind, at the plant rate and at least one each."""
    per_kind = [max(1, round(world.params.plant_rate * space)) for _ in kinds]
    if sum(per_kind) > space:
        raise ValueError(f"the world is too small to plant {', '.join(kinds)}: raise --places, "
                         "--enterprises-per-place or --years")
    sites = rng.sample(range(space), sum(per_kind))
    found: dict[int, str] = {}
    for kind, n in zip(kinds, per_kind, strict=True):
        for _ in range(n):
            found[sites.pop()] = kind
    return found


def _plant_entities(rng: random.Random, world: World) -> None:
    n, m, y = len(world.cities), world.params.enterprises_per_place, world.params.years
    world.enterprise_flaws = {(i // m, i % m): k for i, k in _sample_sites(rng, world, ENTERPRISE_FLAWS, n * m).items()}
    world.observation_flaws = {(i // (m * y), i // y % m, i % y): k
                               for i, k in _sample_sites(rng, world, OBSERVATION_FLAWS, n * m * y).items()}
    for kind in CITY_FLAWS:
        for index in rng.sample(range(n), max(1, round(world.params.plant_rate * n))):
            world.city_flaws.setdefault(index, set()).add(kind)
    world.industry_flaws[rng.randrange(len(INDUSTRIES))] = "classification-code"
    pilots = list(world.industry_designations)
    rng.shuffle(pilots)
    for i, kind in enumerate(k for k in INDUSTRY_PILOT_FLAWS for _ in range(max(1, len(pilots) // 25))):
        pilots[i % len(pilots)].flaws.add(kind)
