"""The embedding model's transformer run by ONNX Runtime: the same vectors in about half the time.

A question's embedding is most of an offline answer's latency on CPU (one EmbeddingGemma encode
took 150–200 ms on a two-core AVX2 host with PyTorch; ONNX Runtime, which fuses the graph's small
operations, took 80–100 ms). The vectors agree with PyTorch's to float precision (cosine 1.0000),
so the index, the embedding cache and every calibrated threshold stay valid.

The graph is exported once, by ``koc models fetch`` (``export_graph``), next to the weights.
sentence-transformers' own ONNX backend goes through optimum-onnx, which requires transformers 4;
the export here uses torch's exporter directly. transformers builds attention masks with ``vmap``,
which the exporter cannot follow, so the graph takes an explicit bidirectional mask instead (one
for every layer: the model's sliding window does not matter for inputs shorter than the window,
and longer inputs are left to PyTorch: ``OnnxTransformer.fits``).

Only the first module (the transformer) runs here; pooling and the dense layers stay the
sentence-transformers modules, so whatever the model's pooling is, it is applied as published.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

GRAPH_FILE = "model.onnx"
#: written after a complete export, holding the fingerprint of the weights it was exported from
STAMP_FILE = "exported-from.txt"
OPSET = 17


def graph_dir(model_dir: Path) -> Path:
    """Where a model's exported graph lives: beside its weights, never inside them."""
    return model_dir.with_name(model_dir.name + ".onnx")


def weights_fingerprint(model_dir: Path) -> str:
    """Names and sizes of the weight files, and the verified checksum of a fetched model (its
    ``.verified`` file): a graph exported from other weights is never used. Not modification
    times, which a copy of the models folder changes without changing a weight."""
    parts = sorted(f"{p.relative_to(model_dir)}:{p.stat().st_size}" for p in model_dir.rglob("*.safetensors"))
    verified = model_dir.with_name(model_dir.name + ".verified")
    if verified.exists():
        parts.append(verified.read_text().strip())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def graph_path(model_dir: Path, warn: bool = True) -> Path | None:
    """The exported graph of these weights, or None when there is none (or it is stale: said in the
    log when ``warn``, for the process that would have used it)."""
    folder = graph_dir(model_dir)
    stamp = folder / STAMP_FILE
    if not stamp.exists() or not (folder / GRAPH_FILE).exists():
        return None
    if stamp.read_text().strip() != weights_fingerprint(model_dir):
        if warn:
            log.warning("the ONNX graph in %s was exported from other weights; run `koc models fetch` again", folder)
        return None
    return folder / GRAPH_FILE


def _traceable(auto_model: Any) -> Any:
    """The transformer behind a bidirectional 4-D mask built from the padding mask, which the
    exporter can trace (transformers' own mask builder cannot be). A model whose layers are of
    several attention types (Gemma 3's full and sliding layers) takes the mask once per type."""
    import torch

    layer_types = sorted(set(getattr(auto_model.config, "layer_types", None) or ()))

    class MaskedTransformer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = auto_model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            batch, length = input_ids.shape
            keep = attention_mask[:, None, None, :].to(torch.bool).expand(batch, 1, length, length)
            mask = torch.zeros(batch, 1, length, length, dtype=torch.float32)
            mask = mask.masked_fill(~keep, torch.finfo(torch.float32).min)
            masks = {kind: mask for kind in layer_types} if layer_types else mask
            return self.inner(input_ids=input_ids, attention_mask=masks).last_hidden_state

    return MaskedTransformer().eval()


def export_graph(model_dir: Path) -> Path:
    """Export the transformer of the sentence-transformers model at ``model_dir`` (float32) and
    stamp it; idempotent. Takes about half a minute and as much disk as the weights."""
    existing = graph_path(model_dir, warn=False)  # a stale graph is what this replaces
    if existing is not None:
        return existing
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", model_kwargs={"torch_dtype": torch.float32},
                                local_files_only=True)
    folder = graph_dir(model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    sample = model.preprocess(["an example sentence to trace", "短句"])
    partial = folder / (GRAPH_FILE + ".part")
    with torch.no_grad(), warnings.catch_warnings():
        # the tracer warns about branches on the input's length; the mask passed in makes them moot
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(_traceable(model[0].auto_model), (sample["input_ids"], sample["attention_mask"]),
                          str(partial), input_names=["input_ids", "attention_mask"], output_names=["token_embeddings"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                        "token_embeddings": {0: "batch", 1: "tokens"}},
                          opset_version=OPSET, dynamo=False)
    partial.replace(folder / GRAPH_FILE)
    (folder / STAMP_FILE).write_text(weights_fingerprint(model_dir))
    return folder / GRAPH_FILE


class OnnxTransformer:
    """An exported transformer in an ONNX Runtime session, standing in for the model's first module."""

    def __init__(self, graph: Path, window: int, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads  # 0: one per physical core
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.window = window

    def fits(self, features: dict[str, Any]) -> bool:
        """Inputs no longer than the attention window, where one mask serves every layer."""
        return int(features["input_ids"].shape[1]) <= self.window

    def token_embeddings(self, features: dict[str, Any]) -> np.ndarray:
        feed = {"input_ids": features["input_ids"].numpy().astype(np.int64),
                "attention_mask": features["attention_mask"].numpy().astype(np.int64)}
        return self.session.run(None, feed)[0]


def attention_window(auto_model: Any) -> int:
    """The longest input one bidirectional mask is right for: the sliding window when the model has
    one, its whole context otherwise."""
    config = auto_model.config
    return int(getattr(config, "sliding_window", None) or getattr(config, "max_position_embeddings", 512))
