#!/usr/bin/env python3
"""A crawl full of exact copies: N documents, a share of which are copies
of a few texts (each copy drawn uniformly from the first T documents of a
JSON Lines corpus, e.g. the bench corpus), the others the corpus's next
documents, shuffled. Dedup's document level collapses the copies to their
first; this measures what that saves.

    python3 benches/copies_corpus.py CORPUS.jsonl --docs 200000 --texts 1000 --share 0.5 --out copies.jsonl
"""
import argparse
import collections
import json
import random

ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("--docs", type=int, default=200_000)
ap.add_argument("--texts", type=int, default=1000)
ap.add_argument("--share", type=float, default=0.5)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--out", required=True)
args = ap.parse_args()

copied = round(args.docs * args.share)
wanted = args.texts + args.docs - copied
texts = []
with open(args.corpus, encoding="utf-8") as f:
    for line in f:
        texts.append(json.loads(line)["text"])
        if len(texts) == wanted:
            break
if len(texts) < wanted:
    raise SystemExit(f"{args.corpus}: {len(texts)} documents, {wanted} needed")
rng = random.Random(args.seed)
drawn = [rng.randrange(args.texts) for _ in range(copied)]
docs = [texts[t] for t in drawn] + texts[args.texts :]
rng.shuffle(docs)
with open(args.out, "w", encoding="utf-8") as out:
    for i, text in enumerate(docs):
        out.write(json.dumps({"id": i, "text": text}) + "\n")
per_text = collections.Counter(drawn)
pairs = sum(n * (n - 1) // 2 for n in per_text.values())
print(f"{args.docs} documents, {copied} copies of {len(per_text)} texts, {pairs:,} pairs among the copies, largest group {max(per_text.values())}")
