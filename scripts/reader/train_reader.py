"""The reader experiment (issue 18, item 9): a cross-encoder of our own, trained on these CPUs
from a vendored encoder's weights, that reads the question beside each of the shipped ranking's
first candidates and scores whether the passage answers it.

  python scripts/reader/train_reader.py --data reader-data.jsonl --base FP32_DIR/all-MiniLM-L6-v2 \
      [--layers 6] [--max-len 128] [--depth 10] [--epochs 2] [--cv] [--save DIR]

--data comes from scripts/reader-pairs.ts (tuning sets only). With --cv, the question sets are
split into four groups; each group is scored by a reader trained on the other three (so by
readers that never saw its question writers), and the reader's score is added to the shipped
ranking's with a weight chosen on the training groups. Printed: hit@1 / hit@3 per set of the
shipped ranking, of the reader alone and of the two together, and the time taken.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import defaultdict

import torch
from transformers import PreTrainedTokenizerFast

from onnx_to_torch import load_bert

FOLDS = [
    ["qa-dev.jsonl", "qa-sotu-dev.jsonl", "qa-blind-sotu-2.jsonl"],
    ["qa-extra.jsonl", "qa-chat-dev.jsonl", "qa-tune-sotu-a.jsonl", "qa-blind-sample-2.jsonl"],
    ["qa-holdout.jsonl", "qa-blind-chat.jsonl", "qa-tune-sotu-b.jsonl"],
    ["qa-tune-sample.jsonl", "qa-sotu-blind.jsonl"],
]


def passage_view(candidate: dict, budget_words: int) -> str:
    """The header, then the passage's sentences closest to the question, in their own order, up to a word budget."""
    sentences = candidate["sentences"]
    order = sorted(range(len(sentences)), key=lambda i: -candidate["sentenceSimilarity"][i])
    keep, words = set(), 0
    for i in order:
        n = len(sentences[i].split())
        if keep and words + n > budget_words:
            continue
        keep.add(i)
        words += n
    return candidate["header"] + " " + " ".join(sentences[i] for i in sorted(keep))


class Reader(torch.nn.Module):
    def __init__(self, base: str, layers: int):
        super().__init__()
        self.encoder = load_bert(base + "/model.onnx")
        self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
        self.encoder.config.num_hidden_layers = layers
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

    def forward(self, batch: dict) -> torch.Tensor:
        out = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (out * mask).sum(1) / mask.sum(1)
        return self.head(pooled).squeeze(-1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--base", required=True)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--words", type=int, default=70)
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--folds", type=str, default="0,1,2,3")
    parser.add_argument("--save")
    parser.add_argument("--scores-out")
    args = parser.parse_args()
    torch.manual_seed(7)
    random.seed(7)
    torch.set_num_threads(2)
    questions = [json.loads(line) for line in open(args.data)]
    for q in questions:
        q["candidates"] = q["candidates"][: args.depth]
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=args.base + "/tokenizer.json")
    tokenizer.pad_token, tokenizer.cls_token, tokenizer.sep_token = "[PAD]", "[CLS]", "[SEP]"
    tokenizer.model_input_names = ["input_ids", "token_type_ids", "attention_mask"]

    def encode(q: dict) -> dict:
        return tokenizer(
            [q["question"]] * len(q["candidates"]),
            [passage_view(c, args.words) for c in q["candidates"]],
            truncation="only_second", max_length=args.max_len, padding=True, return_tensors="pt",
        )

    def train(train_questions: list[dict]) -> Reader:
        model = Reader(args.base, args.layers)
        usable = [q for q in train_questions if any(c["gold"] for c in q["candidates"]) and not all(c["gold"] for c in q["candidates"])]
        steps = args.epochs * len(usable)
        optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
        model.train()
        started = time.time()
        for epoch in range(args.epochs):
            random.shuffle(usable)
            total = 0.0
            for q in usable:
                logits = model(encode(q))
                gold = torch.tensor([c["gold"] for c in q["candidates"]])
                loss = torch.logsumexp(logits, 0) - torch.logsumexp(logits[gold], 0)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                total += loss.item()
            print(f"  epoch {epoch + 1}: loss {total / len(usable):.3f}, {time.time() - started:.0f} s", flush=True)
        model.eval()
        return model

    @torch.no_grad()
    def score(model: Reader, qs: list[dict]) -> None:
        for q in qs:
            logits = model(encode(q)).tolist()
            for c, s in zip(q["candidates"], logits):
                c["reader"] = s

    def rank_of_gold(q: dict, alpha: float | None) -> int | None:
        key = (lambda c: c["reader"]) if alpha is None else (lambda c: c["score"] + alpha * c["reader"])
        ranked = sorted(q["candidates"], key=lambda c: -key(c)) if alpha != 0 else q["candidates"]
        for i, c in enumerate(ranked):
            if c["gold"]:
                return i + 1
        return None

    def figures(qs: list[dict], alpha: float | None) -> tuple[int, int]:
        ranks = [rank_of_gold(q, alpha) for q in qs]
        return sum(r == 1 for r in ranks), sum(r is not None and r <= 3 for r in ranks)

    alphas = [0.25, 0.5, 1, 2, 3, 4, 6, 8]
    if args.cv:
        for f in [int(x) for x in args.folds.split(",")]:
            test = [q for q in questions if q["set"] in FOLDS[f]]
            train_qs = [q for q in questions if q["set"] not in FOLDS[f]]
            print(f"fold {f}: train {len(train_qs)}, test {len(test)}", flush=True)
            model = train(train_qs)
            started = time.time()
            score(model, train_qs)
            best = max(alphas, key=lambda a: (lambda h: h[0] + 0.5 * h[1])(figures(train_qs, a)))
            score(model, test)
            per = (time.time() - started) / (len(train_qs) + len(test))
            q_fold = {"alpha": best, "seconds_per_question": per}
            for q in test:
                q["alpha"] = best
            print(f"  alpha chosen on training groups: {best}; scoring {per * 1000:.0f} ms/question of {args.depth} candidates", flush=True)
            for name in FOLDS[f] + ["fold"]:
                qs = test if name == "fold" else [q for q in test if q["set"] == name]
                n = len(qs)
                s, r, c = figures(qs, 0), figures(qs, None), figures(qs, best)
                print(f"  {name}: n={n} shipped {s[0]}/{s[1]}  reader {r[0]}/{r[1]}  together {c[0]}/{c[1]}", flush=True)
        if args.scores_out:
            with open(args.scores_out, "w") as out:
                for q in questions:
                    out.write(json.dumps({"set": q["set"], "id": q["id"], "alpha": q.get("alpha"), "candidates": [{"gold": c["gold"], "score": c["score"], "reader": c.get("reader")} for c in q["candidates"]]}) + "\n")
    if args.save:
        model = train(questions)
        torch.save(model.state_dict(), args.save + "/reader.pt")


if __name__ == "__main__":
    main()
