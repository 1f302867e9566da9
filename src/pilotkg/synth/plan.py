"""A pilot city's plan in its bulletin: the designated element of each of the six requirements,
complete, missing (a gap), doubled, of the wrong class or contradicting a cross-check, as the
world's plan says; and the source statements that deny a requirement. The results validation
must give are worked out from the elements written (``Manifest.designation``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..iri import slug
from .common import REPORTER, Context, chain, designation, government, government_label, industry, official, pk, place, year_term
from .expect import ElementSpec, Thing
from .names import company, park_name
from .world import REQUIREMENTS, City, CityDesignation
from .writer import LABEL, QUOTE, TYPE, SourceWriter, Term, lit, node, scoped, vocab

DENIED = {"park": "a park for high-quality development of the manufacturing sector", "pillar-industry": "a pillar industry",
          "chain-leader-enterprise": "a leading enterprise in the industry chain",
          "chain-chief": "a municipal official as the head of the industry chain", "innovation-platform": "an innovation platform",
          "world-brand-conference": "a world brand conference"}
ELEMENT_FLAW_RESULTS = {"element-requirement": ("MinCountConstraintComponent", "pk:forRequirement", "the element names no requirement"),
                        "element-thing": ("MinCountConstraintComponent", "pk:element", "the element names no thing"),
                        "element-status": ("ClassConstraintComponent", "pk:elementStatus", "the status is a modality (pk:Asserted)")}


@dataclass
class Choice:
    """One element to write: the sentence that states it, and how to write what it names."""

    sentence: str
    role: str | None
    verb: str
    status: str
    write: Callable[[Term], tuple[Term, Thing]]


def iri(term: Term) -> str:
    return term[0][1:-1]


class PilotPlan:
    """Writes one designation's plan into a city's bulletin."""

    def __init__(self, ctx: Context, w: SourceWriter, city: City, des: CityDesignation, *, parks: list, platforms: list,
                 enterprises: list, taken: dict[str, set[str]]) -> None:
        self.ctx, self.w, self.city, self.des = ctx, w, city, des
        self.parks, self.platforms, self.enterprises, self.taken = parks, platforms, enterprises, taken
        self.neighbour = ctx.world.neighbour(city)
        self.year = ctx.world.years[-1] + 1
        self.c = city.name
        self.here = place(city)

    # -- what each element may name ----------------------------------------------------------------

    def _existing(self, term: Term, thing: Thing) -> Callable[[Term], tuple[Term, Thing]]:
        return lambda _quote: (term, thing)

    def _entity(self, term: Term, pairs: list, thing: Thing) -> Callable[[Term], tuple[Term, Thing]]:
        def write(quote: Term) -> tuple[Term, Thing]:
            self.w.entity(term, [*pairs, (QUOTE, quote)])
            return term, thing
        return write

    def _conference(self, label: str, host: City, ind) -> Callable[[Term], tuple[Term, Thing]]:
        term = node("conference", slug(label))

        def write(quote: Term) -> tuple[Term, Thing]:
            self.w.entity(term, [(TYPE, pk("Conference")), (LABEL, lit(label, "en")), (pk("nameYear"), year_term(self.year)),
                                 (pk("hostPlace"), place(host)), (pk("industry"), industry(ind)), (QUOTE, quote)])
            mention_year(self.w, term, label, self.year, quote)
            return term, Thing(iri(term), frozenset({"Conference"}), hosts=(iri(place(host)),))
        return write

    def _chief(self, post_label: str, person_label: str, body: Term, jurisdiction: Term, ind) -> Callable[[Term], tuple[Term, Thing]]:
        post, person = node("post", slug(post_label)), node("agent", slug(person_label))

        def write(quote: Term) -> tuple[Term, Thing]:
            self.w.entity(post, [(TYPE, pk("ChainChiefPost")), (LABEL, lit(post_label, "en")), (pk("postIn"), body),
                                 (pk("chainOfPost"), chain(ind)), (QUOTE, quote)])
            self.w.entity(person, [(TYPE, pk("Person")), (LABEL, lit(person_label, "en")), (pk("holdsPost"), post), (QUOTE, quote)])
            return person, Thing(iri(person), frozenset({"Person"}), chief_of=(iri(jurisdiction),))
        return write

    def choice(self, req: str, variant: str) -> Choice:
        """``variant``: normal, alternative (a second valid element), elsewhere (contradicting the
        requirement's cross-check) or class (an element of the wrong class)."""
        c, city, nb = self.c, self.city, self.neighbour
        ind0, ind1 = city.specialties[0], city.specialties[1]
        park0, ent0 = self.parks[0], self.enterprises[0]
        inst0, plat0 = self.platforms[0][2:4], self.platforms[0][:2]
        here = iri(self.here)
        ent_thing = Thing(iri(ent0[0]), frozenset({"Enterprise"}), located_in=(here,), industries=(iri(industry(ent0[2])),))
        key = (req, variant)
        if key == ("park", "normal"):
            return Choice(f"{c} relies on the {park0[1]} as its core carrier park.", "core carrier park", "relies on", "Existing",
                          self._existing(park0[0], Thing(iri(park0[0]), frozenset({"Park"}), located_in=(here,))))
        if key == ("park", "alternative"):
            if len(self.parks) > 1:
                p1 = self.parks[1]
                write = self._existing(p1[0], Thing(iri(p1[0]), frozenset({"Park"}), located_in=(here,)))
                name = p1[1]
            else:
                name = park_name(c, ind1, self.taken["parks"])
                term = node("park", slug(name))
                write = self._entity(term, [(TYPE, pk("Park")), (LABEL, lit(name, "en")), (pk("locatedIn"), self.here),
                                            (pk("industry"), industry(ind1))],
                                     Thing(iri(term), frozenset({"Park"}), located_in=(here,)))
            return Choice(f"{c} also relies on the {name} as a core carrier park.", "core carrier park", "relies on", "Existing", write)
        if key == ("park", "elsewhere"):
            name = f"{nb.name} {ind0.title} Cooperation Park"
            term = node("park", slug(name))
            return Choice(f"{c} relies on the {name}, which lies in {nb.name}, as its core carrier park.", "core carrier park",
                          "relies on", "Existing",
                          self._entity(term, [(TYPE, pk("Park")), (LABEL, lit(name, "en")), (pk("locatedIn"), place(nb))],
                                       Thing(iri(term), frozenset({"Park"}), located_in=(iri(place(nb)),))))
        if key == ("park", "class"):
            return Choice(f"{c} names {ent0[1]} as its core carrier park.", "core carrier park", "names", "Existing",
                          self._existing(ent0[0], ent_thing))
        if key == ("pillar-industry", "normal"):
            return Choice(f"{c} has selected {ind0.en} as its flagship industry.", "flagship industry", "has selected", "Existing",
                          self._existing(industry(ind0), Thing(iri(industry(ind0)), frozenset({"Industry"}))))
        if key == ("pillar-industry", "alternative"):
            return Choice(f"{c} has also selected {ind1.en} as a flagship industry.", "flagship industry", "has selected", "Existing",
                          self._existing(industry(ind1), Thing(iri(industry(ind1)), frozenset({"Industry"}))))
        if key == ("pillar-industry", "class"):
            return Choice(f"{c} names the {park0[1]} as its flagship industry.", "flagship industry", "names", "Existing",
                          self._existing(park0[0], Thing(iri(park0[0]), frozenset({"Park"}), located_in=(here,))))
        if key == ("chain-leader-enterprise", "normal"):
            return Choice(f"{c} has determined {ent0[1]} as the leading enterprise in the industry chain.",
                          "leading enterprise in the industry chain", "has determined", "Existing", self._existing(ent0[0], ent_thing))
        if key in (("chain-leader-enterprise", "alternative"), ("chain-leader-enterprise", "elsewhere")):
            same = variant == "alternative"
            other = next((e for e in self.enterprises[1:] if (e[2] == ind0) == same), None)
            if other is not None:
                term, name, ind = other
                write = self._existing(term, Thing(iri(term), frozenset({"Enterprise"}), located_in=(here,),
                                                   industries=(iri(industry(ind)),)))
            else:
                ind = ind0 if same else ind1
                name, zh = company(_rng(self.ctx, city, req + variant), c, city.zh, ind, self.taken["enterprises"])
                term = node("agent", slug(name))
                write = self._entity(term, [(TYPE, pk("Enterprise")), (LABEL, lit(name, "en")), (LABEL, lit(zh, "zh")),
                                            (pk("industry"), industry(ind)), (pk("locatedIn"), self.here)],
                                     Thing(iri(term), frozenset({"Enterprise"}), located_in=(here,), industries=(iri(industry(ind)),)))
            if same:
                return Choice(f"{c} has also determined {name} as a leading enterprise in the industry chain.",
                              "leading enterprise in the industry chain", "has determined", "Existing", write)
            return Choice(f"{c} has determined {name} as the leading enterprise in the industry chain.",
                          "leading enterprise in the industry chain", "has determined", "Existing", write)
        if key == ("chain-leader-enterprise", "class"):
            return Choice(f"{c} names the {inst0[1]} as the leading enterprise in the industry chain.",
                          "leading enterprise in the industry chain", "names", "Existing",
                          self._existing(inst0[0], Thing(iri(inst0[0]), frozenset({"ResearchInstitute"}), located_in=(here,))))
        if key == ("chain-chief", "normal"):
            return Choice(f"A vice mayor of {c} serves as the chain chief of the {ind0.en} industry chain.", "chain chief",
                          "serves as", "Existing",
                          self._chief(f"chain chief of the {ind0.en} industry chain of {c}",
                                      f"the vice mayor of {c} serving as chain chief of {ind0.en}", government(city), self.here, ind0))
        if key == ("chain-chief", "alternative"):
            return Choice(f"The executive vice mayor of {c} serves as the chain chief of the {ind1.en} industry chain.", "chain chief",
                          "serves as", "Existing",
                          self._chief(f"chain chief of the {ind1.en} industry chain of {c}",
                                      f"the executive vice mayor of {c} serving as chain chief of {ind1.en}", government(city),
                                      self.here, ind1))
        if key == ("chain-chief", "elsewhere"):
            province = city.province
            return Choice(f"A vice governor of {province.label} serves as the chain chief of the {ind0.en} industry chain of {c}.",
                          "chain chief", "serves as", "Existing",
                          self._chief(f"chain chief of the {ind0.en} industry chain of {c} in {government_label(province)}",
                                      f"a vice governor of {province.label} serving as chain chief of {ind0.en} for {c}",
                                      government(province), place(province), ind0))
        if key == ("chain-chief", "class"):
            return Choice(f"{c} names the {government_label(city)} as the head of the industry chain.", "head of the industry chain",
                          "names", "Existing",
                          self._existing(government(city), Thing(iri(government(city)), frozenset({"GovernmentBody"}))))
        if key == ("innovation-platform", "normal"):
            return Choice(f"{c} facilitates the {inst0[1]} to build the {plat0[1]}.", "innovation platform",
                          "facilitates to build", "Planned",
                          self._existing(plat0[0], Thing(iri(plat0[0]), frozenset({"InnovationPlatform"}))))
        if key == ("innovation-platform", "alternative"):
            if len(self.platforms) > 1:
                term, name = self.platforms[1][:2]
                write = self._existing(term, Thing(iri(term), frozenset({"InnovationPlatform"})))
            else:
                name = f"{c} {ind1.title} Engineering Center"
                term = node("platform", slug(name))
                write = self._entity(term, [(TYPE, pk("InnovationPlatform")), (LABEL, lit(name, "en")),
                                            (pk("platformLevel"), lit("municipal", "en")), (pk("builtBy"), inst0[0]),
                                            (pk("industry"), industry(ind1))],
                                     Thing(iri(term), frozenset({"InnovationPlatform"})))
            return Choice(f"{c} also supports the {name} as an innovation platform.", "innovation platform", "supports",
                          "Existing", write)
        if key == ("innovation-platform", "class"):
            return Choice(f"{c} names the {inst0[1]} as its innovation platform.", "innovation platform", "names", "Existing",
                          self._existing(inst0[0], Thing(iri(inst0[0]), frozenset({"ResearchInstitute"}), located_in=(here,))))
        if key == ("world-brand-conference", "normal"):
            label = f"{self.year} {c} World {ind0.title} Conference"
            return Choice(f"{c} will host the {label}.", None, "will host", "Committed", self._conference(label, city, ind0))
        if key == ("world-brand-conference", "alternative"):
            label = f"{self.year} {c} World {ind1.title} Expo"
            return Choice(f"{c} will also host the {label}.", None, "will host", "Committed", self._conference(label, city, ind1))
        if key == ("world-brand-conference", "elsewhere"):
            label = f"{self.year} {nb.name} World {ind0.title} Cooperation Conference"
            return Choice(f"{c} names the {label}, which {nb.name} will host, as its world brand conference.",
                          "world brand conference", "names", "Committed", self._conference(label, nb, ind0))
        if key == ("world-brand-conference", "class"):
            label = f"{self.year} {c} Investment Promotion Meeting"
            term = node("event", slug(label))
            return Choice(f"{c} names the {label} as its world brand conference.", "world brand conference", "names", "Committed",
                          self._entity(term, [(TYPE, pk("Meeting")), (LABEL, lit(label, "en")),
                                              (pk("conveningBody"), government(city)), (pk("year"), year_term(self.year))],
                                       Thing(iri(term), frozenset({"Meeting"}))))
        raise ValueError(f"no element for {key}")  # pragma: no cover

    # -- writing ---------------------------------------------------------------------------------------

    def write(self) -> None:
        des, w, c = self.des, self.w, self.c
        planned: list[tuple[str, int, Choice]] = []
        for req in REQUIREMENTS:
            if not des.has_element(req):
                continue
            kinds = des.plan.get(req, set())
            two = "single" in kinds or ("class" in kinds and "elsewhere" in kinds)
            first = "elsewhere" if "elsewhere" in kinds else ("class" if "class" in kinds and not two else "normal")
            variants = [first] + (["class" if "class" in kinds else "alternative"] if two else [])
            planned += [(req, n, self.choice(req, v)) for n, v in enumerate(variants)]
        intro = f"Under its plan as a pilot competitive manufacturing city, {c} names the elements of the six requirements."
        sentences = [intro] + [p[2].sentence for p in planned]
        sentences += [f"A provincial inspection found that {c} has not yet named {DENIED[r]}." for r in des.denied]
        para = w.paragraph(sentences)
        focus = designation(des.key)
        elements: list[ElementSpec] = []
        terms: list[Term] = []
        for i, (req, n, choice) in enumerate(planned, 1):
            quote = w.quote(para, i, f"{req}-{n + 1}", REPORTER)
            thing_term, thing = choice.write(quote)
            element = node("element", f"{des.key}-{req}" + ("-2" if n else ""))
            flaw = des.element_flaws.get(req) if n == 0 else None
            pairs: list[tuple[Term, Term]] = [(TYPE, pk("DesignatedElement"))]
            if flaw != "element-requirement":
                pairs.append((pk("forRequirement"), vocab("req", req)))
            if flaw != "element-thing":
                pairs.append((pk("element"), thing_term))
            if choice.role:
                pairs.append((pk("sourceRole"), lit(choice.role, "en")))
            pairs += [(pk("sourceVerb"), lit(choice.verb, "en")),
                      (pk("elementStatus"), pk("Asserted") if flaw == "element-status" else pk(choice.status)), (QUOTE, quote)]
            w.entity(element, pairs)
            if flaw is not None:
                component, path, note = ELEMENT_FLAW_RESULTS[flaw]
                self.ctx.manifest.add(flaw, iri(element), component, path=path, source=w.slug, note=note)
            elements.append(ElementSpec(iri(element), None if flaw == "element-requirement" else req,
                                        None if flaw == "element-thing" else thing))
            terms.append(element)
        w.entity(focus, [*[(pk("hasElement"), t) for t in terms], (QUOTE, w.quote(para, 0, "plan", REPORTER))])
        speaker = official(self.city.province)
        for j, req in enumerate(des.denied):
            quote = w.quote(para, len(planned) + 1 + j, f"denies-{req}", speaker)
            w.entity(scoped("statement", w.slug, f"{des.key}-lacks-{req}"), [
                (TYPE, pk("Statement")), (pk("about"), focus), (pk("deniesRequirement"), vocab("req", req)),
                (pk("modality"), pk("Asserted")), (pk("speaker"), speaker),
                (pk("gist"), lit(f"A provincial inspection found that {c} has not yet named {DENIED[req]}.", "en")), (QUOTE, quote)])
        within = {iri(place(x)): iri(place(x.province)) for x in self.ctx.world.cities}
        self.ctx.manifest.designation(iri(focus), iri(self.here), within, elements, des.denied, source=w.slug,
                                      natural_gaps=des.natural_gaps)


def mention_year(w: SourceWriter, conference: Term, label: str, year: int, quote: Term) -> None:
    """The year in a conference's name is no figure: a pk:NumberMention that its pk:nameYear represents."""
    w.entity(scoped("mention", w.slug, f"{slug(label)}-year"), [
        (TYPE, pk("NumberMention")), (pk("mentionText"), lit(str(year))),
        (pk("exclusionReason"), lit("The year in the conference's name, kept as its pk:nameYear.", "en")),
        (pk("representedBy"), conference), (QUOTE, quote)])


def _rng(ctx: Context, city: City, purpose: str):
    import random

    return random.Random(f"pilotkg-synth/{ctx.world.params.seed}/place/{city.code}/{purpose}")
