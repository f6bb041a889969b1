"""Run policylint over many documents with Dask — one machine's cores or a cluster.

The library functions are pure (paths in, plain dataclasses out), so a Dask bag
maps them as they are::

    from policylint.contrib.dask import lint_bag, audit

    if __name__ == "__main__":  # the "processes" scheduler re-imports the main script in its workers
        results = lint_bag(paths).compute(scheduler="processes")      # list of FileResult
        report = audit(paths, scheduler="processes")                  # an AuditReport
        from dask.distributed import Client                           # pip install 'dask[distributed]'
        report = audit(paths, scheduler=Client("tcp://scheduler:8786"))  # a cluster

On a cluster every worker needs policylint installed and the paths readable (a
shared file system, or paths the workers can open). From the shell::

    python -m policylint.contrib.dask policies/ --scheduler processes --format json

Needs ``pip install 'policylint[dask]'`` (and ``dask[distributed]`` for a cluster).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policylint.audit import AuditReport, ProductJob
    from policylint.config import Config


def _bag():
    try:
        import dask.bag as db
    except ImportError:
        raise ImportError("policylint.contrib.dask needs Dask: pip install 'policylint[dask]'") from None
    return db


def _client(address: str):
    """A ``dask.distributed.Client`` connected to ``address`` (tcp://host:8786)."""
    _bag()
    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError(
            f"--scheduler {address} needs dask.distributed: pip install 'dask[distributed]'"
        ) from None
    return Client(address)


def scheduler_name(scheduler: Any) -> str:
    """A scheduler in words: "processes scheduler", "distributed scheduler at tcp://…:8786"."""
    if scheduler is None:
        return "default scheduler"
    if isinstance(scheduler, str):
        return f"{scheduler} scheduler"
    address = getattr(getattr(scheduler, "scheduler", None), "address", None)
    if isinstance(address, str):
        return f"distributed scheduler at {address}"
    return f"{getattr(scheduler, '__name__', None) or type(scheduler).__name__} scheduler"


# Dask's local schedulers, by the names dask.compute(scheduler=...) accepts.
LOCAL_SCHEDULERS = (
    "processes",
    "threads",
    "synchronous",
    "sync",
    "single-threaded",
    "threading",
    "multiprocessing",
)


def _partitions(n: int, npartitions: int | None) -> int:
    return max(1, min(n, npartitions or 4 * (os.cpu_count() or 1)))


def _lint_one(path: str, config: Config | None):
    from policylint.api import lint

    return lint(path, config=config)


def _extract_one(path: str):
    from policylint.api import extract

    return extract(path)


def lint_bag(paths: Sequence[str], *, config: Config | dict | None = None, npartitions: int | None = None):
    """A Dask bag of ``FileResult`` — ``policylint.api.lint`` over ``paths``."""
    db = _bag()
    paths = [os.fspath(p) for p in paths]
    return db.from_sequence(paths, npartitions=_partitions(len(paths), npartitions)).map(_lint_one, config)


def extract_bag(paths: Sequence[str], *, npartitions: int | None = None):
    """A Dask bag of ``Policy`` — ``policylint.api.extract`` over ``paths``."""
    db = _bag()
    paths = [os.fspath(p) for p in paths]
    return db.from_sequence(paths, npartitions=_partitions(len(paths), npartitions)).map(_extract_one)


def rule_counts(paths: Sequence[str], *, config=None, scheduler: Any = "processes") -> dict[str, int]:
    """How many findings each rule gives over ``paths`` (reduced on the workers)."""
    bag = lint_bag(paths, config=config).map(lambda r: [f.rule for f in r.findings]).flatten()
    return dict(sorted(bag.frequencies().compute(scheduler=scheduler)))


def _audit_one(job: ProductJob, config: Config | None):
    from policylint.audit import audit_product

    return audit_product(job, config)


def audit(
    inputs: Iterable[str] | Iterable[ProductJob],
    *,
    config: Config | None = None,
    scheduler: Any = "processes",
    npartitions: int | None = None,
) -> AuditReport:
    """``policylint audit`` on Dask: paths (directories, files, manifests) or ProductJobs in,
    an ``AuditReport`` out (render it with ``policylint.audit.render.render``).

    ``scheduler`` is anything ``dask.compute`` accepts: "processes", "threads",
    "synchronous", or a ``dask.distributed.Client``.
    """
    import time

    from policylint.audit import AuditReport, ProductJob, jobs_from_paths
    from policylint.audit.consistency import inconsistencies

    db = _bag()
    started = time.perf_counter()
    items = list(inputs)
    jobs = [i for i in items if isinstance(i, ProductJob)]
    paths = [os.fspath(i) for i in items if not isinstance(i, ProductJob)]
    if paths:
        jobs += jobs_from_paths(paths, config)
    bag = db.from_sequence(jobs, npartitions=_partitions(len(jobs), npartitions)).map(_audit_one, config)
    products = bag.compute(scheduler=scheduler) if jobs else []
    threshold = config.severity if config is not None else "warning"
    parts = bag.npartitions if jobs else 0  # from_sequence may make fewer than asked for
    return AuditReport(
        products=list(products),
        inconsistencies=inconsistencies(products),
        threshold=threshold,
        jobs=None,  # not a local process pool: Dask's scheduler ran the products
        seconds=time.perf_counter() - started,
        runner=(f"Dask ({scheduler_name(scheduler)}, {parts} partition{'s' if parts != 1 else ''})"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m policylint.contrib.dask``: exit 0 pass, 1 a product fails (as ``policylint
    audit``), 2 usage or input error — Dask or dask.distributed missing, a bad path or manifest,
    an unreachable scheduler, an unreadable policy."""
    import argparse
    import sys

    from policylint.audit import AuditInputError, failing
    from policylint.audit.render import FORMATS, render
    from policylint.config import ConfigError, load_config

    parser = argparse.ArgumentParser(
        prog="python -m policylint.contrib.dask", description="policylint audit on a Dask scheduler."
    )
    parser.add_argument("paths", nargs="+", help="directories, policy files or manifests")
    parser.add_argument(
        "--scheduler",
        default="processes",
        help="processes, threads, synchronous, or the address of a dask.distributed scheduler (tcp://…)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    args = parser.parse_args(argv)

    def error(message: str) -> int:
        print(f"policylint: error: {message}", file=sys.stderr)
        return 2

    if "://" not in args.scheduler and args.scheduler not in LOCAL_SCHEDULERS:
        return error(
            f"--scheduler {args.scheduler!r}: choose {', '.join(LOCAL_SCHEDULERS[:3])} or tcp://host:port"
        )
    try:
        _bag()
        config = load_config()
        scheduler: Any = _client(args.scheduler) if "://" in args.scheduler else args.scheduler
    except (ImportError, ConfigError) as exc:
        return error(str(exc))
    except OSError as exc:  # the cluster cannot be reached (Client raises OSError / TimeoutError)
        return error(f"cannot connect to the Dask scheduler at {args.scheduler}: {exc}")
    try:
        report = audit(args.paths, config=config, scheduler=scheduler)
    except AuditInputError as exc:
        return error(str(exc))
    finally:
        if not isinstance(scheduler, str):
            scheduler.close()
    if not report.products:
        return error(f"no policy files found in {', '.join(args.paths)}")
    sys.stdout.write(render(args.format, report))
    unreadable = [p for p in report.products if p.error]
    for p in unreadable:
        print(f"policylint: error: {p.product}: {p.error}", file=sys.stderr)
    if unreadable:
        return 2
    return 1 if any(failing(p, report.threshold) for p in report.products) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
