"""Static pictures for reports: a graph view (``pilotkg export --format svg|png``) and the
compliance matrix (``pilotkg validate --output matrix.svg|png``).

Drawn with matplotlib from the view's stable layout, so the same data gives the same picture.
SVG keeps its text as text (searchable, selectable, small); PNG is for slides and mail.
Labels are English by default; ``lang="zh"`` needs a CJK font on the machine and says which to
install when there is none, rather than drawing empty boxes.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .compliance import Compliance
    from .views import View

_MARKERS = {"ellipse": "o", "round-rectangle": "s", "hexagon": "h", "diamond": "D", "triangle": "^", "star": "*",
            "rectangle": "s", "vee": "v", "tag": "p", "barrel": "o", "octagon": "8"}
#: Above this many nodes only places, industries and groups are labelled, so labels stay readable.
LABEL_LIMIT = 80
STATE_COLOURS = {"evidenced": "#009E73", "not evidenced": "#F0E442", "contradicted": "#D55E00"}


def cjk_font() -> str | None:
    """The name of an installed font with Chinese characters, if there is one."""
    from .pictures import require_matplotlib

    require_matplotlib()
    from matplotlib import font_manager

    for font in sorted(font_manager.fontManager.ttflist, key=lambda f: f.name):
        if any(mark in font.name for mark in ("CJK", "Sans SC", "WenQuanYi", "Droid Sans Fallback", "AR PL")):
            return str(font.name)
    return None


def _has_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


def _label(node_label: str, node_id: str, font: str | None) -> str:
    """What a node is called in the picture: its label, or the end of its IRI when the label
    needs a font the machine does not have (never boxes in place of characters)."""
    if font is None and _has_cjk(node_label):
        return node_id.rsplit("/", 1)[-1]
    return node_label


def view_picture(view: View, fmt: str, *, lang: str = "en") -> bytes:
    """The view drawn with a legend by class; ``fmt`` is ``svg`` or ``png``."""
    from .pictures import deterministic, figure_bytes, new_figure, require_matplotlib

    font = cjk_font()
    if lang == "zh" and font is None:
        raise InputError("no font with Chinese characters is installed, so zh labels cannot be drawn",
                         hint="install one (Debian: apt-get install fonts-noto-cjk), or draw with --lang en")
    fonts = {"font.family": ["DejaVu Sans", font]} if font else {}
    with deterministic(), require_matplotlib().rc_context(fonts):
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D

        width = 12.0 if len(view.nodes) < 60 else 16.0
        fig = new_figure(width, width * 0.7)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(view.title, fontsize=13, loc="left")
        where = {n.id: (n.x, -n.y) for n in view.nodes}
        segments = [(where[e.source], where[e.target]) for e in view.edges if e.source != e.target]
        if view.directed and len(segments) <= 300:
            for (x0, y0), (x1, y1) in segments:
                ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=1,
                            arrowprops={"arrowstyle": "-|>", "color": "#8a8a8a", "lw": 1.0, "shrinkA": 9, "shrinkB": 11})
        else:
            widths = [min(1.0 + e.weight / 4, 6.0) for e in view.edges if e.source != e.target]
            ax.add_collection(LineCollection(segments, colors="#8a8a8a", linewidths=widths, zorder=1))
        handles = []
        for cls, family, count in view.classes():
            members = [n for n in view.nodes if n.cls == cls]
            ax.scatter([n.x for n in members], [-n.y for n in members], s=[(n.size * 0.9) ** 2 / 4 for n in members],
                       c=family.color, marker=_MARKERS.get(family.shape, "o"), edgecolors="#333333", linewidths=0.6,
                       zorder=2)
            handles.append(Line2D([], [], linestyle="", marker=_MARKERS.get(family.shape, "o"), markersize=9,
                                  markerfacecolor=family.color, markeredgecolor="#333333", label=f"{cls} ({count})"))
        if len(view.edges) <= 40:
            for edge in view.edges:
                if edge.source != edge.target and edge.label:
                    (x0, y0), (x1, y1) = where[edge.source], where[edge.target]
                    ax.annotate("\n".join(textwrap.wrap(edge.label, 30)), ((x0 + x1) / 2, (y0 + y1) / 2), ha="center",
                                va="center", fontsize=6.5, color="#444444", zorder=2,
                                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        many = len(view.nodes) > LABEL_LIMIT
        for node in view.nodes:
            if many and node.family.name not in ("place", "industry", "group"):
                continue
            text = _label(node.label_zh if lang == "zh" and node.label_zh else node.label, node.id, font)
            ax.annotate("\n".join(textwrap.wrap(text, 28)) or node.id, (node.x, -node.y), xytext=(0, -(node.size / 3 + 6)),
                        textcoords="offset points", ha="center", va="top", fontsize=8 if not many else 6, zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8, title="class")
        ax.margins(0.12)
        caption = " ".join(t for t in [f"{len(view.nodes)} nodes, {len(view.edges)} edges"
                                       + ("; only places and industries are labelled." if many else "."), view.caption()] if t)
        fig.text(0.01, 0.01, "\n".join(textwrap.wrap(caption + " Made by pilotkg.", 160)), fontsize=7, color="#555555")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
        return figure_bytes(fig, fmt)


def compliance_picture(compliance: Compliance, fmt: str) -> bytes:
    """The six-requirement matrix: one row per pilot city, one column per requirement, each
    cell coloured by its state and naming it, so it reads in black and white too."""
    from .pictures import deterministic, figure_bytes, new_figure

    with deterministic():
        from matplotlib.patches import Patch, Rectangle

        rows = compliance.rows
        columns = [(c.order, c.label) for c in rows[0].cells] if rows else []
        fig = new_figure(2.0 + 1.9 * max(len(columns), 1), 2.4 + 0.55 * max(len(rows), 1))
        ax = fig.add_subplot()
        ax.set_xlim(0, len(columns))
        ax.set_ylim(len(rows), 0)
        ax.set_axis_off()
        for j, (_, label) in enumerate(columns):
            ax.text(j + 0.5, -0.1, "\n".join(textwrap.wrap(label, 18)), ha="center", va="bottom", fontsize=8)
        for i, row in enumerate(rows):
            ax.text(-0.08, i + 0.5, row.city_label, ha="right", va="center", fontsize=9)
            for j, cell in enumerate(row.cells):
                ax.add_patch(Rectangle((j + 0.03, i + 0.05), 0.94, 0.9, facecolor=STATE_COLOURS.get(cell.state, "#BBBBBB"),
                                       edgecolor="#333333", linewidth=0.6))
                ax.text(j + 0.5, i + 0.5, cell.state, ha="center", va="center", fontsize=8,
                        color="white" if cell.state in ("evidenced", "contradicted") else "black")
        fig.suptitle("Pilot competitive manufacturing cities: the six requirements, as the sources evidence them",
                     fontsize=11, x=0.01, y=0.98, ha="left", va="top")
        ax.legend(handles=[Patch(facecolor=c, edgecolor="#333333", label=s) for s, c in STATE_COLOURS.items()],
                  loc="upper left", bbox_to_anchor=(0, -0.02), ncol=3, frameon=False, fontsize=8)
        note = ("\"not evidenced\" means the sources do not say; it is a gap, not a failure. "
                f"{compliance.validation.count('violation')} violation(s), {compliance.validation.count('warning')} warning(s). "
                "Made by pilotkg validate.")
        fig.text(0.01, 0.01, "\n".join(textwrap.wrap(note, 150)), fontsize=7, color="#555555")
        fig.tight_layout(rect=(0, 0.05, 1, 0.93))
        return figure_bytes(fig, fmt)
