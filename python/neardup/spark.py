"""neardup on Spark: the same fingerprints and the same exact verification
as ``neardup dedup``, distributed, so the pairs are the same.

1. **Band keys.** Each partition's texts go through :class:`neardup.Sketcher`
   in a Python worker (``mapInArrow``: Arrow buffers in, no per-row
   Python): the full 64-bit key of every (unit, band), packed in Rust into
   one block of fixed-width records per partition of the next stage (the
   block decided by the band and key), so the shuffle moves a few large
   values instead of a row per key.
2. **Candidates.** Each block goes to its partition; within a partition,
   equal keys pair up (sorted in Rust, like the local band
   table). At document level, units with identical texts (equal 128-bit
   text hashes) stand for one representative there, the first: identical
   texts share every band key, so each bucket collapses them the same way;
   band 0 also returns the pairs of each copy with its representative, at
   similarity 1, and the copies inherit the representative's pairs after
   verification (the local run collapses them the same way, so a group of
   identical documents larger than ``bucket_cap`` gives the same pairs on
   both). As in the local run, in a bucket of more than
   ``bucket_cap`` units each unit is paired with the next ``bucket_cap``
   only (pairs farther apart there are not tried); such buckets are
   counted in a warning. Keys, candidates and duplicates come out of one
   pass over the input.
3. **Verification.** Only the texts of candidate documents are joined to
   the candidate pairs; exact Jaccard of the two shingle sets, computed by
   the same code as the local run, keeps the pairs at or above the
   threshold.

:func:`clusters` adds connected components (large-star / small-star on
DataFrames: no GraphFrames jar), and :func:`deduplicate` returns the rows to
keep. ``python -m neardup.spark dedup INPUT --threshold T --output DIR``
runs it from ``spark-submit``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any, Iterator, Optional

from neardup import Sketcher, _neardup

def _spark_modules():
    try:
        from pyspark.sql import DataFrame, SparkSession, functions as F, types as T
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("neardup.spark needs pyspark: pip install 'neardup[spark]'") from e
    return DataFrame, SparkSession, F, T


def _sketcher_args(threshold, granularity, num_perm, bands, rows, fn_weight):
    return dict(
        threshold=threshold,
        num_perm=num_perm,
        granularity=granularity,
        bands=bands,
        rows=rows,
        fn_weight=fn_weight,
    )


def _block_schema(T):
    return T.StructType(
        [T.StructField("p", T.LongType(), False), T.StructField("block", T.BinaryType(), False)]
    )


def _partition_values(spark, parts: int) -> list[int]:
    """For each of ``parts`` partitions, a value that Spark's hash
    partitioning of a long column sends there (``pmod(hash(v), parts)``, as
    ``repartition(parts, column)`` computes it), so that block ``i`` lands
    in partition ``i``."""
    _, _, F, _ = _spark_modules()
    found: dict[int, int] = {}
    step = 0
    while len(found) < parts:
        rows = (
            spark.range(step, step + 64 * parts)
            .select("id", F.expr(f"pmod(hash(id), {parts})").alias("p"))
            .collect()
        )
        for row in rows:
            found.setdefault(row["p"], row["id"])
        step += 64 * parts
    return [found[i] for i in range(parts)]


def _band_keys(sketcher_args: dict, values: list[int], json_fields, bad):
    """The mapInArrow function of stage 1: (nd, text) batches → band keys
    packed into one block per partition of the candidate stage (a few large
    rows instead of a row per key: the shuffle moves bytes, not rows). With
    ``json_fields``, ``text`` holds JSON Lines records, read in Rust; lines
    that are no records are counted in ``bad``."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from neardup import _var_array

        sketcher = Sketcher(**sketcher_args)
        for batch in batches:
            nd, text = batch.column("nd"), batch.column("text")
            blocks, bad_lines, first_bad = sketcher._inner.band_key_blocks(
                _var_array(text),
                (nd.buffers()[1].address, nd.buffers()[1].size),
                nd.offset,
                len(values),
                json_fields,
            )
            if bad_lines:
                row, message = first_bad
                bad.add((bad_lines, (text[row].as_py()[:60], message)))
            yield pa.RecordBatch.from_arrays(
                [pa.array([values[i] for i, _ in blocks], pa.int64()), pa.array([b for _, b in blocks], pa.binary())],
                names=["p", "block"],
            )

    return run


def _records(json_fields):
    """The mapInArrow function that reads JSON Lines records ``(nd, text)``
    → ``(nd, id, text)``, as the band-key stage read them."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from neardup import _var_array

        for batch in batches:
            records = _neardup.json_records(_var_array(batch.column("text")), *json_fields)
            yield pa.RecordBatch.from_arrays(
                [batch.column("nd"), pa.array([r[0] for r in records], pa.string()), pa.array([r[1] or "" for r in records], pa.string())],
                names=["nd", "id", "text"],
            )

    return run


def _candidates(across_documents: bool, bucket_cap: int, collapse: bool, giant):
    """The mapInArrow function of stage 2: the key blocks of a partition →
    candidate pairs, sorted and grouped in Rust; with ``collapse``, units
    with identical texts pair through their first copy, and each other copy
    comes out once as a duplicate pair (``dup`` set)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from neardup import _var_array

        batches = [b for b in batches if b.num_rows]
        if not batches:  # a partition no block went to
            return
        blocks = pa.Table.from_batches(batches).column("block").combine_chunks()
        a, ap, b, bp, dup, giants = _neardup.candidate_pairs(_var_array(blocks), across_documents, bucket_cap, collapse)
        if giants:
            giant.add(giants)
        n = len(dup)
        arr = lambda t, buf: pa.Array.from_buffers(t, n, [None, pa.py_buffer(buf)])  # noqa: E731
        yield pa.RecordBatch.from_arrays(
            [arr(pa.int64(), a), arr(pa.int32(), ap), arr(pa.int64(), b), arr(pa.int32(), bp), arr(pa.int8(), dup)],
            names=["a", "ap", "b", "bp", "dup"],
        )

    return run


def _verify(sketcher_args: dict):
    """The mapInArrow function of stage 3: candidate pairs with both ids and
    texts → exact similarity."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        sketcher = Sketcher(**sketcher_args)
        for batch in batches:
            sims = sketcher.verify_texts(
                batch.column("a_text").to_pylist(),
                batch.column("ap").to_pylist(),
                batch.column("b_text").to_pylist(),
                batch.column("bp").to_pylist(),
            )
            names = ["a", "ap", "b", "bp", "a_id", "b_id"]
            yield pa.RecordBatch.from_arrays(
                [batch.column(n) for n in names] + [pa.array(sims, pa.float64())],
                names=names + ["similarity"],
            )

    return run


class JsonLines:
    """JSON Lines files read the way ``neardup dedup`` reads them: Spark only
    splits the lines, and each record is read in Rust with the CLI's rules
    (the text and id fields by name or dotted path, ids as written, a line
    that is no record counted and reported, not turned into nulls; a record
    without an id gets a null id — Spark has no line numbers). Faster
    than Spark's JSON reader, and the same records as the CLI. Give it to
    :func:`dedup` or :func:`clusters` in place of a DataFrame."""

    def __init__(self, spark, path: str, text_field: str = "text", id_field: Optional[str] = None) -> None:
        self.spark = spark
        self.path = path
        self.text_field = text_field
        self.id_field = id_field


def _first_bad():
    """An accumulator parameter for lines that are no records: their number
    and the first one seen (its start and what is wrong)."""
    from pyspark.accumulators import AccumulatorParam

    class FirstBad(AccumulatorParam):
        def zero(self, value):
            return (0, None)

        def addInPlace(self, a, b):
            return (a[0] + b[0], a[1] or b[1])

    return FirstBad()


def _documents(source, id_col: str, text_col: str):
    """``(docs, json_fields)``: ``docs`` has ``nd`` (input position) and
    ``text`` — with ``json_fields`` ``(text field, id field)`` the raw JSON
    line, else the text and an ``id`` column."""
    _, _, F, _ = _spark_modules()
    if isinstance(source, JsonLines):
        lines = source.spark.read.text(source.path).select(F.col("value").alias("text"))
        return lines.withColumn("nd", F.monotonically_increasing_id()), (source.text_field, source.id_field)
    docs = source.select(
        F.col(id_col).alias("id"),
        F.coalesce(F.col(text_col).cast("string"), F.lit("")).alias("text"),
    ).withColumn("nd", F.monotonically_increasing_id())
    return docs, None


def _verified_pairs(
    docs,
    json_fields,
    threshold: float,
    granularity: str,
    num_perm: int,
    bands: Optional[int],
    rows: Optional[int],
    fn_weight: Optional[float],
    bucket_cap: int,
    partitions: Optional[int],
):
    """Verified unit pairs ``(a, ap, b, bp, similarity)`` of ``docs``
    ``(id, text, nd)`` — documents by ``nd``, paragraphs -1 at document
    level — and the ``(nd, id, text)`` of every document they name. ``docs``
    is read twice: once for the band keys, once for the documents named by
    candidates (and duplicates), which alone move on."""
    _, SparkSession, F, T = _spark_modules()
    spark = SparkSession.getActiveSession() or docs.sparkSession
    args = _sketcher_args(threshold, granularity, num_perm, bands, rows, fn_weight)
    paragraph = granularity == "paragraph"
    parts = partitions or int(spark.conf.get("spark.sql.shuffle.partitions"))
    giant = spark.sparkContext.accumulator(0)
    bad = spark.sparkContext.accumulator((0, None), _first_bad())
    values = _partition_values(spark, parts)
    blocks = docs.select("nd", "text").mapInArrow(_band_keys(args, values, json_fields, bad), _block_schema(T))
    pair_schema = T.StructType(
        [
            T.StructField("a", T.LongType(), False),
            T.StructField("ap", T.IntegerType(), False),
            T.StructField("b", T.LongType(), False),
            T.StructField("bp", T.IntegerType(), False),
        ]
    )
    # One pass over the input: band keys, grouped by (band, key), become
    # candidate pairs and (document level) pairs of identical texts.
    # Materialised here, so that what follows plans on a short lineage and
    # the input is not read again for it.
    found = (
        blocks.repartition(parts, "p")
        .mapInArrow(
            _candidates(paragraph, bucket_cap, not paragraph, giant),
            T.StructType(list(pair_schema.fields) + [T.StructField("dup", T.ByteType(), False)]),
        )
        .localCheckpoint()
    )
    candidates = found.where(F.col("dup") == 0).select("a", "ap", "b", "bp").distinct().localCheckpoint()
    dups = None
    if not paragraph:
        dups = found.where(F.col("dup") == 1).select(F.col("a").alias("rep"), F.col("b").alias("nd"))
    # Only the documents of candidates (and duplicates) move on.
    needed = candidates.select(F.col("a").alias("nd")).union(candidates.select(F.col("b").alias("nd")))
    if dups is not None:
        needed = needed.union(dups.select("nd")).union(dups.select(F.col("rep").alias("nd")))
    # The candidates' positions (8 bytes each) go to every task; the texts
    # and ids do not (see below).
    named = docs.join(F.broadcast(needed.distinct()), "nd", "left_semi")
    if json_fields is not None:
        schema = T.StructType(
            [
                T.StructField("nd", T.LongType(), False),
                T.StructField("id", T.StringType(), True),
                T.StructField("text", T.StringType(), False),
            ]
        )
        named = named.select("nd", "text").mapInArrow(_records(json_fields), schema)
    named = named.select("nd", "id", "text").localCheckpoint()

    # The joins with texts and ids are not forced into broadcasts: at scale
    # they outgrow any one executor (Spark broadcasts a side when small).
    def side(x: str):
        return named.select(F.col("nd").alias(x), F.col("id").alias(f"{x}_id"), F.col("text").alias(f"{x}_text"))

    with_texts = candidates.join(side("a"), "a").join(side("b"), "b")
    verified_schema = T.StructType(
        list(pair_schema.fields)
        + [
            T.StructField("a_id", named.schema["id"].dataType, True),
            T.StructField("b_id", named.schema["id"].dataType, True),
            T.StructField("similarity", T.DoubleType(), False),
        ]
    )
    verified = with_texts.mapInArrow(_verify(args), verified_schema).where(F.col("similarity") >= threshold)
    if dups is not None:
        verified = _expand_duplicates(verified, dups, named.select("nd", "id"), F)
    return verified, (giant, bad), named


def _expand_duplicates(verified, dups, ids, F):
    """Pairs of representatives → pairs of every member of their groups of
    identical texts (``dups``: ``(rep, nd)`` for each member other than the
    representative; ``ids``: ``(nd, id)``), and pairs within a group at
    similarity 1."""
    members = dups.unionByName(dups.select("rep", F.col("rep").alias("nd")).distinct()).join(ids, "nd")
    ma = members.select(F.col("rep").alias("a"), F.col("nd").alias("a2"), F.col("id").alias("a2_id"))
    mb = members.select(F.col("rep").alias("b"), F.col("nd").alias("b2"), F.col("id").alias("b2_id"))
    x, y = F.coalesce("a2", "a"), F.coalesce("b2", "b")
    x_id, y_id = F.coalesce("a2_id", "a_id"), F.coalesce("b2_id", "b_id")
    first = x < y
    across = verified.join(ma, "a", "left").join(mb, "b", "left").select(
        F.when(first, x).otherwise(y).alias("a"),
        F.col("ap"),
        F.when(first, y).otherwise(x).alias("b"),
        F.col("bp"),
        F.when(first, x_id).otherwise(y_id).alias("a_id"),
        F.when(first, y_id).otherwise(x_id).alias("b_id"),
        F.col("similarity"),
    )
    m1 = members.select(F.col("rep").alias("r1"), F.col("nd").alias("a"), F.col("id").alias("a_id"))
    m2 = members.select(F.col("rep").alias("r2"), F.col("nd").alias("b"), F.col("id").alias("b_id"))
    within = (
        m1.join(m2, F.col("r1") == F.col("r2"))
        .where(F.col("a") < F.col("b"))
        .select(
            "a", F.lit(-1).alias("ap"), "b", F.lit(-1).alias("bp"), "a_id", "b_id", F.lit(1.0).alias("similarity")
        )
    )
    return across.unionByName(within)


def _warn(counters, bucket_cap: int, source) -> None:
    """Warnings of a run: capped buckets, and lines of a :class:`JsonLines`
    input that are no records."""
    giant, bad = counters
    if giant.value:
        warnings.warn(
            f"neardup.spark: {giant.value} bucket(s) of more than {bucket_cap} units "
            "(documents sharing one band key): each unit was paired with the next "
            f"{bucket_cap} only, so pairs inside them may be missing",
            stacklevel=3,
        )
    count, first = bad.value
    if count:
        start, message = first
        warnings.warn(
            f"neardup.spark: {source.path}: {count} line(s) are not records and were skipped; "
            f"the first seen ({start!r}…): {message}",
            stacklevel=3,
        )


def dedup(
    df,
    id_col: str = "id",
    text_col: str = "text",
    threshold: float = 0.8,
    granularity: str = "document",
    *,
    num_perm: int = 128,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    fn_weight: Optional[float] = None,
    bucket_cap: int = _neardup.DEFAULT_BUCKET_CAP,
    partitions: Optional[int] = None,
):
    """Every verified pair at or above ``threshold``: a DataFrame
    ``[a, b, similarity]`` (ids of the ``id_col`` column, ``a`` first in
    input order; rows in no particular order), with
    ``a_paragraph``/``b_paragraph`` at paragraph level. The same pairs as
    ``neardup dedup`` on the same records. ``df``: a DataFrame with the
    ``id_col`` and ``text_col`` columns, or a :class:`JsonLines` input
    (whose own fields then apply)."""
    _, _, F, _ = _spark_modules()
    docs, json_fields = _documents(df, id_col, text_col)
    verified, counters, named = _verified_pairs(
        docs, json_fields, threshold, granularity, num_perm, bands, rows, fn_weight, bucket_cap, partitions
    )
    out = verified
    if granularity == "paragraph":
        out = out.select(
            F.col("a_id").alias("a"),
            F.col("ap").alias("a_paragraph"),
            F.col("b_id").alias("b"),
            F.col("bp").alias("b_paragraph"),
            F.round("similarity", 6).alias("similarity"),
        )
    else:
        out = out.select(F.col("a_id").alias("a"), F.col("b_id").alias("b"), F.round("similarity", 6).alias("similarity"))
    out = out.persist()
    out.count()
    _warn(counters, bucket_cap, df)
    return out


def _components(edges, F):
    """Connected components of an edge DataFrame ``(u, v)`` (vertices of any
    orderable type): each vertex with the smallest vertex of its component,
    by alternating large-star and small-star operations (Kiveris et al.,
    "Connected components in MapReduce and beyond", SoCC 2014) until the
    edges stop changing."""
    e = (
        edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
        .where(F.col("u") != F.col("v"))
        .distinct()
        .localCheckpoint()
    )
    while True:
        # Large star: a vertex's larger neighbours attach to the smallest
        # vertex of its neighbourhood (itself included).
        both = e.unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v")))
        smallest = both.groupBy("u").agg(F.min("v").alias("m"))
        large = (
            both.join(smallest, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.least("m", "u").alias("v"))
            .distinct()
        )
        # Small star: a vertex and its smaller neighbours (edges are stored
        # larger → smaller) attach to the smallest of them.
        smallest = large.groupBy("u").agg(F.min("v").alias("m"))
        small = (
            large.join(smallest, "u")
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
            .unionByName(smallest.select("u", F.col("m").alias("v")))
            .where(F.col("u") != F.col("v"))
            .distinct()
            .localCheckpoint()
        )
        changed = small.exceptAll(e).limit(1).count() + e.exceptAll(small).limit(1).count()
        e = small
        if changed == 0:
            break
    roots = e.groupBy("u").agg(F.min("v").alias("root"))
    tops = e.select(F.col("v").alias("u")).distinct().join(roots, "u", "left_anti")
    return roots.unionByName(tops.select("u", F.col("u").alias("root")))


def _units(df, id_col, text_col, threshold, granularity, options):
    """Units in clusters: ``id``, ``paragraph`` (-1 at document level),
    ``nd`` (input position), ``length`` (of the text), ``root`` (the
    component's first unit) and ``cluster`` (its smallest id)."""
    _, _, F, _ = _spark_modules()
    bucket_cap = options.get("bucket_cap", _neardup.DEFAULT_BUCKET_CAP)
    docs, json_fields = _documents(df, id_col, text_col)
    verified, counters, named = _verified_pairs(
        docs,
        json_fields,
        threshold,
        granularity,
        options.get("num_perm", 128),
        options.get("bands"),
        options.get("rows"),
        options.get("fn_weight"),
        bucket_cap,
        options.get("partitions"),
    )
    # Materialised first: the components loop plans on a short lineage.
    verified = verified.localCheckpoint()
    vertex = lambda d, p: F.struct(F.col(d).alias("nd"), F.col(p).alias("paragraph"))  # noqa: E731
    edges = verified.select(vertex("a", "ap").alias("u"), vertex("b", "bp").alias("v"))
    comp = _components(edges, F)
    _, _, _, T = _spark_modules()

    @F.udf(returnType=T.LongType())
    def unit_bytes(text, paragraph):
        # Bytes of the unit's text, as the local run measures "longest".
        if paragraph < 0:
            return len((text or "").encode("utf-8"))
        return _neardup.paragraph_bytes(text or "", paragraph)

    units = (
        comp.select(F.col("u.nd").alias("nd"), F.col("u.paragraph").alias("paragraph"), "root")
        .join(named, "nd")
        .withColumn("length", unit_bytes(F.col("text"), F.col("paragraph")))
        .drop("text")
    )
    names = units.groupBy("root").agg(F.min("id").alias("cluster"))
    units = units.join(names, "root").persist()
    units.count()
    _warn(counters, bucket_cap, df)
    return units


def clusters(
    df,
    id_col: str = "id",
    text_col: str = "text",
    threshold: float = 0.8,
    granularity: str = "document",
    **options: Any,
):
    """Connected components of the verified pairs: a DataFrame
    ``[id, cluster]`` (``[id, paragraph, cluster]`` at paragraph level) with
    a row for every unit in a cluster (in no particular order), the cluster
    named by its smallest id.
    ``options``: ``num_perm``, ``bands``, ``rows``, ``fn_weight``,
    ``bucket_cap``, ``partitions``, as for :func:`dedup`; ``df`` as
    there."""
    units = _units(df, id_col, text_col, threshold, granularity, options)
    columns = ["id", "paragraph", "cluster"] if granularity == "paragraph" else ["id", "cluster"]
    return units.select(*columns)


def deduplicate(
    df,
    id_col: str = "id",
    text_col: str = "text",
    threshold: float = 0.8,
    granularity: str = "document",
    *,
    keep: str = "first",
    **options: Any,
):
    """The rows to keep, with all their columns: one document per cluster of
    near-duplicates (``keep``: ``"first"`` in input order, or
    ``"longest"``) and every document without one; at paragraph level every
    document, without its duplicate paragraphs. Ids must be unique."""
    _, _, F, T = _spark_modules()
    from pyspark.sql import Window

    if keep not in ("first", "longest"):
        raise ValueError(f'keep must be "first" or "longest", not {keep!r}')
    units = _units(df, id_col, text_col, threshold, granularity, options)
    order = [F.col("nd"), F.col("paragraph")]
    if keep == "longest":
        order = [F.col("length").desc()] + order
    ranked = units.withColumn("rank", F.row_number().over(Window.partitionBy("root").orderBy(*order)))
    removed = ranked.where(F.col("rank") > 1)
    if granularity != "paragraph":
        return df.join(removed.select(F.col("id").alias(id_col)), id_col, "left_anti")
    cut = removed.groupBy("id").agg(F.collect_list("paragraph").alias("__removed"))
    joined = df.join(cut.withColumnRenamed("id", id_col), id_col, "left")

    @F.udf(returnType=T.StringType())
    def strip(text, removed_paragraphs):
        if not removed_paragraphs:
            return text
        return _neardup.without_paragraphs(text or "", [int(p) for p in removed_paragraphs])

    return joined.withColumn(text_col, strip(F.col(text_col), F.col("__removed"))).drop("__removed")


def read(spark, path: str, fmt: Optional[str] = None, id_col: str = "id", text_col: str = "text"):
    """Reads JSON Lines or Parquet (by ``fmt``, else by the path's
    extension) with an explicit schema for JSON (no inference pass)."""
    _, _, _, T = _spark_modules()
    fmt = fmt or ("parquet" if path.rstrip("/").endswith(".parquet") else "json")
    if fmt == "parquet":
        return spark.read.parquet(path)
    schema = T.StructType(
        [T.StructField(id_col, T.StringType(), True), T.StructField(text_col, T.StringType(), True)]
    )
    return spark.read.schema(schema).json(path)


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m neardup.spark dedup INPUT --threshold T --output DIR``."""
    parser = argparse.ArgumentParser(prog="python -m neardup.spark")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dedup", help="every near-duplicate pair (or cluster, or the rows to keep)")
    d.add_argument("input", help="JSON Lines (id, text per line) or Parquet, file or folder")
    d.add_argument("--output", required=True, help="folder to write (JSON Lines or Parquet)")
    d.add_argument("--threshold", type=float, default=0.8)
    d.add_argument("--granularity", choices=["document", "paragraph"], default="document")
    d.add_argument("--id-field", help="id field, by name or dotted path (default: id; unlike the CLI, a record without one is not numbered by its line: its id is null)")
    d.add_argument("--text-field", default="text")
    d.add_argument("--input-format", choices=["json", "parquet"])
    d.add_argument("--output-format", choices=["json", "parquet"], default="json")
    what = d.add_mutually_exclusive_group()
    what.add_argument("--clusters", action="store_true", help="write [id, cluster] instead of pairs")
    what.add_argument("--keep", choices=["first", "longest"], help="write the deduplicated rows")
    d.add_argument(
        "--partitions", type=int, help="shuffle partitions (default: spark.sql.shuffle.partitions)"
    )
    args = parser.parse_args(argv)
    _, SparkSession, _, _ = _spark_modules()
    spark = SparkSession.builder.appName("neardup dedup").getOrCreate()
    if args.partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(args.partitions))
    id_field = args.id_field or "id"
    fmt = args.input_format or ("parquet" if args.input.rstrip("/").endswith(".parquet") else "json")
    common = dict(threshold=args.threshold, granularity=args.granularity, partitions=args.partitions)
    if args.keep:
        # The kept rows are the input's rows, with all their columns.
        df = read(spark, args.input, fmt, id_field, args.text_field)
        out = deduplicate(df, id_field, args.text_field, keep=args.keep, **common)
    else:
        # JSON Lines are read as the CLI reads them (see JsonLines).
        df = (
            JsonLines(spark, args.input, args.text_field, args.id_field)
            if fmt == "json"
            else read(spark, args.input, fmt, id_field, args.text_field)
        )
        find = clusters if args.clusters else dedup
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = find(df, id_field, args.text_field, **common)
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
        skipped = any("are not records" in str(w.message) for w in caught)
    writer = out.write.mode("overwrite")
    (writer.parquet if args.output_format == "parquet" else writer.json)(args.output)
    spark.stop()
    # As the CLI: input that had to be skipped makes the exit status 2.
    return 2 if not args.keep and skipped else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
