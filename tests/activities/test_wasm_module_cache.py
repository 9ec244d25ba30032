"""The compiled-module cache: compile once per binary, load after, refuse unsafe directories."""

from __future__ import annotations

import hashlib
from pathlib import Path

import wasmtime

from activities.wasm_module_cache import CompiledModuleCache, sandbox_engine


def _binary(path: Path, answer: int) -> Path:
    wat = f'(module (func (export "answer") (result i32) i32.const {answer}))'
    path.write_bytes(wasmtime.wat2wasm(wat))
    return path


def _answer(cache: CompiledModuleCache) -> int:
    engine = sandbox_engine()
    store = wasmtime.Store(engine)
    store.set_fuel(1000)
    store.set_epoch_deadline(1)
    instance = wasmtime.Instance(store, cache.module(engine), [])
    func = instance.exports(store)["answer"]
    assert isinstance(func, wasmtime.Func)
    return int(func(store))


def test_a_binary_is_compiled_once_and_loaded_from_disk_after(tmp_path: Path) -> None:
    wasm = _binary(tmp_path / "answer.wasm", 42)
    cache_dir = tmp_path / "cache"
    first = CompiledModuleCache(wasm, cache_dir)
    assert _answer(first) == 42 and _answer(first) == 42
    assert first.compiled == 1
    digest = hashlib.sha256(wasm.read_bytes()).hexdigest()
    (artifact,) = cache_dir.iterdir()
    assert digest[:32] in artifact.name and artifact == first.artifact_path()
    assert cache_dir.stat().st_mode & 0o077 == 0  # private

    restarted = CompiledModuleCache(wasm, cache_dir)  # a new worker process
    assert _answer(restarted) == 42 and restarted.compiled == 0


def test_a_changed_binary_gets_its_own_entry(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    assert _answer(CompiledModuleCache(_binary(tmp_path / "a.wasm", 1), cache_dir)) == 1
    assert _answer(CompiledModuleCache(_binary(tmp_path / "b.wasm", 2), cache_dir)) == 2
    assert len(list(cache_dir.iterdir())) == 2


def test_a_corrupt_entry_is_recompiled(tmp_path: Path) -> None:
    wasm = _binary(tmp_path / "answer.wasm", 7)
    cache_dir = tmp_path / "cache"
    _answer(CompiledModuleCache(wasm, cache_dir))
    (artifact,) = cache_dir.iterdir()
    artifact.write_bytes(b"not a compiled module")
    again = CompiledModuleCache(wasm, cache_dir)
    assert _answer(again) == 7 and again.compiled == 1
    assert artifact.read_bytes() != b"not a compiled module"


def test_a_directory_others_can_write_is_not_trusted(tmp_path: Path) -> None:
    wasm = _binary(tmp_path / "answer.wasm", 9)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    planted = CompiledModuleCache(wasm, shared).artifact_path()
    planted.write_bytes(b"planted by someone else")
    cache = CompiledModuleCache(wasm, shared)
    assert _answer(cache) == 9 and cache.compiled == 1  # compiled in memory instead
    assert planted.read_bytes() == b"planted by someone else"  # neither loaded nor replaced
