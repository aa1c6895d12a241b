"""The embedders: the NumPy BERT against its published reference, and the two-part model."""

from __future__ import annotations

import numpy as np
import pytest

from sangsaeng.engine.index import Document, ExpertiseIndex, Profile, Query


def test_minilm_reproduces_the_published_similarity_of_its_reference_pair(minilm_embedder):
    # sentence-transformers' documentation gives 0.7553 for this pair with all-MiniLM-L6-v2
    vectors = minilm_embedder.embed_documents(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    assert float(vectors[0] @ vectors[1]) == pytest.approx(0.7553, abs=2e-3)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])


def test_minilm_embeds_nothing_and_long_texts(minilm_embedder):
    assert minilm_embedder.embed_documents([]).shape == (0, 384)
    # longer than the model's 256 tokens: truncated, still one unit vector
    long_text = "graph neural networks for molecular property prediction " * 80
    vector = minilm_embedder.embed_queries([long_text])
    assert vector.shape == (1, 384)
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_two_part_model_leaves_korean_out_of_the_english_part(minilm_use_embedder):
    english_dimension = minilm_use_embedder.english_dimension
    vectors = minilm_use_embedder.embed_documents(
        ["Low-power NPU design for edge inference", "저전력 NPU 설계와 엣지 추론"]
    )
    assert vectors.shape == (2, minilm_use_embedder.dimension)
    np.testing.assert_allclose(np.linalg.norm(vectors[0, :english_dimension]), 1.0, rtol=1e-5)
    assert not vectors[1, :english_dimension].any()
    np.testing.assert_allclose(np.linalg.norm(vectors[:, english_dimension:], axis=1), 1.0, 1e-5)


def test_two_part_model_compares_each_pair_by_the_right_part(minilm_use_embedder):
    english, korean = "Analog front-end design for RF transceivers", "RF 송수신기 아날로그 설계"
    index = ExpertiseIndex(minilm_use_embedder)
    index.add_profiles(
        [
            Profile("en", (Document("e1", english),)),
            Profile("ko", (Document("k1", korean),)),
        ]
    )
    split = minilm_use_embedder.english_dimension
    document = minilm_use_embedder.embed_documents([english, korean])
    english_part, multilingual_part = slice(0, split), slice(split, None)
    cases = [
        # an English need: the English document by MiniLM, the Korean one by USE
        ("RF transceiver front-end circuits", english_part, multilingual_part),
        # a Korean need: both by USE
        ("RF 송수신기 회로", multilingual_part, multilingual_part),
    ]
    for text, part_en, part_ko in cases:
        query = minilm_use_embedder.embed_queries([text])[0]
        dense = {
            m.profile_id: m.explanation.dense_score
            for m in index.score_pairs(Query("q", text), ["en", "ko"])
        }
        assert dense["en"] == pytest.approx(float(document[0, part_en] @ query[part_en]), abs=1e-5)
        assert dense["ko"] == pytest.approx(float(document[1, part_ko] @ query[part_ko]), abs=1e-5)
