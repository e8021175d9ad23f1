"""compare: the same engine and the same JSON as `neardup compare --json`."""

from __future__ import annotations

import pytest

import neardup
from conftest import ROOT, run_cli

PAIRS = [
    ("fixtures/wire/story.txt", "fixtures/wire/edited.txt"),
    ("fixtures/wire/story.txt", "fixtures/wire/rewrite.txt"),
    ("fixtures/wire/story.txt", "fixtures/wire/same_topic.txt"),
    ("fixtures/news/paraphrase/source.txt", "fixtures/news/paraphrase/derived.txt"),
]


@pytest.mark.parametrize("source,derived", PAIRS)
def test_compare_equals_the_cli(cli, source, derived):
    expected = run_cli(cli, "compare", source, derived)[0]
    text = lambda p: (ROOT / p).read_text(encoding="utf-8")  # noqa: E731
    c = neardup.compare(text(source), text(derived), source_id=source, derived_id=derived)
    assert c.to_dict() == expected
    assert c.found == bool(expected["spans"])
    assert c.verdict == expected["verdict"]
    for span, e in zip(c.spans, expected["spans"]):
        assert (span.derived_start, span.derived_end, span.kind) == (
            e["derived_start"],
            e["derived_end"],
            e["kind"],
        )


def test_offsets_are_code_points_of_the_texts():
    source = "Ünïcödé prefix. " + "The harbour master said the channel would reopen on Wednesday morning. " * 3
    derived = "Ça: " + source
    c = neardup.compare(source, derived)
    assert c.found
    span = c.spans[0]
    copied = derived[span.derived_start : span.derived_end]
    assert copied in derived and copied.strip() == copied
    assert derived.encode()[span.derived_byte_start : span.derived_byte_end].decode() == copied


def test_settings_change_the_engine_and_bad_ones_are_errors():
    source = (ROOT / PAIRS[0][0]).read_text(encoding="utf-8")
    derived = (ROOT / PAIRS[0][1]).read_text(encoding="utf-8")
    default = neardup.compare(source, derived)
    # Every passage is edited or verbatim; with the verbatim bar at 0 all are verbatim.
    loose = neardup.compare(source, derived, **{"align.kinds.verbatim_similarity": 0.0})
    assert {s.kind for s in loose.spans} == {"verbatim"} != {s.kind for s in default.spans}
    with pytest.raises(neardup.NeardupError) as e:
        neardup.compare(source, derived, **{"align.seeds.min_cosine": "high"})
    assert e.value.kind == "Config"
    assert "align.seeds.min_cosine" in str(e.value)
    with pytest.raises(neardup.NeardupError):
        neardup.compare(source, derived, config={"verdict.derived_share": 2})


def test_compare_many_keeps_the_order():
    a, b = "one two three four five six seven eight nine ten. " * 4, "x y z " * 10
    results = neardup.compare_many([(a, a), (a, b), (b, b)])
    assert [r.found for r in results] == [True, False, True]
