"""Build rows in forked processes while this one writes them, so generating and inserting overlap.

Workers only generate and convert rows (they never use the database connection they inherited) and hand
driver-ready tuples over queues; because each chunk depends only on its index, the rows and their order
are the same as when every chunk is built here.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from queue import Empty
from typing import Protocol, TypeVar

from sqlalchemy import Dialect, Table

from provider_dir.seeding.bulk import Prepared, prepare_rows

PreparedChunk = tuple[int, list[Prepared]]
T = TypeVar("T")


class HasTables(Protocol):
    """A batch of rows, one list per table."""

    def tables(self) -> tuple[list[dict], ...]: ...


BuildChunk = Callable[[int, int], HasTables]  # (chunk index, clinics in it) -> rows


def can_fork() -> bool:
    """Return True where processes can be forked (Linux, macOS)."""
    return "fork" in multiprocessing.get_all_start_methods()


def chunk_sizes(n: int, chunk: int) -> list[int]:
    """Return the sizes of the chunks that make up n items."""
    return [min(chunk, n - start) for start in range(0, n, chunk)]


def prepared_chunks(build: BuildChunk, tables: Sequence[Table], dialect: Dialect, n: int, chunk: int,
                    workers: int = 0) -> Iterator[PreparedChunk]:
    """Yield (count, prepared rows per table) for chunk 0, 1, 2, ... of n items.

    With workers > 0, forked processes build the chunks (chunk k by worker k % workers) while the caller
    writes them; the chunks and their order are the same as when built here.
    """
    yield from converted_chunks(build, lambda batch: prepare(batch, tables, dialect), n, chunk, workers)


def prepare(batch: HasTables, tables: Sequence[Table], dialect: Dialect) -> list[Prepared]:
    """Convert one batch's rows for the driver, table by table."""
    return [prepare_rows(dialect, t, rows) for t, rows in zip(tables, batch.tables(), strict=True)]


def converted_chunks(build: BuildChunk, convert: Callable[[HasTables], T], n: int, chunk: int, workers: int = 0,
                     *, queue_size: int = 2) -> Iterator[tuple[int, T]]:
    """Yield (count, convert(batch)) for chunk 0, 1, 2, ... of n items, built and converted in forked processes
    when workers > 0 (chunk k by worker k % workers), in the same order and with the same rows as here."""
    sizes = chunk_sizes(n, chunk)
    if workers <= 0:
        for index, count in enumerate(sizes):
            yield count, convert(build(index, count))
        return
    context = multiprocessing.get_context("fork")
    queues = [context.Queue(maxsize=queue_size) for _ in range(workers)]

    def produce(worker: int) -> None:
        gc.disable()  # this process only makes acyclic rows and exits (see models.collector.collector_paused)
        queue = queues[worker]
        try:
            for index in range(worker, len(sizes), workers):
                queue.put((sizes[index], convert(build(index, sizes[index]))))
        except BaseException as exc:  # hand any failure to the parent, which raises it
            queue.put(exc)
            raise

    processes = [context.Process(target=produce, args=(w,), name=f"seed-rows-{w}", daemon=True)
                 for w in range(workers)]
    for process in processes:
        process.start()
    try:
        for index in range(len(sizes)):
            item = _next_item(queues[index % workers], processes[index % workers])
            if isinstance(item, BaseException):
                raise RuntimeError("building rows in a worker process failed") from item
            yield item
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()


def _next_item(queue, process):
    while True:
        try:
            return queue.get(timeout=2)
        except Empty:
            if not process.is_alive():
                raise RuntimeError("a process building rows stopped unexpectedly") from None
