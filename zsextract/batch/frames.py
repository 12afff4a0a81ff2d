"""Frames between a batch run and its worker processes: a 4-byte big-endian length,
then that many bytes of pickle. Both ends are this package, started from the same
Python, so pickle is safe here: nothing else writes to these pipes."""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

__all__ = ["read_frame", "write_frame"]

_LENGTH = struct.Struct(">I")


def write_frame(pipe: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()


def _exactly(pipe: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError("the pipe closed inside a frame")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(pipe: IO[bytes]) -> Any:
    """The next value; :class:`EOFError` when the other end has closed the pipe."""
    head = pipe.read(_LENGTH.size)
    if not head:
        raise EOFError("the pipe closed")
    if len(head) < _LENGTH.size:
        head += _exactly(pipe, _LENGTH.size - len(head))
    return pickle.loads(_exactly(pipe, _LENGTH.unpack(head)[0]))
