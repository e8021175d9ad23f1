#!/usr/bin/env bash
# neardup's Spark job beside text-dedup 0.4.0's Spark MinHash, in one run:
#   python/bench/spark_bench.sh [--docs 200000] [--runs local,neardup-json,…]
# Run from the repository root after `cargo build --release`. Creates the
# virtual environment .venv-spark-bench (neardup[spark] from this checkout,
# text-dedup 0.4.0 with only what its Spark script imports) and writes to
# .bench-work/spark.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.venv-spark-bench
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q './python[spark]'
  # text-dedup's Spark script imports numpy, scipy, xxhash and pyspark only;
  # the package's other dependencies (datasets, unisim, …) are not needed.
  "$VENV/bin/pip" install -q --no-deps text-dedup==0.4.0
  "$VENV/bin/pip" install -q numpy scipy xxhash
fi
exec "$VENV/bin/python" python/bench/spark_bench.py "$@"
