"""Pictures with matplotlib, made the same way every time: the same figure gives the same SVG,
byte for byte, so a picture committed to the repository can be checked against a fresh one.

Figures are made with :func:`new_figure` (a bare :class:`matplotlib.figure.Figure`, not pyplot):
no global backend is switched and no window can open. :func:`deterministic` holds the settings
that make output reproducible (matplotlib's defaults, not the user's matplotlibrc; a fixed SVG id salt;
text kept as text; the bundled font); it restores matplotlib's settings on exit, so nothing global
changes.
:func:`figure_bytes` saves a figure as SVG or PNG without timestamps or version stamps.

matplotlib is optional (``pip install 'pilotkg[pictures]'``); it is imported only when a picture
is made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import TYPE_CHECKING, Any

from .errors import MissingExtraError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The settings every pilotkg picture is drawn and saved with, on top of matplotlib's defaults
#: (a user's matplotlibrc is ignored inside :func:`deterministic`).
DETERMINISTIC_RC: dict[str, Any] = {
    "svg.hashsalt": "pilotkg",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    # text is measured with the font matplotlib ships, whatever the machine has; an SVG viewer
    # without it falls back along this list
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial", "Helvetica"],
    "savefig.dpi": 100,
}
FORMATS = ("svg", "png")


def require_matplotlib() -> Any:
    """The :mod:`matplotlib` module, or a :class:`MissingExtraError` saying how to install it."""
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingExtraError(
            "pictures need matplotlib, which is not installed; install it with: pip install 'pilotkg[pictures]'"
        ) from exc
    return matplotlib


@contextmanager
def deterministic() -> Iterator[None]:
    """Draw and save inside this block to get reproducible pictures; matplotlib's settings are
    restored on exit."""
    matplotlib = require_matplotlib()
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(DETERMINISTIC_RC)
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches, detached from pyplot (no global state, no GUI)."""
    require_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` saved as ``svg`` or ``png``, without the date, the software's version or anything
    else that changes from run to run. Draw ``fig`` inside :func:`deterministic` too: the fonts
    and styles of its artists are fixed when they are made."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}; use one of {', '.join(FORMATS)}")
    metadata: dict[str, str | None] = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    buffer = BytesIO()
    # only the settings read when saving, so a caller's own rc_context around drawing still holds
    with require_matplotlib().rc_context({k: v for k, v in DETERMINISTIC_RC.items() if k.startswith(("svg.", "savefig."))}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
