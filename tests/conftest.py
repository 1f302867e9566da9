"""Shared fixtures: the dataset is assembled once per session, in memory, from the installed
package's assets (the same files a user gets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset

from pilotkg.assets import data_dir, ontology_dir, queries_dir
from pilotkg.build import BuildResult, assemble

SOURCE = "sichuan-first-pilot-lists"


@pytest.fixture(scope="session")
def built() -> BuildResult:
    return assemble()


@pytest.fixture(scope="session")
def dataset(built: BuildResult) -> Dataset:
    return built.dataset


@pytest.fixture(scope="session")
def source(built: BuildResult):
    (found,) = [s for s in built.sources if s.slug == SOURCE]
    return found


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder, for tests that add or break files."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@pytest.fixture(scope="session")
def assets() -> dict[str, Path]:
    return {"data": data_dir(), "ontology": ontology_dir(), "queries": queries_dir()}
