#!/usr/bin/env python3
"""neardup's Spark job beside text-dedup's Spark MinHash, in one run.

Runs each tool in its own `spark-submit` (local[2], driver memory 4g) on the
bench generator's corpus, measures wall time and the peak resident memory of
the whole process tree (JVM and Python workers), and scores what each found
against the exact truth of `../shared/bench/truth.py` at the same threshold:

- neardup on JSON Lines and on Parquet: its pairs; and `--keep first` from
  Parquet (neardup-keep): the deduplicated dataset, as text-dedup writes it;
- text-dedup 0.4.0 (`minhash_spark.py`, same threshold, 128 permutations,
  5-word shingles) as published (8,192 shuffle partitions) and with its
  partition counts scaled to 16: the pairs implied by its clusters, and the
  documents it removes;
- `neardup dedup` on one machine, for reference.

Only ratios within one run mean anything (shared, noisy machine).

Usage (from the repository root, via python/bench/spark_bench.sh, which
makes the virtual environment): spark_bench.py --docs 200000
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JVM_OPTIONS = "-XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5 -XX:G1PeriodicGCInterval=1000"
SHARED = ROOT.parent / "shared" / "bench"
HERE = Path(__file__).resolve().parent


def tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in KB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            with open(f"/proc/{entry}/status") as f:
                kb = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kb
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def measured(cmd: list[str], env: dict, log: Path, stdout: Path | None = None) -> tuple[float, int, int]:
    """Runs `cmd` (output to `log`, or stdout to `stdout`); (wall seconds,
    peak tree RSS in MB, exit code)."""
    start = time.time()
    with open(log, "w") as out, open(stdout or os.devnull, "w") as std:
        target = std if stdout else out
        proc = subprocess.Popen(cmd, env=env, stdout=target, stderr=out, cwd=ROOT)
        peak = 0
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_kb(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
    return time.time() - start, peak // 1024, code


def norm(a, b) -> tuple:
    return (a, b) if a <= b else (b, a)


def truth(corpus: Path, threshold: float, work: Path) -> set:
    path = work / f"truth-{corpus.stem}.tsv"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(SHARED / "truth.py"), str(corpus), "--min", "0.5", "--out", str(path)],
            check=True,
        )
    pairs = set()
    for line in path.read_text().splitlines():
        a, b, j = line.split("\t")
        if float(j) >= threshold:
            pairs.add(norm(a, b))
    return pairs


def removed_in_truth(pairs: set) -> int:
    """Documents a perfect deduplicator removes: all but one per cluster."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    members = {find(x) for x in parent}
    return len(parent) - len(members)


def scores(found: set, true: set) -> tuple[float, float]:
    hit = len(found & true)
    return (hit / len(found) if found else 1.0, hit / len(true) if true else 1.0)


def json_parts(folder: Path):
    for part in sorted(folder.glob("part-*")):
        with open(part, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def neardup_pairs(folder: Path) -> set:
    return {norm(str(d["a"]), str(d["b"])) for d in json_parts(folder)}


def text_dedup_script(work: Path, scaled: bool) -> Path:
    """text-dedup's script as installed, or a copy with its partition counts
    scaled to 16 (written to the work folder; never committed)."""
    import importlib.util

    spec = importlib.util.find_spec("text_dedup")
    source = Path(spec.submodule_search_locations[0]) / "minhash_spark.py"
    if not scaled:
        return source
    text = source.read_text()
    for old, new in [
        ('"spark.sql.shuffle.partitions", "8192"', '"spark.sql.shuffle.partitions", "16"'),
        ('"spark.default.parallelism", "100"', '"spark.default.parallelism", "16"'),
        (".repartition(4096)", ".repartition(16)"),
        ("max(256, min(", "max(16, min("),
    ]:
        assert old in text, f"text-dedup's script changed: {old!r} not found"
        text = text.replace(old, new)
    copy = work / "minhash_spark_scaled16.py"
    copy.write_text(text)
    return copy


def text_dedup_found(
    spark_python: str, parquet: Path, output: str, env: dict, work: Path, parallelism: int
) -> tuple[set, int]:
    """Pairs implied by text-dedup's clusters (mapped back to document ids
    by recomputing its row numbers on the same input, split into the same
    partitions: its `spark.default.parallelism` decides the file splits)
    and documents removed."""
    script = work / "map_ids.py"
    script.write_text(
        "import sys, json\n"
        "from pyspark.sql import SparkSession, functions as F\n"
        "spark = SparkSession.builder.master('local[2]').config('spark.default.parallelism', sys.argv[5]).getOrCreate()\n"
        "df = spark.read.option('mergeSchema', 'true').parquet(sys.argv[1]).withColumn('__id__', F.monotonically_increasing_id())\n"
        "a = spark.read.parquet(sys.argv[2]).withColumnRenamed('id', 'vertex')\n"
        "a = a.join(df.select('__id__', F.col('id').alias('doc')), F.col('vertex') == F.col('__id__'))\n"
        "kept = spark.read.parquet(sys.argv[3]).count()\n"
        "rows = a.select('component', 'doc').collect()\n"
        "json.dump({'kept': kept, 'members': [[r['component'], r['doc']] for r in rows]}, open(sys.argv[4], 'w'))\n"
    )
    out = work / f"{Path(output).name}-map.json"
    subprocess.run(
        [spark_python, str(script), str(parquet), f"{output}-assignment/assignment.parquet", output, str(out), str(parallelism)],
        check=True,
        env=env,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    comps: dict = {}
    for comp, doc in data["members"]:
        comps.setdefault(comp, []).append(str(doc))
    pairs = {norm(a, b) for docs in comps.values() for a, b in combinations(sorted(docs), 2)}
    return pairs, data["kept"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--work", default=str(ROOT / ".bench-work" / "spark"))
    ap.add_argument("--runs", default="local,neardup-json,neardup-parquet,neardup-keep,text-dedup-16,text-dedup-published")
    ap.add_argument("--driver-memory", default="4g")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "neardup"))
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{a.docs}.jsonl"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(SHARED / "gen_corpus.py"), "--docs", str(a.docs), "--out", str(corpus)], check=True
        )
    parquet = work / f"corpus-{a.docs}.parquet"
    if not parquet.exists():
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
        table = pa.table({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows]})
        table = table.append_column("content", table.column("text"))
        parquet.mkdir()
        pq.write_table(table, parquet / "part-0.parquet", row_group_size=20_000)
    true = truth(corpus, a.threshold, work)
    spark_submit = str(Path(sys.executable).parent / "spark-submit")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    # Every Spark run gets the same settings; the JVM options let G1 give
    # back heap it no longer uses (the process tree's peak is measured).
    submit = [spark_submit, "--master", "local[2]", "--driver-memory", a.driver_memory,
              "--conf", "spark.ui.showConsoleProgress=false", "--conf", "spark.ui.enabled=false",
              "--conf", f"spark.driver.extraJavaOptions={JVM_OPTIONS}"]
    rows = []
    for run in a.runs.split(","):
        out = work / f"out-{run}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(f"{out}-assignment", ignore_errors=True)
        log = work / f"{run}.log"
        if run == "local":
            pairs_file = out.with_suffix(".jsonl")
            cmd = [a.bin, "dedup", str(corpus), "--threshold", str(a.threshold), "--json", "-q"]
            secs, mb, code = measured(cmd, env, log, stdout=pairs_file)
            found = {norm(str(d["a"]), str(d["b"])) for d in map(json.loads, pairs_file.read_text().splitlines())}
            removed = removed_in_truth(found)
        elif run.startswith("neardup"):
            import neardup.spark

            # neardup-keep does what text-dedup does: writes the deduplicated
            # dataset (from Parquet, all columns), scored by what it keeps.
            keep = run == "neardup-keep"
            fmt = "parquet" if keep or run.endswith("parquet") else "json"
            source = parquet if fmt == "parquet" else corpus
            cmd = submit + [neardup.spark.__file__, "dedup", str(source), "--threshold", str(a.threshold),
                            "--output", str(out), "--input-format", fmt, "--partitions", "8"]
            secs, mb, code = measured(cmd + (["--keep", "first"] if keep else []), env, log)
            if keep:
                kept = sum(1 for _ in json_parts(out)) if code == 0 else a.docs
                rows.append((run, secs, mb, None, a.docs - kept, None, None, code))
                print(f"{run}: {secs:.1f} s, {mb} MB, {a.docs - kept} removed, exit {code}", flush=True)
                continue
            found = neardup_pairs(out) if code == 0 else set()
            removed = removed_in_truth(found)
        else:
            script = text_dedup_script(work, scaled=run.endswith("16"))
            cmd = submit + [str(script), "--input", str(parquet), "--output", str(out), "--threshold", str(a.threshold),
                            "--num_perm", "128", "--ngram_size", "5", "--column", "content", "--debug",
                            "--checkpoint_dir", str(work / "checkpoints")]
            secs, mb, code = measured(cmd, env, log)
            if code == 0:
                parallelism = 16 if run.endswith("16") else 100
                found, kept = text_dedup_found(sys.executable, parquet, str(out), env, work, parallelism)
                removed = a.docs - kept
            else:
                found, removed = set(), 0
        precision, recall = scores(found, true)
        rows.append((run, secs, mb, len(found), removed, precision, recall, code))
        print(f"{run}: {secs:.1f} s, {mb} MB, {len(found)} pairs, {removed} removed, P {precision:.3f} R {recall:.3f}, exit {code}", flush=True)
    print()
    print(f"{a.docs:,} documents, threshold {a.threshold}; exact truth: {len(true):,} pairs, {removed_in_truth(true):,} documents to remove")
    print()
    print("| run | wall s | peak RSS MB (process tree) | pairs | documents removed | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for run, secs, mb, n, removed, p, r, code in rows:
        mem = f"{mb:,}"
        status = "" if code == 0 else f" (exit {code})"
        if n is None:  # a run scored by the documents it keeps only
            print(f"| {run}{status} | {secs:.1f} | {mem} | — | {removed:,} | — | — |")
        else:
            print(f"| {run}{status} | {secs:.1f} | {mem} | {n:,} | {removed:,} | {p:.3f} | {r:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
