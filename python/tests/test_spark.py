"""The Spark job finds exactly the pairs of `neardup dedup` (local[2],
2,000 documents)."""

from __future__ import annotations

import pytest

from conftest import run_cli


def key(pair: dict) -> tuple:
    return (pair["a"], pair.get("a_paragraph"), pair["b"], pair.get("b_paragraph"))


@pytest.mark.parametrize("reader", ["spark-json", "json-lines"])
@pytest.mark.parametrize("granularity", ["document", "paragraph"])
def test_spark_pairs_equal_the_cli(spark, cli, corpus, granularity, reader):
    import neardup.spark as nds

    expected = run_cli(cli, "dedup", str(corpus), "--threshold", "0.8", "--granularity", granularity)
    df = nds.read(spark, str(corpus)) if reader == "spark-json" else nds.JsonLines(spark, str(corpus))
    found = [row.asDict() for row in nds.dedup(df, threshold=0.8, granularity=granularity).collect()]
    assert len(found) == len(expected) > 50
    by_key = {key(p): p["similarity"] for p in expected}
    for p in found:
        assert p["similarity"] == pytest.approx(by_key[key(p)], abs=1e-6)
    assert sorted(map(key, found)) == sorted(by_key)


def test_spark_clusters_and_kept_rows(spark, cli, corpus):
    import neardup.spark as nds

    df = nds.read(spark, str(corpus))
    expected = run_cli(cli, "dedup", str(corpus), "--threshold", "0.8", "--clusters")
    clusters = nds.clusters(df, threshold=0.8).collect()
    by_cluster: dict = {}
    for row in clusters:
        by_cluster.setdefault(row["cluster"], set()).add(row["id"])
    assert by_cluster == {c["cluster"]: set(c["members"]) for c in expected}
    kept = nds.deduplicate(df, threshold=0.8).select("id").collect()
    removed = sum(len(m) - 1 for m in by_cluster.values())
    assert len(kept) == df.count() - removed
    kept_ids = {r["id"] for r in kept}
    assert all(len(members & kept_ids) == 1 for members in by_cluster.values())


def test_identical_documents_are_collapsed_and_paired(spark):
    import neardup.spark as nds

    text = "one two three four five six seven eight nine ten eleven twelve"
    rows = [("a", text), ("b", text), ("c", text), ("d", text + " thirteen"), ("e", "something else entirely here")]
    df = spark.createDataFrame(rows, ["id", "text"])
    pairs = {(r["a"], r["b"]): r["similarity"] for r in nds.dedup(df, threshold=0.7).collect()}
    assert pairs[("a", "b")] == pairs[("b", "c")] == 1.0
    assert pairs[("a", "d")] == pairs[("c", "d")] < 1.0
    assert len(pairs) == 6


def test_giant_buckets_are_capped_as_the_cli_caps_them(spark, cli, tmp_path):
    """A bucket of 150 near-identical documents: each pairs with the next 100
    only, on Spark as on one machine, so the pairs are the same."""
    import json

    import neardup.spark as nds

    base = " ".join(f"word{i}" for i in range(60))
    rows = [{"id": f"n{i:03}", "text": f"{base} tail{i}"} for i in range(150)]
    path = tmp_path / "giant.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    expected = run_cli(cli, "dedup", str(path), "--threshold", "0.8")
    assert 0 < len(expected) < 150 * 149 // 2
    with pytest.warns(UserWarning, match="bucket"):
        found = nds.dedup(nds.read(spark, str(path)), threshold=0.8).collect()
    assert sorted(key(r.asDict()) for r in found) == sorted(map(key, expected))


def test_a_bucket_of_identical_documents_gives_the_pairs_of_the_cli(spark, cli, tmp_path):
    """150 identical documents (more than the bucket cap), a near-duplicate
    among them and an unrelated one: on Spark as on one machine the copies
    stand for their first, so every pair comes out, and none is capped."""
    import json
    import warnings

    import neardup.spark as nds

    base = " ".join(f"word{i}" for i in range(60))
    rows = [{"id": f"c{i:03}", "text": base} for i in range(150)]
    rows.insert(70, {"id": "near", "text": f"{base} tail"})
    rows.append({"id": "other", "text": " ".join(f"other{i}" for i in range(60))})
    path = tmp_path / "identical.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    expected = run_cli(cli, "dedup", str(path), "--threshold", "0.8")
    assert len(expected) == 150 * 149 // 2 + 150
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = [r.asDict() for r in nds.dedup(nds.read(spark, str(path)), threshold=0.8).collect()]
    assert not [w for w in caught if "bucket" in str(w.message)]
    by_key = {key(p): p["similarity"] for p in expected}
    assert sorted(map(key, found)) == sorted(by_key)
    for p in found:
        assert p["similarity"] == pytest.approx(by_key[key(p)], abs=1e-6)


@pytest.mark.parametrize("parts", [1, 8, 13])
def test_each_key_block_lands_in_its_own_partition(spark, parts):
    """Block i of the band-key stage goes to shuffle partition i, so the
    candidate stage's partitions are as even as the blocks."""
    from pyspark.sql import functions as F

    import neardup.spark as nds

    values = nds._partition_values(spark, parts)
    df = spark.createDataFrame([(v,) for v in values], "p long").repartition(parts, "p")
    placed = {row["p"]: row["part"] for row in df.select("p", F.spark_partition_id().alias("part")).collect()}
    assert [placed[v] for v in values] == list(range(parts))


def test_json_lines_that_are_no_records_are_skipped_with_a_warning(spark, tmp_path):
    """A line that is not a record is named in a warning (file and problem),
    the others are read as the CLI reads them: numbers as ids, dotted
    fields."""
    import json

    import neardup.spark as nds

    text = " ".join(f"w{i}" for i in range(40))
    lines = [
        json.dumps({"meta": {"key": 1}, "doc": {"body": text}}),
        "[not, a record]",
        "",
        json.dumps({"meta": {"key": "two"}, "doc": {"body": text}}),
        json.dumps({"meta": {"key": 3}, "doc": {"body": 17}}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = nds.JsonLines(spark, str(path), text_field="doc.body", id_field="meta.key")
    with pytest.warns(UserWarning, match=r"mixed\.jsonl: 2 line\(s\) are not records"):
        pairs = [r.asDict() for r in nds.dedup(source, threshold=0.8).collect()]
    assert pairs == [{"a": "1", "b": "two", "similarity": 1.0}]
