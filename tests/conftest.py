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


@pytest.fixture(scope="session")
def server(built_site):
    """The shared built site, served on 127.0.0.1."""
    from browsing import serve

    with serve(built_site.site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless chromium per test worker."""
    from browsing import chromium

    with chromium() as b:
        yield b
