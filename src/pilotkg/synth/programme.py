"""The synthetic programme notice (source ``synth-programme``): the programme, its pilot period,
the six requirements restated, the industry catalogue, the provinces, the batches and every
designation of every batch."""

from __future__ import annotations

import random

from ..iri import slug
from .common import (
    PILOT_END,
    PROGRAMME,
    PROGRAMME_SLUG,
    REPORTER,
    Context,
    Figure,
    batch,
    chain,
    designation,
    government,
    government_label,
    industry,
    official,
    pilot_list,
    pk,
    place,
    write_figure,
    year_term,
)
from .names import INDUSTRIES, ordinal
from .world import REQUIREMENTS
from .writer import LABEL, QUOTE, TYPE, Term, decimal, lit, node, scoped, typed, vocab

TITLE = "SYNTHETIC TEST DATA: the pilot programme to build provinces strong in manufacturing (not a real document)"
#: The six requirements with the labels, counts and classes of the real graph: the shapes name these nodes.
REQUIREMENT_FACTS = {
    "park": ("one park for high-quality development of the manufacturing sector", "Park"),
    "pillar-industry": ("one pillar industry", "Industry"),
    "chain-leader-enterprise": ("one leading enterprise in the industry chain", "Enterprise"),
    "chain-chief": ("one leading municipal official serving as the head of the industry chain", "Person"),
    "innovation-platform": ("one innovation platform", "InnovationPlatform"),
    "world-brand-conference": ("hosting one world brand conference", "Conference"),
}
SKOS = "skos"


def requirement(key: str) -> Term:
    return vocab("req", key)


def write_programme(ctx: Context) -> None:
    world, params = ctx.world, ctx.world.params
    rng = random.Random(f"pilotkg-synth/{params.seed}/programme")
    w = ctx.writer(PROGRAMME_SLUG, TITLE)
    q = lambda para, i, tag: w.quote(para, i, tag, REPORTER)  # noqa: E731

    para = w.paragraph([
        f"The synthetic pilot programme to build provinces strong in manufacturing has {params.batches} "
        f"batch{'es' if params.batches > 1 else ''} of pilots.",
        "This synthetic notice is written by an invented reporter.",
        "Each pilot lasts five years, and the notice gives neither the start nor the end date of the pilot period."])
    q_programme, q_reporter, q_period = q(para, 0, "programme"), q(para, 1, "reporter"), q(para, 2, "period")
    label = "synthetic pilot work to build provinces strong in manufacturing"
    w.entity(PROGRAMME, [(TYPE, pk("PilotProgramme")), (LABEL, lit(label, "en")),
                         *[(pk("hasBatch"), batch(b)) for b in range(1, params.batches + 1)],
                         (pk("pilotPeriod"), node("time", "manufacturing-pilot-period")), (QUOTE, q_programme)])
    w.entity(REPORTER, [(TYPE, pk("Person")), (LABEL, lit("the synthetic reporter", "en")), (QUOTE, q_reporter)])
    w.entity(node("time", "manufacturing-pilot-period"), [
        (TYPE, vocab("time", "ProperInterval")), (LABEL, lit("five-year pilot", "en")),
        (vocab("time", "hasDurationDescription"), node("time", "five-years")), (vocab("time", "hasEnd"), PILOT_END),
        (QUOTE, q_period)])
    w.entity(node("time", "five-years"), [(TYPE, vocab("time", "DurationDescription")), (LABEL, lit("five years", "en")),
                                          (vocab("time", "years"), decimal("5")), (QUOTE, q_period)])
    w.entity(PILOT_END, [(TYPE, vocab("time", "Instant")), (LABEL, lit("end of the five-year pilot", "en")), (QUOTE, q_period)])

    labels = [REQUIREMENT_FACTS[r][0] for r in REQUIREMENTS]
    para = w.paragraph([f"Each pilot competitive manufacturing city should satisfy six requirements: {', '.join(labels[:-1])}, "
                        f"and {labels[-1]}."])
    q_rule = q(para, 0, "requirements")
    scheme = requirement("six-requirements")
    w.entity(scheme, [(TYPE, vocab(SKOS, "ConceptScheme")), (LABEL, lit("six requirements", "en")), (QUOTE, q_rule)])
    for order, req in enumerate(REQUIREMENTS, 1):
        label, cls = REQUIREMENT_FACTS[req]
        w.entity(requirement(req), [(TYPE, pk("Requirement")), (vocab(SKOS, "inScheme"), scheme), (LABEL, lit(label, "en")),
                                    (pk("requirementOrder"), typed(str(order), "positiveInteger")),
                                    (pk("requiredCount"), typed("1", "nonNegativeInteger")), (pk("requiredClass"), pk(cls)),
                                    (QUOTE, q_rule)])
    w.entity(scoped("statement", w.slug, "six-requirements-norm"), [
        (TYPE, pk("Norm")), (pk("about"), scheme),
        *[(pk("appliesTo"), pilot_list(b, "cities")) for b in range(1, params.batches + 1)],
        (pk("modality"), pk("Should")), (pk("speaker"), REPORTER),
        (pk("gist"), lit("Every pilot city should satisfy the six requirements. A norm: not evidence that any city does.", "en")),
        (QUOTE, q_rule)])

    _catalogue(ctx, w)
    for province in world.provinces:
        _province(ctx, w, rng, province)
    _batches(ctx, w)
    ctx.finish(w, TITLE)


def _catalogue(ctx: Context, w) -> None:
    sentences = [f"The synthetic industry catalogue of the programme lists {len(INDUSTRIES)} industries, each with a class "
                 "of a synthetic industry classification."]
    sentences += [f"{ind.title} ({ind.zh}) is class {ind.code} of the synthetic industry classification, and the programme "
                  f"follows its industry chain." for ind in INDUSTRIES]
    para = w.paragraph(sentences)
    q_scheme = w.quote(para, 0, "catalogue", REPORTER)
    ind_scheme, cls_scheme = node("industry", "scheme"), node("classification", "scheme")
    w.entity(ind_scheme, [(TYPE, vocab(SKOS, "ConceptScheme")), (LABEL, lit("synthetic industry catalogue", "en")), (QUOTE, q_scheme)])
    w.entity(cls_scheme, [(TYPE, vocab(SKOS, "ConceptScheme")), (LABEL, lit("synthetic industry classification", "en")),
                          (vocab(SKOS, "notation"), lit("SYNTH")), (QUOTE, q_scheme)])
    for i, ind in enumerate(INDUSTRIES, 1):
        quote = w.quote(para, i, ind.key, REPORTER)
        cls = node("classification", ind.code)
        w.entity(industry(ind), [(TYPE, pk("Industry")), (vocab(SKOS, "inScheme"), ind_scheme), (LABEL, lit(ind.en, "en")),
                                 (LABEL, lit(ind.zh, "zh")), (vocab(SKOS, "closeMatch"), cls), (QUOTE, quote)])
        planted = ctx.world.industry_flaws.get(ind.index) == "classification-code"
        w.entity(cls, [(TYPE, pk("IndustryClassification")), (vocab(SKOS, "inScheme"), cls_scheme),
                       (vocab(SKOS, "notation"), lit(ind.code[2:] + "A" if planted else ind.code)), (QUOTE, quote)])
        if planted:
            ctx.manifest.add("classification-code", cls[0][1:-1], "PatternConstraintComponent", path="skos:notation",
                             source=w.slug, note="the class's code has a letter in it")
        w.entity(chain(ind), [(TYPE, pk("IndustryChain")), (LABEL, lit(f"industry chain of {ind.en}", "en")),
                              (pk("chainOf"), industry(ind)), (QUOTE, quote)])


def _province(ctx: Context, w, rng: random.Random, province) -> None:
    world = ctx.world
    name = province.label
    department = node("agent", slug(f"{province.name}-economic-and-information-department"))
    dept_label = f"{province.name} Economic and Information Department"
    years = world.years
    gdp = rng.uniform(1.0, 6.0)
    clusters = rng.randint(8, 24)
    share = rng.randint(25, 45)
    sentences = [f"{name} ({province.zh}省, code {province.code}) is a synthetic province of the programme.",
                 f"The People's Government of {name} governs the province, and its {dept_label} runs the programme there.",
                 f"An official of the {dept_label} speaks for the programme in {name}."]
    gdps = []
    for year in years:
        gdps.append(round(gdp, 1))
        sentences.append(f"In {year}, the regional GDP of {name} topped {gdps[-1]:.1f} trillion yuan.")
        gdp *= 1 + rng.uniform(0.03, 0.08)
    last = years[-1]
    sentences += [f"In {last}, {name} counted {clusters} advanced manufacturing clusters, which produced nearly {share}% of "
                  f"its regional GDP.",
                  f"The {name} Plan for High-quality Development of Manufacturing was issued in {years[0]}.",
                  f"The Economic Work Conference of {name} in {years[0]} decided that the province takes part in the programme."]
    para = w.paragraph(sentences)
    q = lambda i, tag: w.quote(para, i, tag, REPORTER)  # noqa: E731
    key = province.code
    q_profile, q_gov, q_official = q(0, f"{key}-profile"), q(1, f"{key}-government"), q(2, f"{key}-official")
    w.entity(place(province), [(TYPE, pk("Province")), (LABEL, lit(name, "en")), (LABEL, lit(f"{province.zh}省", "zh")),
                               (pk("adminCode"), lit(province.code)), (QUOTE, q_profile)])
    w.entity(government(province), [(TYPE, pk("GovernmentBody")), (LABEL, lit(government_label(province), "en")),
                                    (pk("jurisdiction"), place(province)), (QUOTE, q_gov)])
    w.entity(department, [(TYPE, pk("GovernmentBody")), (LABEL, lit(dept_label, "en")), (QUOTE, q_gov)])
    w.entity(official(province), [(TYPE, pk("Person")), (LABEL, lit(f"an official of the {dept_label}", "en")),
                                  (pk("memberOf"), department), (QUOTE, q_official)])
    for i, year in enumerate(years):
        write_figure(ctx, w, Figure(f"{key}-regional-gdp-{year}", place(province), "RegionalGDP", f"{gdps[i]:.1f}",
                                    f"{gdps[i]:.1f} trillion", 12, qualifier="Topped", year=year), q(3 + i, f"{key}-gdp-{year}"))
    at = 3 + len(years)
    q_clusters = q(at, f"{key}-clusters")
    cluster_set = node("clusters", slug(f"{province.name}-advanced-manufacturing-clusters"))
    w.entity(cluster_set, [(TYPE, pk("ClusterSet")), (LABEL, lit(f"{clusters} advanced manufacturing clusters of {name}", "en")),
                           (pk("clustersOf"), place(province)), (pk("clusterKind"), lit("advanced manufacturing clusters", "en")),
                           (QUOTE, q_clusters)])
    write_figure(ctx, w, Figure(f"{key}-clusters-number-{last}", cluster_set, "NumberOfClusters", str(clusters), str(clusters), 0,
                                unit=vocab("unit", "NUM"), year=last), q_clusters)
    write_figure(ctx, w, Figure(f"{key}-clusters-share-{last}", cluster_set, "ShareOfRegionalGDP", str(share), f"nearly {share}%", 0,
                                qualifier="Nearly", unit=vocab("unit", "PERCENT"), year=last, of_measure="RegionalGDP",
                                relative_to=place(province)), q_clusters)
    q_plan, q_meeting = q(at + 1, f"{key}-plan"), q(at + 2, f"{key}-meeting")
    w.entity(node("document", slug(f"{name}-plan-for-high-quality-development-of-manufacturing")), [
        (TYPE, pk("PolicyDocument")), (LABEL, lit(f"{name} Plan for High-quality Development of Manufacturing", "en")),
        (pk("issuedBy"), place(province)), (pk("year"), year_term(years[0])), (QUOTE, q_plan)])
    meeting = node("event", slug(f"economic-work-conference-of-{name}-{years[0]}"))
    w.entity(meeting, [(TYPE, pk("Meeting")), (LABEL, lit(f"Economic Work Conference of {name} ({years[0]})", "en")),
                       (pk("conveningBody"), government(province)), (pk("year"), year_term(years[0])), (QUOTE, q_meeting)])
    w.entity(scoped("statement", w.slug, f"{key}-takes-part"), [
        (TYPE, pk("Intention")), (pk("about"), PROGRAMME), (pk("about"), place(province)), (pk("statedIn"), meeting),
        (pk("modality"), pk("Intended")), (pk("speaker"), REPORTER),
        (pk("gist"), lit(f"{name} decided to take part in the programme.", "en")), (QUOTE, q_meeting)])


def _batches(ctx: Context, w) -> None:
    world = ctx.world
    for number in range(1, world.params.batches + 1):
        nth = ordinal(number)
        cities = sorted((d for d in world.city_designations.values() if d.batch == number), key=lambda d: d.city.index)
        pilots = sorted((d for d in world.industry_designations if d.batch == number), key=lambda d: d.city.index)
        year = world.params.first_year + number - 1
        sentences = [f"The {nth} batch of the programme was announced in {year}, with a list of pilot competitive "
                     "manufacturing cities and a list of pilot special advantageous industries."]
        sentences += [f"{d.city.name} was listed as a pilot competitive manufacturing city in the {nth} batch." for d in cities]
        sentences += [f"The {d.industry.en} industry of {d.city.name} was listed as a pilot special advantageous industry in "
                      f"the {nth} batch." for d in pilots]
        para = w.paragraph(sentences)
        q_batch = w.quote(para, 0, f"batch-{number}", REPORTER)
        cities_list, industries_list = pilot_list(number, "cities"), pilot_list(number, "industries")
        w.entity(batch(number), [(TYPE, pk("Batch")), (LABEL, lit(f"{nth} batch", "en")),
                                 (pk("batchNumber"), typed(str(number), "positiveInteger")), (pk("programme"), PROGRAMME),
                                 (pk("hasList"), cities_list), (pk("hasList"), industries_list), (pk("year"), year_term(year)),
                                 (QUOTE, q_batch)])
        w.entity(cities_list, [(TYPE, pk("PilotList")), (LABEL, lit(f"pilot competitive manufacturing cities of the {nth} batch", "en")),
                               (pk("programme"), PROGRAMME), (QUOTE, q_batch)])
        w.entity(industries_list, [(TYPE, pk("PilotList")),
                                   (LABEL, lit(f"pilot special advantageous industries of the {nth} batch", "en")),
                                   (pk("programme"), PROGRAMME), (QUOTE, q_batch)])
        for i, d in enumerate(cities, 1):
            quote = w.quote(para, i, f"{d.key}", REPORTER)
            w.entity(designation(d.key), [
                (TYPE, pk("PilotCityDesignation")),
                (LABEL, lit(f"{d.city.name}, pilot competitive manufacturing city ({nth} batch)", "en")),
                (pk("designatedPlace"), place(d.city)), (pk("inBatch"), batch(number)), (pk("onList"), cities_list),
                (pk("programme"), PROGRAMME), (QUOTE, quote)])
        for i, pilot in enumerate(pilots, len(cities) + 1):
            quote = w.quote(para, i, f"{pilot.key}", REPORTER)
            focus = designation(pilot.key)
            label = f"{pilot.industry.en} industry of {pilot.city.name}, pilot special advantageous industry ({nth} batch)"
            pairs = [(TYPE, pk("PilotIndustryDesignation")), (LABEL, lit(label, "en"))]
            if "designation-place" not in pilot.flaws:
                pairs.append((pk("designatedPlace"), place(pilot.city)))
            if "designation-industry" not in pilot.flaws:
                pairs.append((pk("designatedIndustry"), industry(pilot.industry)))
            if "designation-batch" not in pilot.flaws:
                pairs.append((pk("inBatch"), batch(number)))
            pairs += [(pk("onList"), industries_list), (pk("programme"), PROGRAMME), (QUOTE, quote)]
            w.entity(focus, pairs)
            for flaw, path, note in (("designation-place", "pk:designatedPlace", "the industry pilot names no place"),
                                     ("designation-industry", "pk:designatedIndustry", "the industry pilot names no industry"),
                                     ("designation-batch", "pk:inBatch", "the industry pilot names no batch")):
                if flaw in pilot.flaws:
                    ctx.manifest.add(flaw, focus[0][1:-1], "MinCountConstraintComponent", path=path, source=w.slug, note=note)
