"""Reads a BERT-family encoder's weights out of its fp32 ONNX export (the graphs vendored from
LangChain4j's jars, see scripts/vendor-model.sh --fp32-to) into a transformers BertModel.

The exports keep biases and norms under their original names but fold every linear weight into an
anonymous MatMul initializer; each one is mapped back by following the graph: the MatMul that
reads it feeds an Add whose other input is the named bias of the same linear layer.
"""
from __future__ import annotations

import onnx
import torch
from onnx import numpy_helper
from transformers import BertConfig, BertModel


def load_bert(onnx_path: str) -> BertModel:
    graph = onnx.load(onnx_path).graph
    weights = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state: dict[str, torch.Tensor] = {}
    for name, array in weights.items():
        if not name.startswith("onnx::MatMul"):
            if name != "embeddings.position_ids":
                state[name] = torch.from_numpy(array.copy())
            continue
        matmul = consumers[name][0]
        add = next(n for n in consumers[matmul.output[0]] if n.op_type == "Add")
        bias = next(i for i in add.input if i.endswith(".bias"))
        state[bias[: -len(".bias")] + ".weight"] = torch.from_numpy(array.T.copy())
    layers = 1 + max(int(k.split(".")[2]) for k in state if k.startswith("encoder.layer."))
    hidden = state["embeddings.word_embeddings.weight"].shape[1]
    config = BertConfig(
        vocab_size=state["embeddings.word_embeddings.weight"].shape[0],
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=hidden // 32,
        intermediate_size=state["encoder.layer.0.intermediate.dense.weight"].shape[0],
        max_position_embeddings=state["embeddings.position_embeddings.weight"].shape[0],
    )
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise RuntimeError(f"weights did not map: missing {missing}, unexpected {unexpected}")
    return model
