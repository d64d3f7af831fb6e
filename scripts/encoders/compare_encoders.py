"""Dense passage ranking of one ONNX sentence encoder on a Witness index's passages.

Each passage is embedded with the context header Witness puts in front of it (title, author,
year), mean-pooled and normalised; each answerable question of the sets is ranked against every
passage by cosine (exact search). Prints, per set, the answerable questions, how many have a
passage holding a gold quote first, and in the first three; then the mean time to embed one
question. Used in session 11 to compare all-mpnet-base-v2 with the vendored e5-small-v2
(docs/quality.md, "Other levers measured in session 11").

    python scripts/encoders/compare_encoders.py --index INDEX/gen-… --corpus DIR --sets a.jsonl,b.jsonl \\
        --onnx MODEL.onnx --tokenizer tokenizer.json [--query-prefix 'query: ' --passage-prefix 'passage: '] \\
        [--token-types] [--max-tokens 512] [--threads 2]

Needs numpy, onnxruntime and tokenizers (scripts/bench/requirements-ort.txt).
"""
import argparse
import ast
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def passages_of(generation: str) -> list:
    """(sourceId, start, end, header + text) for every passage of the index's documents.json."""
    with open(os.path.join(generation, "documents.json"), encoding="utf-8") as handle:
        documents = json.load(handle)["documents"]
    found = []
    for document in documents:
        meta = document["meta"] if isinstance(document["meta"], dict) else ast.literal_eval(document["meta"])
        chunks = document["chunks"] if isinstance(document["chunks"], list) else ast.literal_eval(document["chunks"])
        parts = [meta["title"]]
        who = meta.get("author") or meta.get("publisher")
        if who and who not in meta["title"]:
            parts.append(who)
        year = (meta.get("date") or "")[:4]
        if year and year not in meta["title"]:
            parts.append(year)
        header = ", ".join(parts) + "."
        for chunk in chunks:
            text = document["text"][chunk["start"]:chunk["end"]]
            found.append((document["sourceId"], chunk["start"], chunk["end"], f"{header}\n{text}"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True, help="a generation folder of a Witness index")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--sets", required=True, help="comma-separated question sets")
    parser.add_argument("--onnx", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--query-prefix", default="")
    parser.add_argument("--passage-prefix", default="")
    parser.add_argument("--token-types", action="store_true", help="the graph takes token_type_ids (BERT)")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = ort.InferenceSession(args.onnx, options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_tokens)

    def embed(texts: list, batch: int = 16) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = [None] * len(texts)
        for at in range(0, len(order), batch):
            rows = order[at:at + batch]
            encoded = tokenizer.encode_batch([texts[i] for i in rows])
            width = max(len(e.ids) for e in encoded)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for j, e in enumerate(encoded):
                ids[j, :len(e.ids)] = e.ids
                mask[j, :len(e.ids)] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if args.token_types:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
            for j, i in enumerate(rows):
                vectors[i] = pooled[j]
        return np.stack(vectors)

    passages = passages_of(args.index)
    started = time.time()
    passage_vectors = embed([args.passage_prefix + p[3] for p in passages])
    print(f"{len(passages)} passages embedded in {time.time() - started:.0f} s", flush=True)
    texts: dict = {}
    per_question = []
    for set_file in args.sets.split(","):
        with open(set_file, encoding="utf-8") as handle:
            questions = [json.loads(line) for line in handle if line.strip()]
        questions = [q for q in questions if q.get("kind") != "unanswerable" and q.get("answers")]
        started = time.time()
        question_vectors = embed([args.query_prefix + q["question"] for q in questions], batch=1)
        per_question.append((time.time() - started) / max(1, len(questions)))
        first = in_three = 0
        for question, row in zip(questions, question_vectors @ passage_vectors.T):
            spans = []
            for answer in question["answers"]:
                if answer["doc"] not in texts:
                    with open(os.path.join(args.corpus, answer["doc"]), encoding="utf-8") as handle:
                        texts[answer["doc"]] = handle.read()
                text = texts[answer["doc"]]
                at = text.find(answer["quote"])
                while at >= 0:
                    spans.append((answer["doc"], at, at + len(answer["quote"])))
                    at = text.find(answer["quote"], at + 1)

            def holds(i: int) -> bool:
                source, start, end, _ = passages[i]
                return any(source == doc and start < stop and begin < end for doc, begin, stop in spans)

            best = np.argsort(-row)[:3]
            first += holds(best[0])
            in_three += any(holds(i) for i in best)
        print(os.path.basename(set_file), len(questions), first, in_three, flush=True)
    print(f"question ms ({args.threads} threads, one at a time): {1000 * float(np.mean(per_question)):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
