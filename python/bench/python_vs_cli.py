#!/usr/bin/env python3
"""`neardup.dedup` in Python beside `neardup dedup` on the same corpus:
median wall time of N runs each (records in memory, the path, the CLI).

Usage, from the repository root after `cargo build --release` and
`pip install ./python`:
    python python/bench/python_vs_cli.py CORPUS.jsonl [--runs 5] [--threshold 0.8]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

import neardup


def median_seconds(run, times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--bin", default=str(Path(__file__).resolve().parents[2] / "target" / "release" / "neardup"))
    a = ap.parse_args()
    with open(a.corpus, encoding="utf-8") as f:
        records = [(r["id"], r["text"]) for r in map(json.loads, f)]
    cli = [a.bin, "dedup", a.corpus, "--threshold", str(a.threshold), "--json", "-q"]
    pairs = {
        "CLI": len(subprocess.run(cli, capture_output=True, text=True).stdout.splitlines()),
        "records": len(neardup.dedup(records, threshold=a.threshold)),
        "path": len(neardup.dedup(a.corpus, threshold=a.threshold)),
    }
    assert len(set(pairs.values())) == 1, pairs
    cli_s = median_seconds(lambda: subprocess.run(cli, capture_output=True, check=False), a.runs)
    rec_s = median_seconds(lambda: neardup.dedup(records, threshold=a.threshold), a.runs)
    path_s = median_seconds(lambda: neardup.dedup(a.corpus, threshold=a.threshold), a.runs)
    print(f"{len(records):,} documents, {pairs['CLI']:,} pairs, median of {a.runs}")
    print(f"neardup dedup (CLI):            {cli_s:.3f} s")
    print(f"neardup.dedup(records):         {rec_s:.3f} s  ({rec_s / cli_s:.2f}x the CLI)")
    print(f"neardup.dedup(path):            {path_s:.3f} s  ({path_s / cli_s:.2f}x the CLI)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
