"""Coverage: every number, percentage and ordinal in the article's body maps to an observation,
or to a listed exclusion (pk:NumberMention) that says why it is not one."""

from __future__ import annotations

import re

from rdflib.namespace import RDF

from pilotkg.namespaces import OA, PK

#: Digits (with separators, a percent sign or an ordinal suffix) and number words. Multiplier
#: words (billion, trillion) belong to the number before them and are not mentions of their own.
NUMBER = re.compile(
    r"\d[\d,.]*\d%?(?:st|nd|rd|th)?|\d%?(?:st|nd|rd|th)?|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|sixteen|twenty|thirty|"
    r"hundred|thousand|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"half|double|twice|dozen)\b",
    re.IGNORECASE,
)


def body_mentions(source) -> list[tuple[int, str]]:
    g, text = source.facts, source.text
    mentions = []
    for paragraph in g.subjects(PK.paragraphRole, PK.BodyParagraph):
        start, end = int(g.value(paragraph, PK.startOffset)), int(g.value(paragraph, PK.endOffset))
        for match in NUMBER.finditer(text, start, end):
            mentions.append((match.start(), match.group().rstrip(".,")))
    return sorted(mentions)


def spans(g, node) -> list[tuple[int, int]]:
    found = []
    for quote in g.objects(node, PK.quote):
        for selector in g.objects(quote, OA.hasSelector):
            if g.value(selector, OA.start) is not None:
                found.append((int(g.value(selector, OA.start)), int(g.value(selector, OA.end))))
    return found


def covering_observation(g, position: int, mention: str):
    for obs in g.subjects(RDF.type, PK.Observation):
        if not any(a <= position < b for a, b in spans(g, obs)):
            continue
        lexical = str(g.value(obs, PK.lexicalForm)).lower()
        year = g.value(obs, PK.refYear)
        period = str(g.value(obs, PK.periodDescription) or "").lower()
        if mention.lower() in lexical or (year is not None and mention == str(year)) or mention.lower() in period:
            return obs
    return None


def covering_exclusion(g, position: int, mention: str):
    for nm in g.subjects(RDF.type, PK.NumberMention):
        if str(g.value(nm, PK.mentionText)).lower() == mention.lower() and any(a <= position < b for a, b in spans(g, nm)):
            return nm
    return None


def test_every_number_in_the_body_is_an_observation_or_a_listed_exclusion(source) -> None:
    g = source.facts
    mentions = body_mentions(source)
    assert len(mentions) >= 50, "the scanner collected too few numbers"
    uncovered = [(p, m, source.text[max(0, p - 30):p + 30]) for p, m in mentions
                 if covering_observation(g, p, m) is None and covering_exclusion(g, p, m) is None]
    assert uncovered == []


def test_every_exclusion_gives_a_reason_and_what_represents_it(source) -> None:
    g = source.facts
    exclusions = list(g.subjects(RDF.type, PK.NumberMention))
    assert len(exclusions) >= 25
    for nm in exclusions:
        assert g.value(nm, PK.exclusionReason) is not None, nm
        represented = g.value(nm, PK.representedBy)
        assert represented is not None and (represented, None, None) in g, nm


def test_chrome_numbers_are_not_facts(source) -> None:
    # the ICP and record numbers are in the page chrome, which no quote may come from
    text = source.text
    position = text.index("13001288")
    g = source.facts
    assert all(not any(a <= position < b for a, b in spans(g, n)) for n in g.subjects(PK.quote, None))
