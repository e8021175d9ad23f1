"""dedup, clusters, deduplicate: the same pairs as `neardup dedup`, from
records in every form."""

from __future__ import annotations

import json

import pytest

import neardup
from conftest import run_cli


def key(pair: dict) -> tuple:
    return (pair["a"], pair.get("a_paragraph"), pair["b"], pair.get("b_paragraph"))


@pytest.mark.parametrize("granularity", ["document", "paragraph"])
def test_pairs_equal_the_cli(cli, corpus, records, granularity):
    expected = run_cli(cli, "dedup", str(corpus), "--threshold", "0.8", "--granularity", granularity)
    assert len(expected) > 50
    from_records = neardup.dedup(records, 0.8, granularity)
    from_path = neardup.dedup(corpus, 0.8, granularity)
    assert sorted(from_records, key=key) == sorted(expected, key=key)
    assert from_path == from_records


def test_every_record_form_gives_the_same_pairs(records):
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    some = records[:400]
    expected = neardup.dedup(some, 0.7)
    assert expected
    tuples = [(r["id"], r["text"]) for r in some]
    renamed = [{"key": r["id"], "body": r["text"]} for r in some]
    assert neardup.dedup(tuples, 0.7) == expected
    assert neardup.dedup(renamed, 0.7, id_column="key", text_column="body") == expected
    assert neardup.dedup(pa.Table.from_pylist(some), 0.7) == expected
    assert neardup.dedup(pd.DataFrame(some), 0.7) == expected


def test_clusters_equal_the_cli(cli, corpus):
    expected = run_cli(cli, "dedup", str(corpus), "--threshold", "0.8", "--clusters")
    assert neardup.clusters(corpus, 0.8) == expected


def test_ids_keep_their_type_and_duplicates_are_errors():
    text = "the same words are here again and again in this text"
    pairs = neardup.dedup([(7, text), ("7b", text), (8, text + " indeed")], 0.5)
    assert {p["a"] for p in pairs} | {p["b"] for p in pairs} == {7, "7b", 8}
    with pytest.raises(neardup.NeardupError, match="duplicate id"):
        neardup.dedup([(1, text), ("1", text)])
    with pytest.raises(TypeError):
        neardup.dedup([(1.5, text)])


@pytest.mark.parametrize("keep", ["first", "longest"])
def test_deduplicate_keeps_one_per_cluster_and_every_singleton(records, keep):
    kept, removed = neardup.deduplicate(records, 0.8, keep=keep, return_removed=True)
    pairs = neardup.dedup(records, 0.8)
    in_pairs = {p["a"] for p in pairs} | {p["b"] for p in pairs}
    kept_ids = {r["id"] for r in kept}
    # No pair at or over the threshold is left among what is kept…
    assert neardup.dedup(kept, 0.8) == []
    # …no document without a near-duplicate is dropped…
    assert {r["id"] for r in records} - in_pairs <= kept_ids
    # …and each cluster keeps exactly one member.
    for cluster in neardup.clusters(records, 0.8):
        assert len(set(cluster["members"]) & kept_ids) == 1
    assert len(kept) + len(removed) == len(records)
    if keep == "longest":
        length = {r["id"]: len(r["text"].encode()) for r in records}
        for r in removed:
            assert length[r["duplicate_of"]] >= length[r["id"]]


def test_paragraph_level_removes_duplicate_paragraphs_only(records):
    kept = neardup.deduplicate(records, 0.8, "paragraph")
    assert len(kept) == len(records)
    assert neardup.dedup(kept, 0.8, "paragraph") == []
    changed = [(a, b) for a, b in zip(records, kept) if a["text"] != b["text"]]
    assert changed
    for before, after in changed:
        paragraphs = set(before["text"].split("\n\n"))
        assert set(after["text"].strip("\n").split("\n\n")) <= paragraphs | {""}


def test_tables_come_back_as_tables(records):
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    table = pa.Table.from_pylist(records[:300])
    kept = neardup.deduplicate(table, 0.8)
    assert isinstance(kept, pa.Table)
    frame = neardup.deduplicate(pd.DataFrame(records[:300]), 0.8)
    assert isinstance(frame, pd.DataFrame)
    assert kept.column("id").to_pylist() == frame["id"].tolist()
    assert json.dumps(kept.column("id").to_pylist())
