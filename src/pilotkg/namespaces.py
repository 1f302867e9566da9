"""The vocabulary: pilotkg's own namespace as a closed rdflib ``DefinedNamespace`` (a typo raises
at once), the instance namespace, the standard vocabularies pilotkg aligns with, and one helper
that binds every prefix.

The term list of :class:`PK` is checked against the ontology by ``tests/test_ontology.py``.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
    DefinedNamespace,
)

ONTOLOGY_IRI = URIRef("https://w3id.org/pilotkg/ontology")
ID = Namespace("https://w3id.org/pilotkg/id/")
GRAPH = Namespace("https://w3id.org/pilotkg/id/graph/")
#: Synthetic instances (``pilotkg synth``): test data under its own base, which the IRI policy
#: reserves and no real source may use (``pilotkg.iri.mint_synthetic``).
SYNTH = Namespace("https://w3id.org/pilotkg/id/synth/")

OA = Namespace("http://www.w3.org/ns/oa#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
WD = Namespace("http://www.wikidata.org/entity/")


class PK(DefinedNamespace):
    """pilotkg ontology terms (generated from ``ontology/*.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/pilotkg/ontology#")

    About: URIRef
    Actual: URIRef
    AdministrativeDivision: URIRef
    Advocated: URIRef
    AgentGroup: URIRef
    AimsTo: URIRef
    AnalyticsRun: URIRef
    AnnualOutputValue: URIRef
    Asserted: URIRef
    AtLeast: URIRef
    AutonomousPrefecture: URIRef
    Batch: URIRef
    BiddingMaterials: URIRef
    BodyParagraph: URIRef
    BuildActivity: URIRef
    ChainChiefPost: URIRef
    ChromeParagraph: URIRef
    ClusterSet: URIRef
    CollaborationProposal: URIRef
    CollaborativeResearch: URIRef
    Committed: URIRef
    Conference: URIRef
    ConsecutiveYearsAtFirstRank: URIRef
    CooperationMode: URIRef
    CooperationModeScheme: URIRef
    Country: URIRef
    Criterion: URIRef
    DecisionBasis: URIRef
    DemonstrationModel: URIRef
    DesignatedElement: URIRef
    Designation: URIRef
    ElementStatus: URIRef
    ElementStatusScheme: URIRef
    EnclavePark: URIRef
    Encouraged: URIRef
    Enterprise: URIRef
    Exactly: URIRef
    Exceeded: URIRef
    Existing: URIRef
    Expectation: URIRef
    Expected: URIRef
    ExpectedValue: URIRef
    Goal: URIRef
    GovernmentBody: URIRef
    HeadingParagraph: URIRef
    IndustrialAlliance: URIRef
    IndustrialSectorGDP: URIRef
    Industry: URIRef
    IndustryChain: URIRef
    IndustryClassification: URIRef
    Inference: URIRef
    InnovationPlatform: URIRef
    Intended: URIRef
    Intention: URIRef
    JointManufacturingHub: URIRef
    Measure: URIRef
    MeasureScheme: URIRef
    Meeting: URIRef
    Modality: URIRef
    ModalityScheme: URIRef
    MoreThan: URIRef
    Municipality: URIRef
    NationalRank: URIRef
    Nearly: URIRef
    Needed: URIRef
    Norm: URIRef
    NumberMention: URIRef
    NumberOfClusters: URIRef
    Observation: URIRef
    ObservationStatus: URIRef
    ObservationStatusScheme: URIRef
    Organization: URIRef
    OrganizationalUnit: URIRef
    OutputValue: URIRef
    Paragraph: URIRef
    ParagraphRole: URIRef
    ParagraphRoleScheme: URIRef
    Park: URIRef
    Person: URIRef
    PilotCityDesignation: URIRef
    PilotIndustryDesignation: URIRef
    PilotList: URIRef
    PilotProgramme: URIRef
    Place: URIRef
    Planned: URIRef
    PlannedInvestment: URIRef
    PolicyDocument: URIRef
    Post: URIRef
    PrefectureLevelCity: URIRef
    PrefectureLevelDivision: URIRef
    ProposalComponent: URIRef
    Province: URIRef
    Qualifier: URIRef
    QualifierScheme: URIRef
    Quote: URIRef
    Region: URIRef
    RegionalGDP: URIRef
    Requirement: URIRef
    ResearchInstitute: URIRef
    Revenue: URIRef
    RevenueGrowth: URIRef
    Score: URIRef
    SecondarySectorAddedValue: URIRef
    Sector: URIRef
    ShareOfNationalTotal: URIRef
    ShareOfRegionalGDP: URIRef
    Should: URIRef
    SourceDocument: URIRef
    Statement: URIRef
    Suggestion: URIRef
    Target: URIRef
    TechnicalCooperation: URIRef
    TitleParagraph: URIRef
    Topped: URIRef
    ValueAddedIndustrialOutput: URIRef
    about: URIRef
    aboutChain: URIRef
    aboutIndustry: URIRef
    adminCode: URIRef
    appliesTo: URIRef
    batchNumber: URIRef
    builtBy: URIRef
    chainOf: URIRef
    chainOfPost: URIRef
    checkedByShape: URIRef
    clusterKind: URIRef
    clustersOf: URIRef
    contraryEvidence: URIRef
    conveningBody: URIRef
    deniesRequirement: URIRef
    designatedIndustry: URIRef
    designatedPlace: URIRef
    element: URIRef
    elementStatus: URIRef
    endOffset: URIRef
    evidence: URIRef
    exclusionReason: URIRef
    forRequirement: URIRef
    gist: URIRef
    hasBatch: URIRef
    hasComponent: URIRef
    hasElement: URIRef
    hasList: URIRef
    holdsPost: URIRef
    hostPlace: URIRef
    inBatch: URIRef
    inParagraph: URIRef
    industry: URIRef
    involvesPlace: URIRef
    isSynthetic: URIRef
    issuedBy: URIRef
    jurisdiction: URIRef
    keyword: URIRef
    lexicalForm: URIRef
    locatedIn: URIRef
    measure: URIRef
    memberOf: URIRef
    mentionText: URIRef
    method: URIRef
    metric: URIRef
    modality: URIRef
    mode: URIRef
    nameYear: URIRef
    networkView: URIRef
    observationStatus: URIRef
    ofMeasure: URIRef
    onList: URIRef
    paragraphNumber: URIRef
    paragraphRole: URIRef
    parameters: URIRef
    periodDescription: URIRef
    pilotPeriod: URIRef
    platformLevel: URIRef
    postIn: URIRef
    premise: URIRef
    programme: URIRef
    proposer: URIRef
    qualifier: URIRef
    quote: URIRef
    reason: URIRef
    reasonText: URIRef
    refTime: URIRef
    refYear: URIRef
    relativeTo: URIRef
    reportedIn: URIRef
    representedBy: URIRef
    requiredClass: URIRef
    requiredCount: URIRef
    requirement: URIRef
    requirementOrder: URIRef
    rowNumber: URIRef
    rule: URIRef
    scope: URIRef
    scoreOf: URIRef
    scoreValue: URIRef
    sectorOf: URIRef
    sha256: URIRef
    sheetName: URIRef
    sourceGraph: URIRef
    sourceRole: URIRef
    sourceVerb: URIRef
    speaker: URIRef
    startOffset: URIRef
    statedIn: URIRef
    subject: URIRef
    submittedBy: URIRef
    suggestedPlace: URIRef
    textFile: URIRef
    textForm: URIRef
    theme: URIRef
    timeDescription: URIRef
    unit: URIRef
    unitMultiplier: URIRef
    unitOf: URIRef
    value: URIRef
    verified: URIRef
    websiteOperator: URIRef
    websiteRegistration: URIRef
    websiteSection: URIRef
    withinPlace: URIRef
    year: URIRef


PREFIXES: dict[str, Namespace | str] = {
    "pk": PK._NS,
    "id": ID,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "owl": OWL._NS,
    "xsd": XSD._NS,
    "skos": SKOS._NS,
    "dcterms": DCTERMS._NS,
    "dcat": DCAT._NS,
    "void": VOID._NS,
    "prov": PROV._NS,
    "org": ORG._NS,
    "schema": SDO._NS,
    "foaf": FOAF._NS,
    "time": TIME._NS,
    "qb": QB._NS,
    "sh": SH._NS,
    "oa": OA,
    "unit": UNIT,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "sdmx-dimension": SDMX_DIMENSION,
    "sdmx-measure": SDMX_MEASURE,
    "wd": WD,
    "place": ID["place/"],
    "industry": ID["industry/"],
    "agent": ID["agent/"],
    "designation": ID["designation/"],
    "element": ID["element/"],
    "park": ID["park/"],
    "platform": ID["platform/"],
    "conference": ID["conference/"],
    "document": ID["document/"],
    "post": ID["post/"],
    "programme": ID["programme/"],
    "batch": ID["batch/"],
    "requirement": ID["requirement/"],
    "graph": GRAPH,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every pilotkg prefix on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, URIRef(str(ns)), override=True, replace=True)
    return graph
