"""Atomic file writes: write a temp file beside the target, fsync, rename. A crash at any moment
leaves either the old file or the new one, never half of one."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, flushed to disk; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: give the file the mode the user expects
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Atomically replace `path` with `data`."""
    write_files({path: data})


def write_files(files: dict[str | os.PathLike, bytes]) -> None:
    """Atomically replace several files, as nearly together as a file system allows: all are first
    written and flushed beside their targets, then renamed into place back to back in the given order
    (the last is the commit point). A kill during the slow writes leaves every old file as it was."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(Path(path), data), Path(path)))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write_text(path: str | os.PathLike, text: str) -> None:
    """Atomically write UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


def json_bytes(obj: Any) -> bytes:
    """Pretty JSON as UTF-8 bytes; NaN and infinities are refused (they are not JSON)."""
    return (json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """Atomically write pretty JSON."""
    write_bytes(path, json_bytes(obj))


def safetensors_bytes(tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """Tensors in safetensors format (no pickle)."""
    return save({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, metadata=metadata)


def write_safetensors(
    path: str | os.PathLike, tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None
) -> None:
    """Atomically write tensors in safetensors format."""
    write_bytes(path, safetensors_bytes(tensors, metadata))


class OutputLock:
    """Exclusive use of an output folder while a run writes to it: a second writer fails at once with
    a clear error instead of both reporting success over each other's files. Temporaries that a
    killed writer left behind are removed once the lock is held."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self._file = None

    def __enter__(self) -> OutputLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = open(self.folder / ".toolken.lock", "a+")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise OSError(f"{self.folder} is being written by another toolken run; use another --out") from None
        for stale in self.folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
