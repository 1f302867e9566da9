"""A city's synthetic manufacturing bulletin (source ``synth-place-{code}``): the city and its
government, its figures over the years, its parks, institutes and platforms, its enterprises and
their revenue, conferences and chain chiefs, its pilot plan, the targets of its industry pilots,
its collaboration proposals, statements about it, and the problems planted in it."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from functools import partial

from ..iri import slug
from ..namespaces import SYNTH
from .common import (
    PILOT_END,
    REPORTER,
    Context,
    Figure,
    chain,
    designation,
    government,
    government_label,
    industry,
    money,
    official,
    pk,
    place,
    write_figure,
    year_term,
)
from .names import INDUSTRIES, company, listing, park_name
from .plan import PilotPlan, iri, mention_year
from .world import City
from .writer import LABEL, QUOTE, TYPE, SourceWriter, Term, lit, node, raw_iri, scoped

ENTERPRISE_RESULTS = {
    "label-english": ("QualifiedMinCountConstraintComponent", "rdfs:label", "the enterprise has only a Chinese label"),
    "label-one-per-language": ("UniqueLangConstraintComponent", "rdfs:label", "the enterprise has two English labels"),
    "instance-iri": ("PatternConstraintComponent", None, "the enterprise's IRI has capitals and underscores"),
}
QUOTE_FLAWS = {"quote-exact": ("exact-lang", "DatatypeConstraintComponent", ("oa:hasSelector", "oa:exact"),
                               "the quote's exact words are language-tagged, not an xsd:string"),
               "quote-position": ("start-type", "DatatypeConstraintComponent", ("oa:hasSelector", "oa:start"),
                                  "the quote's start offset is an xsd:nonNegativeInteger, not an xsd:integer"),
               "quote-speaker": ("no-speaker", "MinCountConstraintComponent", "prov:wasAttributedTo", "the quote names no speaker")}
#: Modes of cooperation: (mode, sentence with partners, theme).
MODES = (
    ("JointManufacturingHub", "{c} proposed to jointly build a {i} manufacturing hub with {p}.", "{i} manufacturing hub"),
    ("EnclavePark", "{c} suggested developing an enclave park for the {i} industry with {p}.", "enclave park for the {i} industry"),
    ("DemonstrationModel", "{c} proposed a demonstration model of the {i} industry with {p}.", "demonstration model of the {i} industry"),
    ("CollaborativeResearch", "{c} proposed collaborative research on the industry chain of {i} with {p}.",
     "collaborative research on the industry chain of {i}"),
    ("IndustrialAlliance", "{c} proposed an industrial alliance for the {i} industry with {p}.",
     "industrial alliance for the {i} industry"),
    ("TechnicalCooperation", "{c} proposed technical cooperation on common problems of the {i} industry with {p}.",
     "common problems of the {i} industry"),
)


class Bulletin:
    def __init__(self, ctx: Context, city: City) -> None:
        self.ctx, self.city, self.world = ctx, city, ctx.world
        self.rng = random.Random(f"pilotkg-synth/{self.world.params.seed}/place/{city.code}")
        self.flaws = self.world.city_flaws.get(city.index, set())
        self.title = f"SYNTHETIC TEST DATA: manufacturing bulletin of {city.name} (not a real document)"
        self.w: SourceWriter = ctx.writer(city.slug, self.title)
        self.here = place(city)
        self.parks: list[tuple[Term, str, object]] = []
        self.platforms: list[tuple[Term, str, Term, str, object]] = []
        self.enterprises: list[tuple[Term, str, object]] = []
        self.taken: dict[str, set[str]] = {"parks": set(), "enterprises": set()}

    def add(self, shape: str, focus: Term | str, component: str, **kw) -> None:
        self.ctx.manifest.add(shape, focus if isinstance(focus, str) else iri(focus), component, source=self.w.slug, **kw)

    def write(self) -> None:
        self.profile()
        self.figures()
        self.sites()
        self.firms()
        self.extras()
        des = self.world.city_designations.get(self.city.index)
        if des is not None:
            PilotPlan(self.ctx, self.w, self.city, des, parks=self.parks, platforms=self.platforms,
                      enterprises=self.enterprises, taken=self.taken).write()
        self.industry_pilots()
        self.proposals()
        self.statements()
        self.evidence_plants()
        self.ctx.finish(self.w, self.title)

    def profile(self) -> None:
        c, w = self.city, self.w
        self.profile_para = para = w.paragraph([
            f"{c.name} ({c.zh}市, code {c.code}) is a prefecture-level city of {c.province.label}.",
            f"The People's Government of {c.name} governs the city."])
        code = c.code[:-1] if "admin-code" in self.flaws else c.code
        w.entity(self.here, [(TYPE, pk("PrefectureLevelCity")), (LABEL, lit(c.name, "en")), (LABEL, lit(f"{c.zh}市", "zh")),
                             (pk("adminCode"), lit(code)), (pk("withinPlace"), place(c.province)),
                             (QUOTE, w.quote(para, 0, "profile", REPORTER))])
        if "admin-code" in self.flaws:
            self.add("admin-code", self.here, "PatternConstraintComponent", path="pk:adminCode", note="a code of five digits")
        w.entity(government(c), [(TYPE, pk("GovernmentBody")), (LABEL, lit(government_label(c), "en")),
                                 (pk("jurisdiction"), self.here), (QUOTE, w.quote(para, 1, "government", REPORTER))])

    def figures(self) -> None:
        rng, c, w = self.rng, self.city, self.w
        gdp, share = rng.uniform(60, 900), rng.uniform(0.28, 0.42)
        rows = []
        for year in self.world.years:
            rows.append((year, round(gdp, 2), round(gdp * share, 2)))
            gdp *= 1 + rng.uniform(0.04, 0.09)
        para = w.paragraph([f"In {y}, the regional GDP of {c.name} reached {money(g)} billion yuan and its value-added industrial "
                            f"output reached {money(v)} billion yuan." for y, g, v in rows])
        for i, (year, g, v) in enumerate(rows):
            quote = w.quote(para, i, f"figures-{year}", REPORTER)
            write_figure(self.ctx, w, Figure(f"{c.code}-regional-gdp-{year}", self.here, "RegionalGDP", f"{g:.2f}",
                                             f"{money(g)} billion", 9, year=year), quote)
            write_figure(self.ctx, w, Figure(f"{c.code}-value-added-industrial-output-{year}", self.here,
                                             "ValueAddedIndustrialOutput", f"{v:.2f}", f"{money(v)} billion", 9, year=year), quote)

    def sites(self) -> None:
        """Parks; research institutes and the platforms they build."""
        c, w, m = self.city, self.w, self.world.params.enterprises_per_place
        parks = []
        for k in range(1 + m // 40):
            ind = c.specialties[k % len(c.specialties)]
            parks.append((park_name(c.name, ind, self.taken["parks"]), ind))
        para = w.paragraph([f"The {name} in {c.name} carries the {ind.en} industry." for name, ind in parks])
        for i, (name, ind) in enumerate(parks):
            term = node("park", slug(name))
            w.entity(term, [(TYPE, pk("Park")), (LABEL, lit(name, "en")), (pk("locatedIn"), self.here), (pk("industry"), industry(ind)),
                            (QUOTE, w.quote(para, i, f"park-{i + 1}", REPORTER))])
            self.parks.append((term, name, ind))
        rows = []
        for k in range(1 + m // 80):
            ind = c.specialties[k % len(c.specialties)]
            rank = "" if k < len(c.specialties) else f"No {k // len(c.specialties) + 1} "
            rows.append((f"{c.name} {rank}Institute of {ind.title}", f"{c.name} {rank}{ind.title} Innovation Center", ind,
                         self.rng.choice(("provincial", "national", "municipal"))))
        para = w.paragraph([f"The {inst} is building the {plat}, a {level} innovation platform for the {ind.en} industry."
                            for inst, plat, ind, level in rows])
        for i, (inst, plat, ind, level) in enumerate(rows):
            quote = w.quote(para, i, f"platform-{i + 1}", REPORTER)
            inst_term, plat_term = node("agent", slug(inst)), node("platform", slug(plat))
            w.entity(inst_term, [(TYPE, pk("ResearchInstitute")), (LABEL, lit(inst, "en")), (pk("locatedIn"), self.here), (QUOTE, quote)])
            w.entity(plat_term, [(TYPE, pk("InnovationPlatform")), (LABEL, lit(plat, "en")), (pk("platformLevel"), lit(level, "en")),
                                 (pk("builtBy"), inst_term), (pk("industry"), industry(ind)), (QUOTE, quote)])
            self.platforms.append((plat_term, plat, inst_term, inst, ind))

    def firms(self) -> None:
        """Enterprises, each a paragraph: who it is, and its revenue year by year."""
        c, w, rng, world = self.city, self.w, self.rng, self.world
        for j in range(world.params.enterprises_per_place):
            ind = c.specialties[0] if j == 0 else (rng.choice(c.specialties) if rng.random() < 0.8 else rng.choice(INDUSTRIES))
            name, zh = company(rng, c.name, c.zh, ind, self.taken["enterprises"])
            flaw = world.enterprise_flaws.get((c.index, j))
            term = raw_iri(f"{SYNTH}agent/" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")) if flaw == "instance-iri" \
                else node("agent", slug(name))
            revenue = math.exp(rng.gauss(0.3, 0.9)) * (4 if j == 0 else 1)
            about = rng.random() < 0.15
            parts, figures = [], []
            for y, year in enumerate(world.years):
                ofl = world.observation_flaws.get((c.index, j, y))
                v = max(0.01, round(revenue, 2))
                if ofl == "observation-multiplier":
                    words, value, mult = f"{v * 1000:,.0f} million", str(round(v * 1000)), 6
                elif ofl == "observation-value":
                    words, value, mult = f"{max(1, round(v))} billion", str(max(1, round(v))), 9
                else:
                    words, value, mult = f"{'about ' if about else ''}{money(v)} billion", f"{v:.2f}", 9
                parts.append(f"{words} yuan in {year}")
                figures.append(Figure(f"{slug(name)}-revenue-{year}", term, "Revenue", value, words, mult,
                                      qualifier="About" if about else "Exactly", year=year, flaw=ofl))
                revenue *= 1 + rng.gauss(0.08, 0.08)
            para = w.paragraph([f"{name} is {ind.article} {ind.en} enterprise in {c.name}.",
                                f"{name} reported revenue of {listing(parts)}."])
            qflaw = QUOTE_FLAWS.get(flaw or "")
            profile = w.quote(para, 0, "profile", None if flaw == "quote-speaker" else REPORTER,
                              flaw=qflaw[0] if qflaw and flaw != "quote-speaker" else None)
            labels = [] if flaw == "label-english" else [(LABEL, lit(name, "en"))]
            if flaw == "label-one-per-language":
                labels.append((LABEL, lit(name.replace(f"{c.name} ", "", 1).replace(" Co., Ltd.", ""), "en")))
            w.entity(term, [(TYPE, pk("Enterprise")), *labels, (LABEL, lit(zh, "zh")), (pk("industry"), industry(ind)),
                            (pk("locatedIn"), self.here), (QUOTE, profile)])
            if flaw in ENTERPRISE_RESULTS:
                component, path, note = ENTERPRISE_RESULTS[flaw]
                self.add(flaw, term, component, path=path, value=iri(term) if flaw == "instance-iri" else None, note=note)
            elif qflaw is not None and flaw is not None:
                self.add(flaw, profile, qflaw[1], path=qflaw[2], note=qflaw[3])
            revenue_quote = w.quote(para, 1, "revenue", REPORTER)
            for fig in figures:
                write_figure(self.ctx, w, fig, revenue_quote, subject_text=name)
            self.enterprises.append((term, name, ind))

    def extras(self) -> None:
        """Conferences and chain chiefs that are no designated element, and a planted forum."""
        c, w, rng = self.city, self.w, self.rng
        des = self.world.city_designations.get(c.index)
        year = self.world.years[-1] + 1
        ind = c.specialties[rng.randrange(len(c.specialties))]
        sentences: list[str] = []
        writers: list[Callable[[Term], object]] = []
        if (des is None or not des.has_element("world-brand-conference")) and rng.random() < 0.35:
            label = f"{year} {c.name} {ind.title} Industry Fair"
            sentences.append(f"{c.name} will host the {label}.")
            writers.append(partial(self._conference, label, year, [self.here], ind))
        if des is None and rng.random() < 0.3:
            post = f"chain chief of the {ind.en} industry chain of {c.name}"
            person = f"the vice mayor of {c.name} serving as chain chief of {ind.en}"
            sentences.append(f"A vice mayor of {c.name} serves as the chain chief of the {ind.en} industry chain.")
            writers.append(partial(self._chief, post, person, ind))
        if {"conference-host", "conference-year"} & self.flaws:
            label = f"{year} {c.name} {ind.title} Forum"
            two = "conference-host" in self.flaws
            nb = self.world.neighbour(c)
            sentences.append(f"The {label} will be co-hosted by {c.name} and {nb.name}." if two else f"{c.name} will host the {label}.")
            writers.append(partial(self._forum, label, year, two, nb, ind))
        if sentences:
            para = self.w.paragraph(sentences)
            for i, write in enumerate(writers):
                write(w.quote(para, i, f"event-{i + 1}", REPORTER))

    def _conference(self, label: str, year: int, hosts: list[Term], ind, quote: Term, *, plain_year: bool = False) -> Term:
        term = node("conference", slug(label))
        self.w.entity(term, [(TYPE, pk("Conference")), (LABEL, lit(label, "en")),
                             (pk("nameYear"), lit(str(year)) if plain_year else year_term(year)),
                             *[(pk("hostPlace"), h) for h in hosts], (pk("industry"), industry(ind)), (QUOTE, quote)])
        mention_year(self.w, term, label, year, quote)
        return term

    def _forum(self, label: str, year: int, two: bool, nb: City, ind, quote: Term) -> None:
        plain = "conference-year" in self.flaws
        term = self._conference(label, year, [self.here, place(nb)] if two else [self.here], ind, quote, plain_year=plain)
        if two:
            self.add("conference-host", term, "MaxCountConstraintComponent", path="pk:hostPlace", note="two host places")
        if plain:
            self.add("conference-year", term, "DatatypeConstraintComponent", path="pk:nameYear", note="the year is a plain string")

    def _chief(self, post_label: str, person_label: str, ind, quote: Term) -> None:
        post, person = node("post", slug(post_label)), node("agent", slug(person_label))
        self.w.entity(post, [(TYPE, pk("ChainChiefPost")), (LABEL, lit(post_label, "en")), (pk("postIn"), government(self.city)),
                             (pk("chainOfPost"), chain(ind)), (QUOTE, quote)])
        self.w.entity(person, [(TYPE, pk("Person")), (LABEL, lit(person_label, "en")), (pk("holdsPost"), post), (QUOTE, quote)])

    def industry_pilots(self) -> None:
        c, w, rng = self.city, self.w, self.rng
        last = self.world.years[-1]
        for d in self.world.industry_pilots_of(c):
            i, focus = d.industry.en, designation(d.key)
            v1, v2, v3 = (round(rng.uniform(20, 300), 2) for _ in range(3))
            no_deadline = "target-deadline" in d.flaws
            lead = "In the coming years" if no_deadline else f"By {last + 2}"
            para = w.paragraph([
                f"{lead}, the {i} industry of {c.name} aims to exceed {money(v1)} billion yuan of revenue.",
                f"The output value of the {i} industry of {c.name} is expected to top {money(v2)} billion yuan by {last + 3}.",
                f"By the end of the five-year pilot, the {i} industry of {c.name} will register an annual output value of more "
                f"than {money(v3)} billion yuan."])
            key = d.key
            write_figure(self.ctx, w, Figure(f"{key}-revenue-target", focus, "Revenue", f"{v1:.2f}", f"{money(v1)} billion", 9,
                                             qualifier="Exceeded", status="Target", year=None if no_deadline else last + 2,
                                             period="in the coming years" if no_deadline else f"by {last + 2}",
                                             flaw="target-deadline" if no_deadline else None),
                         w.quote(para, 0, "target", REPORTER))
            write_figure(self.ctx, w, Figure(f"{key}-output-value-expected", focus, "OutputValue", f"{v2:.2f}", f"{money(v2)} billion",
                                             9, qualifier="Topped", status="ExpectedValue", year=last + 3, period=f"by {last + 3}"),
                         w.quote(para, 1, "expected", REPORTER))
            write_figure(self.ctx, w, Figure(f"{key}-annual-output-value-pilot-end-target", focus, "AnnualOutputValue", f"{v3:.2f}",
                                             f"more than {money(v3)} billion", 9, qualifier="MoreThan", status="Target",
                                             ref_time=PILOT_END, period="by the end of the five-year pilot"),
                         w.quote(para, 2, "pilot-end", REPORTER))

    def proposals(self) -> None:
        """Collaboration proposals: partners drawn by preferential attachment (how often a city is
        named already) weighted by nearness, so the network grows hubs and regional clusters."""
        c, w, rng, world = self.city, self.w, self.rng, self.world
        planted = {"proposal-proposer", "proposal-components", "component-mode", "component-reach"} & self.flaws
        count = world.params.proposals_per_place or (1 if planted else 0)
        if not count:
            return
        near = [math.exp(-math.hypot(o.x - c.x, o.y - c.y) / 8.0) if o.index != c.index else 0.0 for o in world.cities]
        sentences = [f"{c.name} submitted bidding materials to the synthetic pilot programme in {world.years[0]}."]
        proposals, seen = [], set()
        for p in range(count):
            ind = rng.choice(c.specialties)
            comps = []
            for k in range(rng.choice((1, 1, 2, 2, 3))):
                reachless = (p == 0 and k == 0 and "component-reach" in planted) or rng.random() < 0.01
                for _ in range(10):
                    mode, template, theme = rng.choice(MODES)
                    partners: list[City] = []
                    scope = None
                    if reachless:
                        sentence = f"{c.name} proposed to explore an industrial alliance for the {ind.en} industry."
                        mode, theme = "IndustrialAlliance", f"industrial alliance for the {ind.en} industry"
                    elif mode == "CollaborativeResearch" and rng.random() < 0.3:
                        scope = "across the province"
                        sentence = f"{c.name} proposed collaborative research on the industry chain of {ind.en} across the province."
                    else:
                        partners = self._partners(near, rng.choice((1, 1, 2, 2, 3)))
                        sentence = template.format(c=c.name, i=ind.en, p=listing([o.name for o in partners]))
                    if sentence not in seen:
                        seen.add(sentence)
                        comps.append((mode, sentence, theme.format(i=ind.en), partners, scope, reachless))
                        break
            if comps:
                proposals.append((ind, comps))
        for _ind, comps in proposals:
            sentences += [comp[1] for comp in comps]
        para = w.paragraph(sentences)
        bidding = node("document", f"bidding-materials-{c.code}")
        w.entity(bidding, [(TYPE, pk("BiddingMaterials")), (LABEL, lit(f"bidding materials of {c.name}", "en")),
                           (pk("submittedBy"), self.here), (QUOTE, w.quote(para, 0, "bidding", REPORTER))])
        at, keys = 1, set()
        for p, (ind, comps) in enumerate(proposals):
            key = f"{c.code}-{ind.key}-{slug(comps[0][0])}"
            key = key if key not in keys else f"{key}-{p + 1}"
            keys.add(key)
            proposal = scoped("proposal", w.slug, key)
            comp_terms, quotes = [], []
            for k, (mode, _sentence, theme, partners, scope, reachless) in enumerate(comps):
                quote = w.quote(para, at, f"proposal-{p + 1}-{k + 1}", REPORTER)
                at += 1
                comp = scoped("proposal", w.slug, f"{key}-{k + 1}")
                pairs: list[tuple[Term, Term]] = [(TYPE, pk("ProposalComponent")), (LABEL, lit(theme, "en"))]
                if not (p == 0 and k == 0 and "component-mode" in planted):
                    pairs.append((pk("mode"), pk(mode)))
                else:
                    self.add("component-mode", comp, "MinCountConstraintComponent", path="pk:mode", note="the component has no mode")
                pairs.append((pk("aboutIndustry"), industry(ind)))
                if mode == "CollaborativeResearch":
                    pairs.append((pk("aboutChain"), chain(ind)))
                if partners and mode in ("JointManufacturingHub", "EnclavePark"):
                    pairs.append((pk("involvesPlace"), self.here))
                pairs += [(pk("involvesPlace"), place(o)) for o in partners]
                pairs.append((pk("scope"), lit(scope, "en")) if scope else (pk("theme"), lit(theme, "en")))
                w.entity(comp, [*pairs, (QUOTE, quote)])
                if reachless:
                    natural = not (p == 0 and k == 0 and "component-reach" in planted)
                    self.add("component-reach", comp, "OrConstraintComponent", planted=not natural,
                             note=("a natural gap: " if natural else "") + "the source names neither places nor a scope")
                comp_terms.append(comp)
                quotes.append(quote)
            pairs = [(TYPE, pk("CollaborationProposal")), (LABEL, lit(f"{c.name}'s proposal: {comps[0][2]}", "en"))]
            if p == 0 and "proposal-proposer" in planted:
                self.add("proposal-proposer", proposal, "MinCountConstraintComponent", path="pk:proposer", note="no proposer")
            else:
                pairs.append((pk("proposer"), self.here))
            pairs += [(pk("sourceVerb"), lit("proposed", "en")), (pk("reportedIn"), bidding)]
            if p == 0 and "proposal-components" in planted:
                self.add("proposal-components", proposal, "MinCountConstraintComponent", path="pk:hasComponent",
                         note="the proposal lists no component")
            else:
                pairs += [(pk("hasComponent"), t) for t in comp_terms]
            w.entity(proposal, [*pairs, *[(QUOTE, q) for q in quotes]])

    def _partners(self, near: list[float], count: int) -> list[City]:
        world, rng = self.world, self.rng
        chosen: list[City] = []
        weights = [n * (d + 1) for n, d in zip(near, world.degrees, strict=True)]
        for _ in range(min(count, len(world.cities) - 1)):
            pick = rng.choices(world.cities, weights=weights)[0]
            chosen.append(pick)
            weights[pick.index] = 0.0
        for o in chosen:
            world.degrees[o.index] += 1
        world.degrees[self.city.index] += len(chosen)
        return sorted(chosen, key=lambda o: o.index)

    def statements(self) -> None:
        c, w = self.city, self.w
        ind0, ind1 = c.specialties[0], c.specialties[1]
        speaker = official(c.province)
        goal = f"{c.name} aims to build a {ind0.en} cluster with national influence by {self.world.years[-1] + 5}."
        outlook = f"The official of {c.province.label} expects {c.name} to strengthen its {ind1.en} industry."
        para = w.paragraph([goal, outlook])
        st = scoped("statement", w.slug, f"{c.code}-goal")
        pairs = [(TYPE, pk("Goal")), (pk("about"), self.here), (pk("modality"), pk("AimsTo"))]
        if "statement-speaker" in self.flaws:
            self.add("statement-speaker", st, "MinCountConstraintComponent", path="pk:speaker", note="the statement names no speaker")
        else:
            pairs.append((pk("speaker"), REPORTER))
        w.entity(st, [*pairs, (pk("gist"), lit(goal, "en")), (QUOTE, w.quote(para, 0, "goal", REPORTER))])
        st = scoped("statement", w.slug, f"{c.code}-outlook")
        pairs = [(TYPE, pk("Expectation")), (pk("about"), self.here), (pk("speaker"), speaker)]
        if "statement-modality" in self.flaws:
            self.add("statement-modality", st, "MinCountConstraintComponent", path="pk:modality", note="the statement has no modality")
        else:
            pairs.append((pk("modality"), pk("Expected")))
        w.entity(st, [*pairs, (pk("gist"), lit(outlook, "en")), (QUOTE, w.quote(para, 1, "outlook", speaker))])

    def evidence_plants(self) -> None:
        """Problems the build's evidence checks refuse in a real source, in planted.ttl."""
        c, w, para = self.city, self.w, self.profile_para
        if "fact-quoted" in self.flaws:
            name = f"{c.name} Logistics Park"
            term = node("park", slug(name))
            w.entity(term, [(TYPE, pk("Park")), (LABEL, lit(name, "en")), (pk("locatedIn"), self.here)], planted=True)
            self.add("fact-quoted", term, "MinCountConstraintComponent", path="pk:quote", note="a park with no quote")
        if "quote-source" in self.flaws:
            quote = w.quote(para, 0, "profile-unsourced", REPORTER, flaw="no-source", planted=True)
            self.add("quote-source", quote, "MinCountConstraintComponent", path="oa:hasSource", note="a quote with no source document")
        if "quote-located" in self.flaws:
            quote = w.quote(para, 1, "government-unlocated", REPORTER, flaw="no-position", planted=True)
            self.add("quote-located", quote, "OrConstraintComponent", note="a quote with no position, not marked unverified")
        if "position-order" in self.flaws:
            selector = scoped("quote", w.slug, f"p{para.number}-profile-swapped-position")
            w.quote(para, 0, "profile-swapped", REPORTER, flaw="swapped", planted=True, position_node=selector)
            self.add("position-order", selector, "LessThanConstraintComponent", path="oa:start", note="the start is after the end")
