#!/usr/bin/env python3
"""A worst case for dedup's memory: N one-word documents whose words are
drawn, with their corpus frequencies (Zipf-like), from the W most frequent
words of a JSON Lines corpus (e.g. the bench corpus). Every two documents
with the same word are a true pair, so the pairs number in the billions.

    python3 benches/one_word_corpus.py CORPUS.jsonl --docs 1000000 --words 7934 --out one-word.jsonl
"""
import argparse
import collections
import json
import random
import re

ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("--docs", type=int, default=1_000_000)
ap.add_argument("--words", type=int, default=7934)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--out", required=True)
args = ap.parse_args()

counts = collections.Counter()
with open(args.corpus, encoding="utf-8") as f:
    for line in f:
        counts.update(re.findall(r"\w+", json.loads(line)["text"].lower()))
        if len(counts) > 20 * args.words and sum(counts.values()) > 50 * args.docs:
            break
words, weights = zip(*counts.most_common(args.words))
rng = random.Random(args.seed)
drawn = rng.choices(words, weights=weights, k=args.docs)
with open(args.out, "w", encoding="utf-8") as out:
    for i, w in enumerate(drawn):
        out.write(json.dumps({"id": i, "text": w}) + "\n")
per_word = collections.Counter(drawn)
pairs = sum(n * (n - 1) // 2 for n in per_word.values())
print(f"{args.docs} documents, {len(per_word)} distinct words, {pairs:,} true pairs, largest group {max(per_word.values())}")
