"""The README's Python and Spark examples run as written (from the
repository root, as the README says)."""

from __future__ import annotations

import os
import re

from conftest import ROOT


def blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, flags=re.S)


def run(code: str) -> None:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)


def test_the_python_example_runs():
    python = [b for b in blocks() if "pyspark" not in b]
    assert python
    for code in python:
        run(code)


def test_the_spark_example_runs(spark):
    examples = [b for b in blocks() if "pyspark" in b]
    assert examples
    for code in examples:
        run(code)
