"""Python onnxruntime on the texts embed-parallel.ts embeds, with the same int8 model file.

The peer the ingest issue measured by hand: the model file Witness ships, run by Python
onnxruntime with Hugging Face `tokenizers`, mean pooling and L2 normalisation, texts sorted by
length and cut into batches. It reads the texts embed-parallel.ts wrote (with the model's
passage prefix already on) and prints one JSON object: tokens/s for each batch size asked for.

    python scripts/bench/ort_peer.py --texts FILE --model ONNX --tokenizer JSON [--threads 2] [--batches 32,1]

Needs numpy, onnxruntime and tokenizers (requirements-ort.txt).
"""
import argparse
import json
import os
import sys
import time

try:
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer
except ImportError as error:  # the wrong interpreter or venv
    print(f"ort_peer.py: {error}; install scripts/bench/requirements-ort.txt", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batches", default="32,1")
    args = parser.parse_args()
    try:
        with open(args.texts, encoding="utf-8") as handle:
            texts = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"ort_peer.py: cannot read {args.texts}: {error}", file=sys.stderr)
        return 2
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=512)
    encoded = tokenizer.encode_batch(texts)
    tokens = sum(len(e.ids) for e in encoded)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    wants_types = any(i.name == "token_type_ids" for i in session.get_inputs())
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))

    def run(batch: int) -> float:
        started = time.perf_counter()
        for at in range(0, len(order), batch):
            rows = [encoded[i].ids for i in order[at:at + batch]]
            width = max(len(r) for r in rows)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros((len(rows), width), np.int64)
            for j, r in enumerate(rows):
                ids[j, :len(r)] = r
                mask[j, :len(r)] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if wants_types:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        return time.perf_counter() - started

    run(32)  # warm-up
    result = {"texts": len(texts), "tokens": tokens, "threads": args.threads, "onnxruntime": ort.__version__, "runs": []}
    for batch in (int(b) for b in args.batches.split(",")):
        seconds = run(batch)
        result["runs"].append({"batch": batch, "seconds": round(seconds, 1), "tokensPerSecond": round(tokens / seconds)})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
