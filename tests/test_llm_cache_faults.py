"""Faults of the LLM result cache never crash a run.

Each fault is provoked for real on diskcache's files: a damaged cache.db, a stored value
that cannot be unpickled, a cache directory that is a file, a read-only directory. An
unusable directory is one ConfigurationError when the cache is built; after that a fault
is a miss (or an uncached result) plus a warning from the ``zsextract.llm.cache`` logger.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import contextlib
import json
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import zsextract
from zsextract import ConfigurationError
from zsextract.llm import LLMBackend
from zsextract.llm.cache import ResultCache
from zsextract.testing import FakeOpenAIServer, chat_completion

LOGGER = "zsextract.llm.cache"
ARTICLE = "上半年，全县新签项目26个，到位资金18.4亿元。"
ANSWER = {"metrics": [{"name": "新签项目", "quote": "新签项目26个", "value": 26, "unit": "count"}]}
ADVICE = ("--cache-dir", "--no-cache", "use_cache=False")
# diskcache keeps a pickled value in the Cache table up to 32 KB, in a file beyond that
SMALL = {"metrics": [1, 2, 3]}
LARGE = ["x" * 40_000]


@pytest.fixture(autouse=True)
def _capture_cache_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


def damage(db: Path, how: str) -> None:
    """Truncate cache.db mid-page, or overwrite its header and first pages with garbage."""
    with db.open("r+b") as f:
        if how == "truncated":
            f.truncate(1000)
        else:
            f.write(b"\x00garbage" * 1024)


def rows(directory: Path) -> list[tuple[str, str | None]]:
    """(key, filename) of every entry, read beside diskcache with plain sqlite3."""
    with contextlib.closing(sqlite3.connect(directory / "cache.db")) as con:
        return con.execute("SELECT key, filename FROM Cache").fetchall()


def overwrite_value(directory: Path, key: str, data: bytes) -> None:
    """Replace the stored pickle of ``key`` (in its row, or in its file) with ``data``."""
    with contextlib.closing(sqlite3.connect(directory / "cache.db")) as con:
        ((filename,),) = con.execute("SELECT filename FROM Cache WHERE key = ?", (key,))
        if filename is None:
            with con:
                con.execute("UPDATE Cache SET value = ? WHERE key = ?", (data, key))
        else:
            (directory / filename).write_bytes(data)


@contextlib.contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block as `nobody` if we are root, whom file modes do not stop."""
    if os.geteuid() != 0:
        yield
        return
    # nobody may not read this Python's files: load what diskcache imports lazily
    # (Disk.filename names value files with codecs.encode(..., "hex"))
    codecs.lookup("hex")
    try:
        os.setegid(65534)
        os.seteuid(65534)
    except OSError as exc:
        pytest.skip(f"running as root and cannot drop to uid 65534 ({exc})")
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def writable(directory: Path) -> bool:
    try:
        (directory / "probe").touch()
    except OSError:
        return False
    (directory / "probe").unlink()
    return True


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder that `nobody` can reach (pytest's tmp_path is 0700 for root)."""
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        try:
            yield Path(name)
        finally:
            for path in Path(name).rglob("*"):
                if path.is_dir():
                    path.chmod(0o755)


# -- the cache on its own --------------------------------------------------------------


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_damaged_database_at_open_is_one_configuration_error(tmp_path: Path, how: str) -> None:
    cache = ResultCache(str(tmp_path))
    cache.put("report:a", SMALL)
    cache.close()
    damage(tmp_path / "cache.db", how)
    before = (tmp_path / "cache.db").read_bytes()
    with pytest.raises(ConfigurationError, match=r"cache\.db is damaged") as info:
        ResultCache(str(tmp_path))
    assert str(tmp_path) in str(info.value)
    assert all(advice in str(info.value) for advice in ADVICE)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)
    assert (tmp_path / "cache.db").read_bytes() == before  # the user's file is left alone


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_database_damaged_after_open_is_a_miss_and_one_warning(
    tmp_path: Path, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ResultCache(str(tmp_path))
    cache.put("report:a", SMALL)
    cache.close()  # the next call connects anew, as a new worker thread would
    damage(tmp_path / "cache.db", how)
    assert cache.get("report:a") is None
    cache.put("report:b", SMALL)  # no exception: the caller's result stands
    assert cache.get("report:b") is None
    (message,) = warnings_of(caplog)  # one warning, then the cache is off for the run
    assert "cannot read entry report:a" in message and "damaged" in message
    assert str(tmp_path) in message and "--cache-dir" in message


def test_put_on_a_damaged_database_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ResultCache(str(tmp_path))
    cache.close()
    damage(tmp_path / "cache.db", "garbage")
    cache.put("report:a", SMALL)
    (message,) = warnings_of(caplog)
    assert "cannot store entry report:a" in message and "damaged" in message


@pytest.mark.parametrize(
    ("value", "data", "error"),
    [
        (SMALL, b"\x80\x05garbage", "UnpicklingError"),  # in the Cache table
        (SMALL, b"cno_such_module\nThing\n.", "ModuleNotFoundError"),
        (LARGE, b"\x80\x05garbage", "UnpicklingError"),  # in a .val file
    ],
    ids=["bad-pickle", "missing-class", "bad-file"],
)
def test_unpicklable_entry_is_a_miss_and_is_removed(
    tmp_path: Path, value: object, data: bytes, error: str, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ResultCache(str(tmp_path))
    cache.put("report:bad", value)
    cache.put("raw:good", ["answer"])
    ((_, filename),) = [row for row in rows(tmp_path) if row[0] == "report:bad"]
    overwrite_value(tmp_path, "report:bad", data)
    assert cache.get("report:bad") is None
    (message,) = warnings_of(caplog)
    assert "entry report:bad cannot be unpickled" in message and error in message
    assert "removed" in message
    assert [key for key, _ in rows(tmp_path)] == ["raw:good"]  # the bad entry is gone
    if filename is not None:
        assert not (tmp_path / filename).exists()
    assert cache.get("raw:good") == ["answer"]  # the cache still works
    cache.put("report:bad", value)
    assert cache.get("report:bad") == value


@pytest.mark.parametrize(
    ("where", "reason"),
    [("the path", "is a file, not a directory"), ("its parent", "(Not a directory)")],
    ids=["path-is-a-file", "parent-is-a-file"],
)
def test_directory_that_is_a_file_is_one_configuration_error(
    tmp_path: Path, where: str, reason: str
) -> None:
    a_file = tmp_path / "cache"
    a_file.write_text("not a directory", "utf-8")
    directory = a_file if where == "the path" else a_file / "sub"
    with pytest.raises(ConfigurationError, match=re.escape(reason)) as info:
        ResultCache(str(directory))
    assert str(directory) in str(info.value)
    assert all(advice in str(info.value) for advice in ADVICE)
    assert a_file.read_text("utf-8") == "not a directory"


@pytest.mark.parametrize("holding", ["nothing", "a cache"], ids=["empty", "with-cache"])
def test_read_only_directory_is_one_configuration_error(shared_tmp: Path, holding: str) -> None:
    directory = shared_tmp / "cache"
    directory.mkdir()
    if holding == "a cache":
        ResultCache(str(directory)).close()
    directory.chmod(0o555)
    with unprivileged():
        if writable(directory):
            pytest.skip("this user can write to a 0555 directory: the fault cannot be provoked")
        with pytest.raises(ConfigurationError, match="cannot be created or written") as info:
            ResultCache(str(directory))
    assert str(directory) in str(info.value)
    assert all(advice in str(info.value) for advice in ADVICE)


def test_directory_made_read_only_while_open_gives_misses_and_warnings(
    shared_tmp: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = shared_tmp / "cache"
    cache = ResultCache(str(directory))
    cache.put("report:a", SMALL)
    cache.close()
    directory.chmod(0o555)
    (directory / "cache.db").chmod(0o444)
    with unprivileged():
        if writable(directory):
            pytest.skip("this user can write to a 0555 directory: the fault cannot be provoked")
        assert cache.get("report:a") is None
        cache.put("report:b", SMALL)
        cache.put("report:c", LARGE)
    messages = warnings_of(caplog)
    assert len(messages) == 3
    assert "cannot read entry report:a; treated as a miss" in messages[0]
    assert "cannot store entry report:b; the result is returned uncached" in messages[1]
    assert "cannot store entry report:c" in messages[2]
    assert all("permissions" in m and "--no-cache" in m for m in messages)


# -- through the LLM backend, against the local fake server -------------------------------


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as s:
        s.responder = lambda request: chat_completion(
            tool_arguments=json.dumps(ANSWER), tool_name="LLMExtraction"
        )
        yield s


def test_corrupted_entries_are_a_miss_through_the_backend(
    server: FakeOpenAIServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "cache"
    backend = LLMBackend(base_url=server.base_url, model="m", cache_dir=str(directory))
    first = zsextract.extract(ARTICLE, backend=backend)
    for key, _ in rows(directory):  # both the report and the raw answers
        overwrite_value(directory, key, b"\x80\x05garbage")
    second = zsextract.extract(ARTICLE, backend=backend)
    assert second.provenance.cache == "miss" and len(server.requests) == 2
    assert second.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})
    messages = warnings_of(caplog)
    assert len(messages) == 2 and all("cannot be unpickled" in m for m in messages)
    third = zsextract.extract(ARTICLE, backend=backend)  # stored afresh
    assert third.provenance.cache == "hit" and len(server.requests) == 2


def test_database_damaged_during_a_run_is_a_miss_through_the_backend(
    server: FakeOpenAIServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "cache"
    backend = LLMBackend(base_url=server.base_url, model="m", cache_dir=str(directory))
    zsextract.extract(ARTICLE, backend=backend)
    damage(directory / "cache.db", "garbage")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a worker opens its connection
        report = pool.submit(zsextract.extract, ARTICLE, backend=backend).result()
    assert report.metrics[0].quantity.value == 26
    assert report.provenance.cache == "miss" and len(server.requests) == 2
    (message,) = warnings_of(caplog)
    assert "damaged" in message and "the cache is off for the rest of this run" in message


def test_damaged_database_stops_the_backend_once_and_no_cache_works(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    directory = tmp_path / "cache"
    zsextract.extract(
        ARTICLE, backend="llm", base_url=server.base_url, model="m", cache_dir=str(directory)
    )
    damage(directory / "cache.db", "truncated")
    with pytest.raises(ConfigurationError, match="--no-cache"):
        LLMBackend(base_url=server.base_url, model="m", cache_dir=str(directory))
    report = zsextract.extract(
        ARTICLE, backend="llm", base_url=server.base_url, model="m", use_cache=False
    )
    assert report.provenance.cache == "off" and len(server.requests) == 2
