"""Compiled WebAssembly modules cached on disk, keyed by the binary's sha256.

Compiling CPython's 26 MB module takes seconds; loading wasmtime's serialised form of
it takes milliseconds (the file is mapped, not read). The artefact is native code, so
it is only ever loaded from a directory this process's user owns and nobody else can
write to; otherwise the cache stands down and the compiled bytes stay in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
import threading
from importlib.metadata import version
from pathlib import Path

import wasmtime

log = logging.getLogger(__name__)


def sandbox_engine() -> wasmtime.Engine:
    """An engine metering fuel and interruptible by epoch (one per call: its own clock)."""
    config = wasmtime.Config()
    config.consume_fuel = True
    config.epoch_interruption = True
    return wasmtime.Engine(config)


def default_cache_dir() -> Path:
    """`$AGENTPAAS_DATA_DIR/cache/wasm` when set, else a per-user directory under tmp."""
    data_dir = os.environ.get("AGENTPAAS_DATA_DIR")
    if data_dir:
        return Path(data_dir).expanduser().resolve() / "cache" / "wasm"
    return Path(tempfile.gettempdir()) / f"agentpaas-wasm-cache-{os.getuid()}"


class CompiledModuleCache:
    """Hands out the module compiled for a fresh sandbox engine, compiling at most once."""

    def __init__(self, wasm_path: Path, cache_dir: Path | None = None) -> None:
        self._wasm_path = wasm_path
        self._cache_dir = cache_dir or default_cache_dir()
        self._lock = threading.Lock()
        self._artifact: Path | None = None
        self._in_memory: bytes | None = None
        self.compiled = 0  # how many times this cache compiled the module (for tests)

    def artifact_path(self) -> Path:
        """Where the compiled module is stored: named by binary hash and wasmtime version."""
        digest = hashlib.sha256(self._wasm_path.read_bytes()).hexdigest()
        name = f"{self._wasm_path.stem}-{digest[:32]}-wasmtime-{version('wasmtime')}.cwasm"
        return self._cache_dir / name

    def module(self, engine: wasmtime.Engine) -> wasmtime.Module:
        """The module for `engine` (which must come from `sandbox_engine`)."""
        with self._lock:
            if self._artifact is None and self._in_memory is None:
                self._prepare(engine)
        if self._artifact is not None:
            return wasmtime.Module.deserialize_file(engine, str(self._artifact))
        assert self._in_memory is not None
        return wasmtime.Module.deserialize(engine, self._in_memory)

    def _prepare(self, engine: wasmtime.Engine) -> None:
        artifact = self.artifact_path()
        if not _private_dir(self._cache_dir):
            log.warning("wasm cache %s is not private; compiling in memory", self._cache_dir)
            self._in_memory = bytes(self._compile(engine))
            return
        if artifact.is_file() and _owned_by_me(artifact):
            try:
                wasmtime.Module.deserialize_file(engine, str(artifact))
                self._artifact = artifact
                return
            except wasmtime.WasmtimeError:  # truncated, or from an incompatible build
                log.warning("wasm cache entry %s is unusable; recompiling", artifact)
        serialized = self._compile(engine)
        fd, tmp = tempfile.mkstemp(dir=self._cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(serialized)
        os.replace(tmp, artifact)  # atomic: a concurrent reader sees old or new, never half
        self._artifact = artifact

    def _compile(self, engine: wasmtime.Engine) -> bytearray:
        self.compiled += 1
        return wasmtime.Module.from_file(engine, str(self._wasm_path)).serialize()


def _private_dir(path: Path) -> bool:
    """Create `path` (0700) if needed; True if this user owns it and only this user can write."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    writable_by_others = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not writable_by_others


def _owned_by_me(path: Path) -> bool:
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
