"""The validation report a person reads: plain text, Markdown, one standalone HTML page (no
external assets, prints cleanly), JSON, and the gap worksheet (CSV) for the next round of data
collection. Every string that comes from data is escaped for the format it lands in.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict

from . import __version__
from .build import stamp_time
from .compliance import CONTRADICTED, EVIDENCED, GAP, Cell, Compliance, Evidence, as_json
from .tables import render_delimited

#: Beside a quote entered from a spreadsheet whose document's text is not registered in data/sources/.
UNVERIFIED_MARK = "[unverified quote: the source's text is not registered]"
STATE_MARK = {EVIDENCED: "evidenced", GAP: "not evidenced in the sources", CONTRADICTED: "CONTRADICTED"}
WORKSHEET_COLUMNS = ["gap_id", "designation", "city", "requirement", "requirement_label", "property_to_fill",
                     "element_class", "element_label", "element_iri", "status", "source_role", "source_title",
                     "source_url_or_file", "quote", "notes"]


def _md(text: str) -> str:
    """Escape text for a Markdown table cell or paragraph."""
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _unverified(evidence: Evidence) -> str:
    """The mark of a quote whose words could not be checked against its source's stored text."""
    return "" if evidence.verified else f" {UNVERIFIED_MARK}"


def _role(cell: Cell, role: str | None) -> str | None:
    """The source's own word for the role, where it differs from the requirement's wording."""
    if not role or role.lower() in cell.label.lower():
        return None
    return role


def _cell_text(cell: Cell, *, quotes: bool) -> list[str]:
    """The lines of one matrix cell, unescaped."""
    if cell.state == GAP:
        return [STATE_MARK[GAP]]
    lines = [f"{STATE_MARK[cell.state]}:"]
    for element in cell.elements:
        word = _role(cell, element.source_role)
        role = f", the source's word: \u201c{word}\u201d" if word else ""
        lines.append(f"{element.label} ({element.status}{role})")
        if quotes:
            lines += [f"\u201c{e.quote}\u201d \u2014 {e.source_title}{_unverified(e)}" for e in element.evidence]
    if cell.state == CONTRADICTED:
        lines += cell.messages
        if quotes:
            lines += [f"contrary: \u201c{e.quote}\u201d \u2014 {e.source_title}{_unverified(e)}" for e in cell.contrary]
    return lines


def _results_by_pilot(compliance: Compliance) -> dict[str, list]:
    labels = {row.designation: row.city_label for row in compliance.rows}
    grouped: dict[str, list] = defaultdict(list)
    for result in compliance.validation.results:
        grouped[labels.get(str(result.focus), "other data")].append(result)
    return dict(sorted(grouped.items(), key=lambda kv: (kv[0] == "other data", kv[0])))


def _counts(compliance: Compliance) -> str:
    v = compliance.validation
    return f"{v.count('violation')} violation(s), {v.count('warning')} warning(s), {v.count('info')} info(s) (engine: {v.engine})"


def render_text(compliance: Compliance) -> str:
    out = ["pilotkg validation report", "=" * 25, "", f"Results: {_counts(compliance)}.", ""]
    out.append("Six-requirement matrix (only source facts count as evidence):")
    for row in compliance.rows:
        out.append(f"  {row.city_label}")
        for cell in row.cells:
            lines = _cell_text(cell, quotes=True)
            out.append(f"    {cell.order}. {cell.label}: {lines[0]}")
            out += [f"         {line}" for line in lines[1:]]
    out += ["", "Cross-checks:"]
    for check in compliance.crosschecks:
        extra = f" (sources: {check.known})" if check.known else ""
        extra += f" [an inference, not evidence, says: {check.inferred}]" if check.inferred else ""
        out.append(f"  {check.city_label}: {check.name}: {check.outcome}{extra}")
    out += ["", "Gaps, and the fact that would close each:"]
    out += [f"  {g.city_label} / {g.requirement_label}: {g.closes_with}" for g in compliance.gaps]
    out += ["", "Pilot special advantageous industries:"]
    for pilot in compliance.industry_pilots:
        out.append(f"  {pilot.industry_label} ({pilot.industry_label_zh}) of {pilot.city_label}")
        for f in pilot.figures:
            out.append(f"    {f['statusLabel']}: {f['measureLabel']} {f['qualifierLabel']} {f['lexicalForm']}"
                       f"{' (' + f['year'] + ')' if f['year'] else ''}{' ' + f['period'] if f['period'] else ''}")
        out += [f"    {u}" for u in pilot.unknown]
    out += ["", "All results by pilot:"]
    for group, results in _results_by_pilot(compliance).items():
        out.append(f"  {group}")
        out += [f"    [{r.severity}] {r.message} ({_short(str(r.focus))})" for r in results]
    return "\n".join(out) + "\n"


def render_markdown(compliance: Compliance) -> str:
    reqs = compliance.rows[0].cells if compliance.rows else []
    out = ["# pilotkg validation report", "",
           f"Results: **{_counts(compliance)}**. Only facts of the sources count as evidence: never a requirement "
           "itself, never an inference.", "", "## Six-requirement matrix", "",
           "| City | " + " | ".join(f"{c.order}. {_md(c.label)}" for c in reqs) + " |",
           "|---|" + "---|" * len(reqs)]
    for row in compliance.rows:
        cells = ["<br>".join(_md(line) for line in _cell_text(c, quotes=False)) for c in row.cells]
        out.append(f"| {_md(row.city_label)} | " + " | ".join(cells) + " |")
    out += ["", "### Evidence", ""]
    for row in compliance.rows:
        for cell in row.cells:
            if cell.state == GAP:
                continue
            out.append(f"- **{_md(row.city_label)}, {_md(cell.label)}**: " + "; ".join(
                f"{_md(e.label)} ({_md(e.status)})" for e in cell.elements))
            for element in cell.elements:
                out += [f"  > \u201c{_md(e.quote)}\u201d \u2014 {_md(e.source_title)}{_md(_unverified(e))}" for e in element.evidence]
            out += [f"  > contrary: \u201c{_md(e.quote)}\u201d \u2014 {_md(e.source_title)}{_md(_unverified(e))}"
                    for e in cell.contrary]
    out += ["", "## Cross-checks", "", "| City | Check | Outcome | Sources say | An inference (not evidence) says |",
            "|---|---|---|---|---|"]
    out += [f"| {_md(c.city_label)} | {_md(c.name)} | {_md(c.outcome)} | {_md(c.known)} | {_md(c.inferred)} |"
            for c in compliance.crosschecks]
    out += ["", "## Gaps and the facts that would close them", "", "| City | Requirement | Fact to collect |", "|---|---|---|"]
    out += [f"| {_md(g.city_label)} | {_md(g.requirement_label)} | {_md(g.closes_with)} |" for g in compliance.gaps]
    out += ["", "## Pilot special advantageous industries", ""]
    for pilot in compliance.industry_pilots:
        out.append(f"### {_md(pilot.industry_label)} ({_md(pilot.industry_label_zh)}), {_md(pilot.city_label)}")
        out.append("")
        for f in pilot.figures:
            out.append(f"- {_md(f['statusLabel'])}: {_md(f['measureLabel'])}, {_md(f['qualifierLabel'])} "
                       f"{_md(f['lexicalForm'])}{' (' + _md(f['year']) + ')' if f['year'] else ''} "
                       f"{_md(f['period'])} \u2014 \u201c{_md(f['quote'])}\u201d")
        out += [f"- {_md(u)}" for u in pilot.unknown]
        out.append("")
    out += ["## All results, by pilot", ""]
    for group, results in _results_by_pilot(compliance).items():
        out.append(f"### {_md(group)}")
        out += [f"- **{r.severity}**: {_md(r.message)} (`{_md(_short(str(r.focus)))}`)" for r in results]
        out.append("")
    out.append(f"_pilotkg {__version__}_")
    return "\n".join(out) + "\n"


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #bbb;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}td.evidenced{background:#e8f5e9}td.gap{background:#fff8e1}td.contradicted{background:#ffebee}
.state{font-weight:600}.quote{font-style:italic;color:#333;margin:.2rem 0}.src{color:#666;font-size:.85em}
.counts span{display:inline-block;margin-right:1rem;padding:.1rem .5rem;border-radius:3px}
.violation{background:#ffcdd2}.warning{background:#ffe0b2}.info{background:#e3f2fd}
@media print{body{margin:0;font-size:10pt}h2{page-break-after:avoid}tr,td{page-break-inside:avoid}a{color:inherit;text-decoration:none}}
"""


def render_html(compliance: Compliance) -> str:
    e = html.escape
    v = compliance.validation
    reqs = compliance.rows[0].cells if compliance.rows else []
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>pilotkg validation report</title>", f"<style>{CSS}</style></head><body>",
           "<h1>Pilot competitive manufacturing cities: the six requirements</h1>",
           '<p class="counts">' + "".join(f'<span class="{s}">{v.count(s)} {s}(s)</span>' for s in ("violation", "warning", "info"))
           + f' <span class="engine">engine: {e(v.engine)}</span></p>',
           "<p>Only facts of the sources count as evidence: never a requirement itself, never an inference. "
           "<em>Not evidenced</em> means the sources do not say; it is not a failure.</p>",
           "<h2>Compliance matrix</h2>", '<table id="matrix"><thead><tr><th>City</th>']
    out += [f"<th>{c.order}. {e(c.label)}</th>" for c in reqs]
    out.append("</tr></thead><tbody>")
    for row in compliance.rows:
        out.append(f'<tr data-city="{e(row.city_label)}"><th>{e(row.city_label)}</th>')
        for cell in row.cells:
            css = {EVIDENCED: "evidenced", GAP: "gap", CONTRADICTED: "contradicted"}[cell.state]
            body = [f'<div class="state">{e(STATE_MARK[cell.state])}</div>']
            for element in cell.elements:
                word = _role(cell, element.source_role)
                role = f", the source's word: \u201c{e(word)}\u201d" if word else ""
                body.append(f"<div>{e(element.label)} ({e(element.status)}{role})</div>")
                body += [f'<div class="quote">\u201c{e(x.quote)}\u201d</div><div class="src">{e(x.source_title)}{e(_unverified(x))}</div>'
                         for x in element.evidence]
            body += [f"<div>{e(m)}</div>" for m in cell.messages]
            body += [f'<div class="quote">contrary: \u201c{e(x.quote)}\u201d</div>'
                     f'<div class="src">{e(x.source_title)}{e(_unverified(x))}</div>' for x in cell.contrary]
            out.append(f'<td class="{css}">' + "".join(body) + "</td>")
        out.append("</tr>")
    out += ["</tbody></table>", "<h2>Cross-checks</h2>",
            "<table><thead><tr><th>City</th><th>Check</th><th>Outcome</th><th>Sources say</th>"
            "<th>An inference (not evidence) says</th></tr></thead><tbody>"]
    out += [f"<tr><td>{e(c.city_label)}</td><td>{e(c.name)}</td><td>{e(c.outcome)}</td><td>{e(c.known)}</td>"
            f"<td>{e(c.inferred)}</td></tr>" for c in compliance.crosschecks]
    out += ["</tbody></table>", "<h2>Gaps and the facts that would close them</h2>",
            "<table><thead><tr><th>City</th><th>Requirement</th><th>Fact to collect</th></tr></thead><tbody>"]
    out += [f"<tr><td>{e(g.city_label)}</td><td>{e(g.requirement_label)}</td><td>{e(g.closes_with)}</td></tr>"
            for g in compliance.gaps]
    out += ["</tbody></table>", "<h2>Pilot special advantageous industries</h2>"]
    for pilot in compliance.industry_pilots:
        out.append(f"<h3>{e(pilot.industry_label)} ({e(pilot.industry_label_zh)}), {e(pilot.city_label)}</h3><ul>")
        for f in pilot.figures:
            out.append(f"<li><strong>{e(f['statusLabel'])}</strong>: {e(f['measureLabel'])}, {e(f['qualifierLabel'])} "
                       f"{e(f['lexicalForm'])} {e(f['year'])} {e(f['period'])}"
                       f'<div class="quote">\u201c{e(f["quote"])}\u201d</div></li>')
        out += [f"<li>{e(u)}</li>" for u in pilot.unknown]
        out.append("</ul>")
    out.append("<h2>All results, by pilot</h2>")
    for group, results in _results_by_pilot(compliance).items():
        out.append(f"<h3>{e(group)}</h3><ul>")
        out += [f'<li><span class="{e(r.severity)}">{e(r.severity)}</span> {e(r.message)} '
                f'<span class="src">{e(_short(str(r.focus)))}</span></li>' for r in results]
        out.append("</ul>")
    stamp = stamp_time().strftime("%Y-%m-%d")
    out.append(f'<p class="src">pilotkg {e(__version__)}, {stamp}</p></body></html>')
    return "\n".join(out) + "\n"


def render_json(compliance: Compliance) -> str:
    return json.dumps(as_json(compliance), indent=2, ensure_ascii=False) + "\n"


def render_worksheet(compliance: Compliance) -> str:
    """One row per missing fact, with the columns to fill; formulas are neutralised."""
    rows = [[f"{_short(gap.designation)}--{_short(gap.requirement)}", gap.designation, gap.city_label, gap.requirement,
             gap.requirement_label, gap.closes_with, gap.element_class] + [""] * 8 for gap in compliance.gaps]
    return render_delimited(WORKSHEET_COLUMNS, rows)


#: Report formats by name, and the file suffixes that select them.
FORMATS = {"text": ".txt", "md": ".md", "html": ".html", "json": ".json", "turtle": ".ttl", "svg": ".svg", "png": ".png"}
#: Formats that are pictures of the compliance matrix (bytes, drawn by pilotkg.figures), not text.
PICTURES = ("svg", "png")
ALIASES = {"ttl": "turtle", "markdown": "md", "txt": "text"}


def render(compliance: Compliance, fmt: str) -> str:
    """The report in ``fmt`` (text, md, html, json, turtle; ttl is an alias of turtle)."""
    fmt = ALIASES.get(fmt, fmt)
    if fmt == "turtle":
        from .compliance import earl_graph

        return earl_graph(compliance).serialize(format="turtle")
    renderers = {"text": render_text, "md": render_markdown, "html": render_html, "json": render_json}
    return renderers[fmt](compliance)


def render_bytes(compliance: Compliance, fmt: str) -> bytes:
    """The report as a file's content: text formats in UTF-8, or a picture of the matrix."""
    if fmt in PICTURES:
        from .figures import compliance_picture

        return compliance_picture(compliance, fmt)
    return render(compliance, fmt).encode("utf-8")


def format_for(path: str) -> str | None:
    """The format a file name's suffix selects, if any."""
    lower = path.lower()
    for fmt, suffix in FORMATS.items():
        if lower.endswith(suffix):
            return fmt
    return None
