"""Sketcher: band keys and verification for distributed runs, equal to what
the local engine computes."""

from __future__ import annotations

import pytest

import neardup

pa = pytest.importorskip("pyarrow")


def test_arrow_and_lists_give_the_same_keys(records):
    texts = [r["text"] for r in records[:200]]
    sketcher = neardup.Sketcher(0.8)
    from_list = sketcher.band_keys(texts)
    assert from_list.num_rows == 200 * sketcher.banding[0]
    assert sketcher.band_keys(pa.array(texts)).equals(from_list)
    assert sketcher.band_keys(pa.array(texts, pa.large_string())).equals(from_list)
    chunked = pa.chunked_array([texts[:70], texts[70:]])
    assert sketcher.band_keys(chunked).equals(from_list)
    # A slice starts at its own first row; a null is an empty text.
    sliced = pa.array(texts).slice(10, 5)
    assert sketcher.band_keys(sliced).column("key").equals(
        sketcher.band_keys(texts[10:15]).column("key")
    )
    with_null = sketcher.band_keys(pa.array([None, texts[0]]))
    assert set(with_null.column("row").to_pylist()) == {1}


def test_documents_sharing_a_band_key_are_the_dedup_candidates(records):
    """Pairs found by grouping band keys, verified with `verify`, are
    exactly `dedup`'s pairs."""
    some = records[:600]
    sketcher = neardup.Sketcher(0.8)
    keys = sketcher.band_keys([r["text"] for r in some]).to_pylist()
    groups: dict = {}
    for k in keys:
        groups.setdefault((k["band"], k["key"]), []).append(k["row"])
    candidates = sorted({(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :] if a != b})
    texts = [r["text"] for r in some]
    sims = sketcher.verify([(a, None, b, None) for a, b in candidates], texts)
    found = {(some[a]["id"], some[b]["id"]): s for (a, b), s in zip(candidates, sims) if s >= 0.8}
    expected = {(p["a"], p["b"]): p["similarity"] for p in neardup.dedup(some, 0.8)}
    assert found.keys() == expected.keys()
    for pair, similarity in found.items():
        assert similarity == pytest.approx(expected[pair], abs=5e-7)


def test_paragraph_units_and_identical_texts():
    # Paragraphs of 8 words sharing their first 7: 3 common 5-word shingles
    # of 5 in all, Jaccard 0.6.
    text = "alpha bravo charlie delta echo foxtrot golf hotel\n\nalpha bravo charlie delta echo foxtrot golf india"
    sketcher = neardup.Sketcher(0.8, granularity="paragraph")
    keys = sketcher.band_keys([text, text]).to_pylist()
    assert {k["paragraph"] for k in keys} == {0, 1}
    hashes = {(k["row"], k["paragraph"]): (k["unit_hash"], k["unit_hash_high"]) for k in keys}
    assert hashes[(0, 0)] == hashes[(1, 0)] != hashes[(0, 1)]
    assert sketcher.verify([(0, 1, 0, 0), (0, 1, 1, 1)], [text, text]) == [pytest.approx(0.6), 1.0]
    table = pa.table({"row_a": [0], "paragraph_a": [1], "row_b": [1], "paragraph_b": [0]})
    assert sketcher.verify(table, [text, text]) == [pytest.approx(0.6)]


def test_keys_carry_ids_when_given():
    sketcher = neardup.Sketcher(0.8)
    keys = sketcher.band_keys(["a b c d e f", "", "g h i j k l"], ids=["x", "y", "z"])
    assert keys.column_names[0] == "id"
    assert set(keys.column("id").to_pylist()) == {"x", "z"}
