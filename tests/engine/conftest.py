"""Fixtures shared by the engine's tests: the embedding models, loaded once per session."""

from __future__ import annotations

import pytest

from sangsaeng.engine.embedders import Embedder, create_embedder


@pytest.fixture(scope="session")
def use_embedder() -> Embedder:
    return create_embedder("use")


@pytest.fixture(scope="session")
def e5_embedder() -> Embedder:
    return create_embedder("e5")
