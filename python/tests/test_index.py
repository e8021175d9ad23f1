"""Index: the same files as `neardup index` / `neardup check`."""

from __future__ import annotations

import json
import subprocess

import pytest

import neardup


def test_an_index_built_in_python_is_checked_by_the_cli_and_back(cli, records, tmp_path):
    path = tmp_path / "corpus.ndx"
    index = neardup.Index.build(path, records[:500])
    assert len(index) == 500
    new = [{"id": f"{r['id']}-new", "text": r["text"]} for r in records[:20]]
    new_file = tmp_path / "new.jsonl"
    new_file.write_text("".join(json.dumps(r) + "\n" for r in new), encoding="utf-8")
    out = subprocess.run(
        [str(cli), "check", str(path), "--jsonl", str(new_file), "--format", "json", "-q"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1, out.stderr
    from_cli = [json.loads(line) for line in out.stdout.splitlines()]
    from_python = index.check(new)
    # The CLI names the file and line; Python, the record's id.
    strip = lambda f: {k: v for k, v in f.items() if k not in ("file", "line", "end_line")}  # noqa: E731
    assert [strip(f) for f in from_python] == [strip(f) for f in from_cli]
    assert neardup.Index.open(path).stats()["documents"] == 500


def test_add_remove_and_self_matches(records, tmp_path):
    path = tmp_path / "i.ndx"
    index = neardup.Index.build(path, records[:50])
    assert index.add(records[50:60]) == 60
    with pytest.raises(neardup.NeardupError, match="duplicate id"):
        index.add(records[:1])
    first = records[0]
    assert index.check([first]) == [f for f in index.check([first]) if f["indexed_id"] != first["id"]]
    assert any(f["indexed_id"] == first["id"] for f in index.check([first], include_self=True))
    removed, missing = index.remove([first["id"], "nope"])
    assert (removed, missing) == (1, ["nope"])
    assert len(index) == 59
    assert all(f["indexed_id"] != first["id"] for f in index.check([first], include_self=True))


def test_a_text_is_checked_under_its_id(records, tmp_path):
    index = neardup.Index.build(tmp_path / "i.ndx", records[:100])
    findings = index.check(records[3]["text"], id="draft.txt")
    assert findings and all(f["id"] == "draft.txt" for f in findings)
    assert {f["rule"] for f in findings} <= {"near-duplicate", "paragraph-reuse"}
    assert all(f["fails"] for f in findings)
    assert not any(f["fails"] for f in index.check(records[3]["text"], fail_on=1.01))


def test_a_damaged_index_is_an_error(tmp_path, records):
    path = tmp_path / "i.ndx"
    neardup.Index.build(path, records[:10])
    data = bytearray(path.read_bytes())
    data[8] = 99  # the format version
    path.write_bytes(bytes(data))
    with pytest.raises(neardup.NeardupError) as e:
        neardup.Index.open(path)
    assert e.value.kind == "Version" and "version 99" in str(e.value)
