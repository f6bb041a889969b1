"""Map a pure function over many documents on several processes, keeping input order.

Used by ``policylint check --jobs`` and ``policylint audit``. Work is sent in
chunks (one pickle round-trip per chunk, not per document); results come back
in the order of the inputs whatever order the workers finish in, so a report
is the same with 1 or 16 processes.

A document that makes its worker die (a segfault in a parser, the kernel's OOM
killer) must not lose the rest of the run: when the pool breaks, the documents
whose results are still missing are retried one by one in a fresh pool, and
those that break it again get ``on_error``'s result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def chunk_size(n_items: int, jobs: int) -> int:
    """About four chunks per worker (so a slow document does not leave the others idle),
    at most 32 documents per chunk."""
    if jobs <= 1 or n_items <= 0:
        return max(1, n_items)
    return max(1, min(32, n_items // (jobs * 4) or 1))


def _run_chunk(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [func(item) for item in chunk]


def map_ordered(
    func: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int = 1,
    chunksize: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[T, BaseException], R] | None = None,
) -> list[R]:
    """``[func(x) for x in items]``, on ``jobs`` processes when ``jobs > 1``.

    ``func`` and the items must pickle (module-level functions, ``functools.partial``
    of them, dataclasses). ``on_progress(n)`` is called in this process as each chunk
    of ``n`` items completes. ``func`` should catch its own errors; ``on_error(item,
    exc)`` gives the result for an item whose worker died (without it, the error is
    raised).
    """
    items = list(items)
    if jobs <= 1 or len(items) <= 1:
        out = []
        for item in items:
            out.append(func(item))
            if on_progress is not None:
                on_progress(1)
        return out

    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    size = chunksize or chunk_size(len(items), jobs)
    starts = list(range(0, len(items), size))
    results: list = [None] * len(items)
    done = [False] * len(items)
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(starts))) as pool:
            futures = {pool.submit(_run_chunk, func, items[s : s + size]): s for s in starts}
            for fut in as_completed(futures):
                s = futures[fut]
                try:
                    chunk_results = fut.result()
                except BrokenProcessPool:
                    raise
                except Exception:  # noqa: BLE001 - func raised: its chunk is retried item by item below
                    if on_error is None:
                        raise
                    continue
                results[s : s + len(chunk_results)] = chunk_results
                for i in range(s, s + len(chunk_results)):
                    done[i] = True
                if on_progress is not None:
                    on_progress(len(chunk_results))
    except BrokenProcessPool:
        pass  # the missing results are retried below
    missing = [i for i, ok in enumerate(done) if not ok]
    if missing:
        _retry_alone(func, items, missing, results, on_progress, on_error)
    return results


def _retry_alone(func, items, missing, results, on_progress, on_error) -> None:
    """Run the items whose chunk failed one at a time in a one-worker pool, so that the item
    that kills its worker is known and costs only itself."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pending = list(missing)
    while pending:
        culprit: int | None = None
        finished: list[int] = []
        try:
            with ProcessPoolExecutor(max_workers=1) as pool:
                futures = [(i, pool.submit(func, items[i])) for i in pending]
                for i, fut in futures:
                    try:
                        results[i] = fut.result()
                    except BrokenProcessPool:
                        culprit = i  # one worker runs them in order: this one killed it
                        break
                    except Exception as exc:  # noqa: BLE001
                        if on_error is None:
                            raise
                        results[i] = on_error(items[i], exc)
                    finished.append(i)
                    if on_progress is not None:
                        on_progress(1)
        except BrokenProcessPool:
            pass
        if culprit is None:
            return
        exc = RuntimeError("the worker process died while handling this document (out of memory?)")
        if on_error is None:
            raise exc
        results[culprit] = on_error(items[culprit], exc)
        if on_progress is not None:
            on_progress(1)
        done = set(finished)
        pending = [i for i in pending if i not in done and i != culprit]
