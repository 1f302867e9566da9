"""Worker processes that run the queries, so that a runaway query costs its worker, not the server.

Each worker is a separate process (``spawn``: no state shared by accident) that opens the store
from a :class:`Recipe` and answers tasks sent over a pipe: a SPARQL query serialised in the
negotiated format, or one of the page tasks of :mod:`pilotkg.server.tasks`. The pool hands each
task to an idle worker and waits at most the task's time limit; past it the worker is killed and
a fresh one started in its place, and the caller gets :class:`LimitError`. A result with more
rows than the limit is refused the same way.

Writes never happen in workers: :meth:`WorkerPool.exclusive` stops the workers, lets the caller
write to the store, and starts them again on the new data.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
import time
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ..errors import PilotkgError


@dataclass(frozen=True)
class Recipe:
    """How a worker opens the store: ``memory`` (an N-Quads snapshot file), ``oxigraph`` (a
    folder, opened read-only) or ``endpoint`` (a remote SPARQL endpoint)."""

    kind: str
    location: str
    credentials: Any = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class LimitError(PilotkgError):
    """A task hit a limit (time or size); the message says which and how to get around it."""

    def __init__(self, message: str, limit: str) -> None:
        self.limit = limit
        super().__init__(message)


def open_recipe(recipe: Recipe) -> Any:
    from ..store import EndpointStore, OxigraphStore

    if recipe.kind == "memory":
        from rdflib import Dataset

        from ..namespaces import bind_prefixes

        dataset = Dataset(default_union=True)
        bind_prefixes(dataset)
        dataset.parse(recipe.location, format="nquads")
        return dataset
    if recipe.kind == "oxigraph":
        from pathlib import Path

        return OxigraphStore(Path(recipe.location), read_only=True)
    return EndpointStore(recipe.location, update_endpoint=recipe.update_endpoint, gsp_endpoint=recipe.gsp_endpoint,
                         credentials=recipe.credentials)


def _worker_main(conn: Connection, recipe: Recipe, max_rows: int) -> None:
    from . import tasks

    try:
        store = open_recipe(recipe)
        conn.send(("ready", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    cache: dict[str, Any] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        name, args = message
        try:
            reply = tasks.run(store, name, args, max_rows=max_rows, cache=cache)
        except LimitError as exc:
            reply = Reply(503, "text/plain; charset=utf-8", str(exc).encode("utf-8"), {"X-Pilotkg-Limit": exc.limit})
        except PilotkgError as exc:
            reply = Reply(400, "text/plain; charset=utf-8", str(exc).encode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - a task's failure is the request's, not the worker's
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            reply = Reply(500, "text/plain; charset=utf-8", f"the query failed: {detail}".encode())
        conn.send(("reply", reply))


class Worker:
    def __init__(self, recipe: Recipe, max_rows: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, recipe, max_rows), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise PilotkgError(f"a query worker did not start within {timeout:.0f} s")
        status, detail = self.conn.recv()
        if status != "ready":
            self.kill()
            raise PilotkgError(f"a query worker could not open the store: {detail}")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


class WorkerPool:
    """``size`` workers; :meth:`run` gives a task to an idle one and waits at most ``limit`` s."""

    def __init__(self, recipe: Recipe, *, size: int = 2, max_rows: int = 100_000, start_timeout: float = 120.0) -> None:
        self.recipe = recipe
        self.size = size
        self.max_rows = max_rows
        self.start_timeout = start_timeout
        self._idle: asyncio.Queue[Worker] | None = None
        self._busy = 0
        self._lock = threading.Lock()
        self._writing: asyncio.Lock | None = None
        self.killed = 0

    def _spawn(self) -> Worker:
        worker = Worker(self.recipe, self.max_rows)
        worker.wait_ready(self.start_timeout)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        self._writing = asyncio.Lock()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(loop.run_in_executor(None, self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def close(self) -> None:
        if self._idle is None:
            return
        while not self._idle.empty():
            self._idle.get_nowait().stop()

    async def run(self, name: str, args: dict[str, Any], *, limit: float) -> Reply:
        assert self._idle is not None and self._writing is not None, "start() the pool first"
        started = time.monotonic()
        while self._writing.locked():  # a write is swapping the data: wait for it
            await asyncio.sleep(0.05)
            if time.monotonic() - started > limit:
                raise LimitError(f"the server was busy writing for more than {limit:g} s; try again", "busy")
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limit)
        except TimeoutError as exc:
            raise LimitError(f"every query worker stayed busy for {limit:g} s; try again later", "busy") from exc
        loop = asyncio.get_running_loop()
        self._busy += 1
        try:
            worker.conn.send((name, args))
            remaining = max(0.05, limit - (time.monotonic() - started))
            answered = await loop.run_in_executor(None, worker.conn.poll, remaining)
            if not answered:
                worker.kill()
                self.killed += 1
                worker = await loop.run_in_executor(None, self._spawn)
                raise LimitError(f"the query ran past the time limit of {limit:g} s and was stopped "
                                 "(its worker was killed); narrow it, or ask for a higher --time-limit", "time")
            kind, reply = worker.conn.recv()
            return reply
        except (EOFError, OSError, BrokenPipeError):
            worker.kill()
            worker = await loop.run_in_executor(None, self._spawn)
            return Reply(500, "text/plain; charset=utf-8", b"the query worker died; the query was not answered")
        finally:
            self._busy -= 1
            self._idle.put_nowait(worker)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Stop every worker (waiting for running tasks), let the caller write, start them again."""
        assert self._idle is not None and self._writing is not None
        async with self._writing:
            workers = [await self._idle.get() for _ in range(self.size)]
            for worker in workers:
                worker.stop()
            try:
                yield
            finally:
                loop = asyncio.get_running_loop()
                fresh = await asyncio.gather(*(loop.run_in_executor(None, self._spawn) for _ in range(self.size)))
                for worker in fresh:
                    self._idle.put_nowait(worker)
