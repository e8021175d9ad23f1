"""neardup: near-duplicate and derived-text detection, from Python.

The same engine as the ``neardup`` command line (a Rust library; this package
calls it with the interpreter released, on all cores):

- :func:`compare` aligns a derived text with its source: passages with
  code-point offsets, kinds and scores, a verdict.
- :func:`dedup`, :func:`clusters` and :func:`deduplicate` find every pair of
  near-duplicate documents (or paragraphs) of a corpus with MinHash + LSH and
  verify each exactly; ``deduplicate`` returns what to keep.
- :class:`Index` builds, extends and queries the same index files as
  ``neardup index`` / ``neardup check``.
- :class:`Sketcher` exposes the building blocks of a distributed run (band
  keys as Arrow, exact verification); :mod:`neardup.spark` uses them.

Records are any iterable of ``(id, text)`` tuples or of dicts with
``id_column``/``text_column`` keys, a pyarrow ``Table``/``RecordBatch``, a
pandas ``DataFrame``, or a path (JSON Lines, a directory, text files — read
by the engine as the CLI reads them). Ids are strings or integers, kept as
given.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Optional, Sequence, Union

from . import _neardup
from ._neardup import NeardupError

__all__ = [
    "Comparison",
    "Index",
    "NeardupError",
    "Sketcher",
    "Span",
    "clusters",
    "compare",
    "dedup",
    "deduplicate",
]

__version__ = _neardup.__version__

Id = Union[str, int]


class Span:
    """One aligned passage: offsets in code points (``*_start``/``*_end``,
    end exclusive) and bytes (``*_byte_*``) of both texts, score, kind."""

    __slots__ = (
        "source_start",
        "source_end",
        "derived_start",
        "derived_end",
        "source_byte_start",
        "source_byte_end",
        "derived_byte_start",
        "derived_byte_end",
        "score",
        "kind",
    )

    def __init__(self, d: dict) -> None:
        for name in self.__slots__:
            setattr(self, name, d[name])

    def __repr__(self) -> str:
        return (
            f"Span({self.kind} {self.score:.3f}: source {self.source_start}..{self.source_end}, "
            f"derived {self.derived_start}..{self.derived_end})"
        )


class Comparison:
    """A derived text compared with its source. ``to_dict()`` is the object
    ``neardup compare --json`` prints."""

    def __init__(self, d: dict) -> None:
        self._d = d
        self.source: str = d["source"]
        self.derived: str = d["derived"]
        self.score: float = d["score"]
        self.verdict: str = d["verdict"]
        self.scores: dict = d["scores"]
        self.spans: list[Span] = [Span(s) for s in d["spans"]]

    @property
    def found(self) -> bool:
        """True if any passage was aligned."""
        return bool(self.spans)

    def to_dict(self) -> dict:
        """The JSON object of the CLI's ``compare --json``."""
        return json.loads(json.dumps(self._d))

    def __repr__(self) -> str:
        return f"Comparison({self.verdict}, score {self.score:.3f}, {len(self.spans)} passage(s))"


def _settings(config: Optional[dict], settings: dict) -> list[tuple[str, str]]:
    merged = dict(config or {})
    merged.update(settings)
    out = []
    for key, value in merged.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        out.append((str(key), str(value)))
    return out


def compare(
    source: str,
    derived: str,
    *,
    source_id: str = "source",
    derived_id: str = "derived",
    config: Optional[dict] = None,
    **settings: Any,
) -> Comparison:
    """Aligns the passages of ``derived`` that come from ``source``.

    Parameters are set by path, in ``config`` or as keyword arguments
    (``**{"align.seeds.min_cosine": 0.25}``, ``**{"verdict.derived_share":
    0.5}``): the fields of the library's ``Config``.
    """
    line = _neardup.compare(source, derived, source_id, derived_id, _settings(config, settings))
    return Comparison(json.loads(line))


def compare_many(
    pairs: Iterable[tuple[str, str]],
    *,
    config: Optional[dict] = None,
    **settings: Any,
) -> list[Comparison]:
    """Compares many ``(source, derived)`` text pairs in parallel."""
    items = [("source", s, "derived", d) for s, d in pairs]
    lines = _neardup.compare_many(items, _settings(config, settings))
    return [Comparison(json.loads(line)) for line in lines]


# Records ------------------------------------------------------------------


def _id_of(value: Any) -> tuple[str, bool]:
    if isinstance(value, bool):
        raise TypeError(f"an id must be a string or an integer, not {value!r}")
    if isinstance(value, int):
        return (str(value), True)
    if isinstance(value, str):
        return (value, False)
    raise TypeError(f"an id must be a string or an integer, not {type(value).__name__}")


def _is_path(records: Any) -> bool:
    return isinstance(records, (str, os.PathLike))


def _columns(records: Any, id_column: str, text_column: str) -> tuple[list, list[str]]:
    """(ids, texts) of in-memory records."""
    kind = type(records).__module__.split(".")[0]
    if kind == "pyarrow":
        table = records
        return table.column(id_column).to_pylist(), table.column(text_column).to_pylist()
    if kind == "pandas":
        return records[id_column].tolist(), records[text_column].tolist()
    ids, texts = [], []
    for n, record in enumerate(records):
        if isinstance(record, dict):
            ids.append(record[id_column])
            texts.append(record[text_column])
        elif isinstance(record, (tuple, list)) and len(record) == 2:
            ids.append(record[0])
            texts.append(record[1])
        else:
            raise TypeError(
                f"record {n}: expected an (id, text) tuple or a dict with "
                f"{id_column!r} and {text_column!r}, not {type(record).__name__}"
            )
    return ids, texts


def _texts(texts: Sequence[Any]) -> list[str]:
    out = []
    for n, t in enumerate(texts):
        if t is None:
            out.append("")
        elif isinstance(t, str):
            out.append(t)
        else:
            raise TypeError(f"record {n}: text must be a string, not {type(t).__name__}")
    return out


class _Run:
    """A dedup run over records: the engine's result and the records' ids."""

    def __init__(
        self,
        records: Any,
        threshold: float,
        granularity: str,
        id_column: str,
        text_column: str,
        num_perm: int,
        bands: Optional[int],
        rows: Optional[int],
        fn_weight: Optional[float],
    ) -> None:
        banding = (bands, rows) if bands is not None and rows is not None else None
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        args = (threshold, granularity, num_perm, banding, fn_weight)
        self.paragraph = granularity == "paragraph"
        if _is_path(records) or (
            isinstance(records, (list, tuple)) and records and all(_is_path(r) for r in records)
        ):
            paths = [os.fspath(records)] if _is_path(records) else [os.fspath(r) for r in records]
            self.result = _neardup.dedup_files(paths, *args)
            self.ids = [int(t) if number else t for t, number in self.result.ids()]
            self.texts = None
        else:
            ids, texts = _columns(records, id_column, text_column)
            self.texts = _texts(texts)
            self.result = _neardup.dedup_documents([_id_of(i) for i in ids], self.texts, *args)
            self.ids = list(ids)

    def unit(self, key: tuple[int, Optional[int]]) -> Any:
        doc, paragraph = key
        if paragraph is None:
            return self.ids[doc]
        return {"id": self.ids[doc], "paragraph": paragraph}

    def pairs(self) -> list[dict]:
        out = []
        for a, ap, b, bp, similarity in self.result.pairs():
            if ap is None:
                out.append({"a": self.ids[a], "b": self.ids[b], "similarity": similarity})
            else:
                out.append(
                    {
                        "a": self.ids[a],
                        "a_paragraph": ap,
                        "b": self.ids[b],
                        "b_paragraph": bp,
                        "similarity": similarity,
                    }
                )
        return out

    def clusters(self) -> list[dict]:
        out = []
        for members in self.result.clusters():
            first = members[0]
            cluster = {"cluster": self.ids[first[0]]}
            if first[1] is not None:
                cluster["cluster_paragraph"] = first[1]
            cluster["size"] = len(members)
            cluster["members"] = [self.unit(m) for m in members]
            out.append(cluster)
        return out


_DEDUP_DOC = """
    ``records``: see the module's documentation. ``threshold``: exact
    Jaccard similarity of word 5-gram shingles at or above which a pair is
    reported. ``granularity``: ``"document"``, or ``"paragraph"`` (blocks
    between blank lines, numbered from 0, pairs of different documents).
    ``num_perm``, ``bands``/``rows``, ``fn_weight``: the MinHash and LSH
    parameters (as the CLI's flags).
"""


def dedup(
    records: Any,
    threshold: float = 0.8,
    granularity: str = "document",
    *,
    id_column: str = "id",
    text_column: str = "text",
    num_perm: int = 128,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    fn_weight: Optional[float] = None,
) -> list[dict]:
    """Every verified pair at or above ``threshold``, as the CLI's
    ``dedup --json`` objects: ``{"a", "b", "similarity"}`` (paragraphs: also
    ``"a_paragraph"``, ``"b_paragraph"``), ``a`` first in input order.
    """
    run = _Run(records, threshold, granularity, id_column, text_column, num_perm, bands, rows, fn_weight)
    return run.pairs()


def clusters(
    records: Any,
    threshold: float = 0.8,
    granularity: str = "document",
    *,
    id_column: str = "id",
    text_column: str = "text",
    num_perm: int = 128,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    fn_weight: Optional[float] = None,
) -> list[dict]:
    """Connected components of the verified pairs, as the CLI's
    ``dedup --clusters --json`` objects: ``{"cluster", "size", "members"}``,
    a cluster named by its smallest member (numbers before strings).
    """
    run = _Run(records, threshold, granularity, id_column, text_column, num_perm, bands, rows, fn_weight)
    return run.clusters()


def deduplicate(
    records: Any,
    threshold: float = 0.8,
    granularity: str = "document",
    *,
    keep: str = "first",
    id_column: str = "id",
    text_column: str = "text",
    num_perm: int = 128,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    fn_weight: Optional[float] = None,
    return_removed: bool = False,
) -> Any:
    """What to keep: one document per cluster of near-duplicates (``keep``:
    ``"first"`` in input order, or ``"longest"``), every document without a
    near-duplicate. At paragraph level every document is kept, without its
    duplicate paragraphs. Returns the records in the input's own form (a
    list, a pyarrow Table, a pandas DataFrame); with ``return_removed``, also
    the list of ``{"id", "duplicate_of"}`` (paragraphs: with ``"paragraph"``
    and ``"duplicate_of_paragraph"``).
    """
    if _is_path(records):
        raise TypeError("deduplicate needs records in memory; for files use the CLI's dedup --output")
    items = records if _is_table(records) else list(records)
    run = _Run(items, threshold, granularity, id_column, text_column, num_perm, bands, rows, fn_weight)
    removals = run.result.removals(keep)
    removed_info = []
    for (doc, par), (kept_doc, kept_par) in removals:
        entry = {"id": run.ids[doc], "duplicate_of": run.ids[kept_doc]}
        if par is not None:
            entry["paragraph"] = par
            entry["duplicate_of_paragraph"] = kept_par
        removed_info.append(entry)
    if run.paragraph:
        cut: dict[int, list[int]] = {}
        for (doc, par), _ in removals:
            cut.setdefault(doc, []).append(par)
        new_texts = {
            doc: _neardup.without_paragraphs(run.texts[doc], pars) for doc, pars in cut.items()
        }
        kept = _with_texts(items, new_texts, text_column)
    else:
        dropped = {doc for (doc, _), _ in removals}
        kept = _without_rows(items, dropped)
    return (kept, removed_info) if return_removed else kept


def _is_table(records: Any) -> bool:
    return type(records).__module__.split(".")[0] in ("pyarrow", "pandas")


def _without_rows(items: Any, dropped: set[int]) -> Any:
    kind = type(items).__module__.split(".")[0]
    keep = [i for i in range(len(items)) if i not in dropped]
    if kind == "pyarrow":
        return items.take(keep)
    if kind == "pandas":
        return items.iloc[keep]
    return [items[i] for i in keep]


def _with_texts(items: Any, new_texts: dict[int, str], text_column: str) -> Any:
    kind = type(items).__module__.split(".")[0]
    if kind == "pyarrow":
        import pyarrow as pa

        texts = items.column(text_column).to_pylist()
        for i, t in new_texts.items():
            texts[i] = t
        index = items.schema.get_field_index(text_column)
        return items.set_column(index, text_column, pa.array(texts, type=items.schema.field(index).type))
    if kind == "pandas":
        out = items.copy()
        column = out.columns.get_loc(text_column)
        for i, t in new_texts.items():
            out.iat[i, column] = t
        return out
    out = []
    for i, record in enumerate(items):
        if i not in new_texts:
            out.append(record)
        elif isinstance(record, dict):
            out.append({**record, text_column: new_texts[i]})
        else:
            out.append(type(record)((record[0], new_texts[i])))
    return out


dedup.__doc__ += _DEDUP_DOC
clusters.__doc__ += _DEDUP_DOC
deduplicate.__doc__ += _DEDUP_DOC


# Index --------------------------------------------------------------------


class Index:
    """An index file, as written by ``neardup index build`` and read by
    ``neardup check``: texts, ids and band keys, checksummed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @staticmethod
    def build(
        path: Union[str, os.PathLike],
        records: Any,
        threshold: float = 0.8,
        paragraph_threshold: float = 0.8,
        *,
        id_column: str = "id",
        text_column: str = "text",
    ) -> "Index":
        """Builds an index of ``records`` (or of files: a path or a list of
        paths) at ``path``, replacing any file there atomically."""
        path = os.fspath(path)
        if _is_path(records) or (
            isinstance(records, (list, tuple)) and records and all(_is_path(r) for r in records)
        ):
            inputs = [os.fspath(records)] if _is_path(records) else [os.fspath(r) for r in records]
            return Index(_neardup.Index.build_files(path, inputs, threshold, paragraph_threshold))
        ids, texts = _columns(records, id_column, text_column)
        inner = _neardup.Index.build(path, [_id_of(i) for i in ids], _texts(texts), threshold, paragraph_threshold)
        return Index(inner)

    @staticmethod
    def open(path: Union[str, os.PathLike]) -> "Index":
        """Opens the index at ``path`` (checks version, hash scheme, checksums)."""
        return Index(_neardup.Index.open(os.fspath(path)))

    def add(self, records: Any, *, id_column: str = "id", text_column: str = "text") -> int:
        """Adds records (rewriting the file atomically); the number of
        documents now indexed."""
        ids, texts = _columns(records, id_column, text_column)
        return self._inner.add([_id_of(i) for i in ids], _texts(texts))

    def remove(self, ids: Iterable[Id]) -> tuple[int, list[str]]:
        """Removes documents by id; (how many were removed, ids not found)."""
        return self._inner.remove([str(i) for i in ids])

    def check(
        self,
        records: Any,
        *,
        fail_on: float = 0.0,
        include_self: bool = False,
        id: Id = "document",
        id_column: str = "id",
        text_column: str = "text",
    ) -> list[dict]:
        """The findings of checking ``records`` (or one text, named ``id``)
        against the index, as the CLI's ``check --format json`` objects,
        highest score first (ties in input order), as the CLI sorts them."""
        if isinstance(records, str):
            ids, texts = [id], [records]
        else:
            ids, texts = _columns(records, id_column, text_column)
        per_record = self._inner.check([_id_of(i) for i in ids], _texts(texts), fail_on, include_self)
        found = [json.loads(f) for findings in per_record for f in findings]
        # Stable: equal scores stay in input order, as in the library.
        return sorted(found, key=lambda f: -f["score"])

    def stats(self) -> dict:
        """The figures of ``neardup index stats --json``."""
        return json.loads(self._inner.stats())

    def __len__(self) -> int:
        return len(self._inner)


# Distributed building blocks ----------------------------------------------


class Sketcher:
    """The fingerprints of a deduplication run, for engines that distribute
    it (Spark): band keys of texts and exact verification of candidate pairs,
    computed exactly as :func:`dedup` computes them on one machine."""

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        granularity: str = "document",
        *,
        bands: Optional[int] = None,
        rows: Optional[int] = None,
        fn_weight: Optional[float] = None,
    ) -> None:
        banding = (bands, rows) if bands is not None and rows is not None else None
        self._inner = _neardup.Sketcher(threshold, granularity, num_perm, banding, fn_weight)
        self.threshold = threshold
        self.granularity = granularity

    @property
    def banding(self) -> tuple[int, int]:
        """(bands, rows)."""
        return self._inner.banding

    def band_keys(self, texts: Any, ids: Any = None) -> Any:
        """A pyarrow Table of band keys, one row per (unit, band): ``id``
        (when ``ids`` is given: the id of each text, any Arrow-compatible
        sequence), ``row`` (position of the text, uint32), ``paragraph``
        (int32, -1 for a whole document), ``band`` (int16), ``key`` (the
        full 64-bit band hash as int64) and ``unit_hash``,
        ``unit_hash_high`` (the 128-bit hash of the unit's text as two
        int64: equal for identical units). ``texts``: a pyarrow string
        array (read without copying), chunked array, or a list of strings."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if ids is not None:
            keys = self.band_keys(texts)
            id_array = ids if isinstance(ids, (pa.Array, pa.ChunkedArray)) else pa.array(list(ids))
            return keys.add_column(0, "id", pc.take(id_array, keys.column("row")))
        if isinstance(texts, pa.ChunkedArray):
            tables = []
            base = 0
            for chunk in texts.chunks:
                t = self.band_keys(chunk)
                if base:
                    t = t.set_column(0, "row", pc.add(t.column("row"), pa.scalar(base, pa.uint32())))
                tables.append(t)
                base += len(chunk)
            return pa.concat_tables(tables) if tables else self.band_keys([])
        if isinstance(texts, pa.Array) and (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
            columns = self._inner.band_keys_arrow(_var_array(texts))
        else:
            columns = self._inner.band_keys_list(_texts(list(texts)))
        return _key_table(columns)

    def verify(self, pairs: Any, texts: Sequence[str]) -> list[float]:
        """Exact Jaccard similarity of each candidate pair, as the local run
        verifies it. ``pairs``: ``(a, a_paragraph, b, b_paragraph)`` tuples
        of positions in ``texts`` (paragraph -1 or None for a whole text), or
        a pyarrow Table with columns ``row_a``, ``paragraph_a``, ``row_b``,
        ``paragraph_b``."""
        if type(pairs).__module__.split(".")[0] == "pyarrow":
            rows = zip(*(pairs.column(c).to_pylist() for c in ("row_a", "paragraph_a", "row_b", "paragraph_b")))
        else:
            rows = pairs
        a_texts, a_units, b_texts, b_units = [], [], [], []
        unit = lambda p: -1 if p is None else p  # noqa: E731
        for a, ap, b, bp in rows:
            a_texts.append(texts[a])
            a_units.append(unit(ap))
            b_texts.append(texts[b])
            b_units.append(unit(bp))
        return self.verify_texts(a_texts, a_units, b_texts, b_units)

    def verify_texts(
        self,
        a_texts: Sequence[str],
        a_units: Sequence[int],
        b_texts: Sequence[str],
        b_units: Sequence[int],
    ) -> list[float]:
        """Exact Jaccard similarity of each pair: unit ``a_units[i]`` (-1 for
        the whole text, else a paragraph number) of ``a_texts[i]`` with unit
        ``b_units[i]`` of ``b_texts[i]``."""
        return self._inner.verify(_texts(list(a_texts)), list(a_units), _texts(list(b_texts)), list(b_units))


def _var_array(array: Any) -> tuple:
    """An Arrow string or binary array as the buffers the extension reads
    without copying: ``(offsets, data, validity, offset, length, large)``,
    each buffer as ``(address, size)``. The caller holds ``array`` for the
    call."""
    import pyarrow as pa

    validity, offsets, data = array.buffers()
    region = lambda b: (b.address, b.size) if b is not None else (0, 0)  # noqa: E731
    large = pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type)
    return (
        region(offsets),
        region(data),
        region(validity) if validity is not None else None,
        array.offset,
        len(array),
        large,
    )


def _key_table(columns: tuple[bytes, bytes, bytes, bytes, bytes, bytes]) -> Any:
    import pyarrow as pa

    rows, paragraphs, bands, keys, hashes, hashes_high = columns
    n = len(rows) // 4
    array = lambda t, b: pa.Array.from_buffers(t, n, [None, pa.py_buffer(b)])  # noqa: E731
    return pa.Table.from_arrays(
        [
            array(pa.uint32(), rows),
            array(pa.int32(), paragraphs),
            array(pa.int16(), bands),
            array(pa.int64(), keys),
            array(pa.int64(), hashes),
            array(pa.int64(), hashes_high),
        ],
        names=["row", "paragraph", "band", "key", "unit_hash", "unit_hash_high"],
    )
