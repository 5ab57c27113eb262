"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """A real strict `mkdocs build` of the fixtures and the real content/ (tests/sitebuild.py).

    Session-scoped: built once per xdist worker, in that worker's own tmp dir.
    """
    from sitebuild import build_site

    return build_site(tmp_path_factory.mktemp("site"))
