"""The exported graph: used only for the weights it came from, and it gives PyTorch's vectors."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from base.settings import Settings
from knowledge.embeddings import EmbeddingConfigError, SentenceTransformerEmbeddings, default_model_path
from knowledge.onnx_encoder import GRAPH_FILE, STAMP_FILE, graph_dir, graph_path, weights_fingerprint


def _fake_export(model_dir: Path) -> Path:
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"weights")
    folder = graph_dir(model_dir)
    folder.mkdir()
    (folder / GRAPH_FILE).write_bytes(b"graph")
    (folder / STAMP_FILE).write_text(weights_fingerprint(model_dir))
    return folder


def test_graph_is_used_only_for_the_weights_it_was_exported_from(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    folder = _fake_export(model_dir)
    assert graph_path(model_dir) == folder / GRAPH_FILE
    (model_dir / "model.safetensors").write_bytes(b"other weights, replaced in place")
    assert graph_path(model_dir) is None


def test_a_fetched_model_is_told_by_its_verified_checksum(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    verified = tmp_path / "model.verified"
    verified.write_text("a" * 64)
    folder = _fake_export(model_dir)
    assert graph_path(model_dir) == folder / GRAPH_FILE
    verified.write_text("b" * 64)  # fetched again, other weights of the same size
    assert graph_path(model_dir) is None


def test_an_interrupted_export_leaves_no_graph(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    folder = _fake_export(model_dir)
    (folder / STAMP_FILE).unlink()  # the stamp is written last
    assert graph_path(model_dir) is None
    assert graph_dir(model_dir).parent == model_dir.parent  # beside the weights, not inside them


def _real_model() -> Path:
    model = Path(default_model_path(Settings()))
    if not model.exists():
        pytest.skip("EmbeddingGemma not fetched (make models)")
    return model


#: 简体, English, 繁體, one character, and one text longer than the attention window
TEXTS = ["返利一般几号到账？提现有没有门槛？", "Do I get paid for a post the brand never published?",
         "新手任務要在幾天內做完？", "短", "佣金" * 300]


@pytest.mark.real_model
def test_onnx_runtime_gives_the_vectors_pytorch_gives() -> None:
    model = _real_model()
    assert graph_path(model) is not None, "`koc models fetch` exports the graph beside the weights"
    onnx = SentenceTransformerEmbeddings(str(model), dtype="float32", backend="auto")
    torch = SentenceTransformerEmbeddings(str(model), dtype="float32", backend="torch")
    assert onnx.onnx is not None and not onnx.onnx.fits(onnx.model.preprocess([TEXTS[-1]]))
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    for encode in ("embed_queries", "embed_documents"):
        a = np.array(getattr(onnx, encode)(TEXTS))
        b = np.array(getattr(torch, encode)(TEXTS))
        assert a.shape == b.shape == (len(TEXTS), 768)
        assert np.all(np.sum(a * b, axis=1) > 0.9999), encode
    # one text alone is the same vector as in a padded batch
    alone = np.array(onnx.embed_queries([TEXTS[3]]))[0]
    assert float(alone @ np.array(onnx.embed_queries(TEXTS))[3]) > 0.9999


@pytest.mark.real_model
def test_auto_takes_the_float32_graph_on_any_cpu() -> None:
    """bf16 weights cannot run on the graph: on a CPU with native bf16, auto used to pick them and
    embed every question with PyTorch, slower than the graph there."""
    embeddings = SentenceTransformerEmbeddings(str(_real_model()))
    assert (embeddings.dtype, embeddings.backend) == ("float32", "onnx")


@pytest.mark.real_model
def test_onnx_backend_without_a_graph_is_a_configuration_error(tmp_path: Path) -> None:
    model = _real_model()
    bare = tmp_path / model.name  # the same weights, with no exported graph beside them
    os.symlink(model, bare)
    with pytest.raises(EmbeddingConfigError, match="koc models fetch"):
        SentenceTransformerEmbeddings(str(bare), dtype="float32", backend="onnx")
