"""Where the shipped assets are: the ontology, the query library and the curated data.

They live at the top of the repository and travel in the wheel as package data under
``pilotkg/assets`` (see ``pyproject.toml``). Code finds them with :mod:`importlib.resources`,
never relative to the working directory, so an installed pilotkg works anywhere.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import InputError


def asset_root() -> Path:
    """The folder holding ``ontology/``, ``queries/`` and ``data/``."""
    root = Path(str(resources.files("pilotkg"))) / "assets"
    if not (root / "ontology").is_dir():
        raise InputError(
            "pilotkg's assets (ontology, queries, data) are not installed beside the package",
            file=root,
            hint="install pilotkg from a wheel or with `pip install .` (not a bare copy of src/)",
        )
    return root


def ontology_dir() -> Path:
    return asset_root() / "ontology"


def queries_dir() -> Path:
    return asset_root() / "queries"


def data_dir() -> Path:
    return asset_root() / "data"
