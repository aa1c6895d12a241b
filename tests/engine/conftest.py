"""Fixtures shared by the engine's tests: the embedding models, loaded once per session."""

from __future__ import annotations

import pytest

from sangsaeng.engine.embedders import Embedder, EnglishAndMultilingual, create_embedder


@pytest.fixture(scope="session")
def use_embedder() -> Embedder:
    return create_embedder("use")


@pytest.fixture(scope="session")
def e5_embedder() -> Embedder:
    return create_embedder("e5")


@pytest.fixture(scope="session")
def minilm_embedder() -> Embedder:
    return create_embedder("minilm")


@pytest.fixture(scope="session")
def minilm_use_embedder(minilm_embedder, use_embedder) -> Embedder:
    """The batch default ``minilm-use``, built from the two models loaded once."""
    return EnglishAndMultilingual(minilm_embedder, use_embedder)
