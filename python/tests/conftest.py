"""Shared fixtures: the CLI built from the same crate (to compare outputs
with), the seed-7 bench corpus of 2,000 documents, and Spark.

Tests that need what is not here (``../shared``, Java, pyspark) are skipped
with the reason, which ``pytest -rs`` lists; with ``NEARDUP_REQUIRE_ALL=1``
(set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def need(condition: bool, reason: str) -> None:
    """Skips (or, in CI, fails) unless `condition`."""
    if condition:
        return
    if os.environ.get("NEARDUP_REQUIRE_ALL") == "1":
        pytest.fail(f"required but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `neardup` binary of this checkout (NEARDUP_BIN, or target/release)."""
    binary = Path(os.environ.get("NEARDUP_BIN", ROOT / "target" / "release" / "neardup"))
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return binary


def run_cli(cli: Path, *args: str) -> list[dict]:
    out = subprocess.run([str(cli), *args, "--json"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode in (0, 1), out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The bench generator's corpus, seed 7: 2,000 documents, or as many as
    NEARDUP_TEST_DOCS says (the equality checks at 20k and 200k in README)."""
    generator = SHARED / "bench" / "gen_corpus.py"
    need(generator.exists(), "needs ../shared/bench/gen_corpus.py")
    docs = os.environ.get("NEARDUP_TEST_DOCS", "2000")
    path = tmp_path_factory.mktemp("corpus") / f"corpus-{docs}.jsonl"
    subprocess.run(
        [sys.executable, str(generator), "--docs", docs, "--seed", "7", "--out", str(path)],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture(scope="session")
def records(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def spark():
    """A local[2] Spark session whose Python workers run this interpreter."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        need(False, "needs pyspark (pip install './python[spark]')")
    need(shutil.which("java") is not None or "JAVA_HOME" in os.environ, "needs Java 17 for Spark")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("neardup tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
