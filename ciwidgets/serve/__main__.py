"""`python -m ciwidgets.serve`: `serve()` with all of its options on the command line.

Options after `--` go to Voilà unchanged, e.g.
`python -m ciwidgets.serve --db demo.db -- --MappingKernelManager.cull_interval=5`.
"""

from __future__ import annotations

import argparse
import sys

from .app import Defaults, serve


def _pool(text: str) -> tuple[str, int]:
    name, _, size = text.partition("=")
    try:
        return name, int(size or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not NOTEBOOK=SIZE") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ciwidgets.serve", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="store file or database URL (CIWIDGETS_DB of every kernel)")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--open", action="store_true", help="open a browser")
    p.add_argument("--workbooks", help="folder of notebooks to serve (default: the shipped workbooks)")
    p.add_argument("--no-preheat", action="store_true", help="start every kernel on demand")
    p.add_argument("--pool-size", type=int, default=Defaults.pool_size, help="preheated kernels per workbook")
    p.add_argument(
        "--pool", type=_pool, action="append", metavar="NOTEBOOK=SIZE",
        help="preheat only these notebooks (repeatable; replaces the default choice)",
    )
    p.add_argument("voila_args", nargs="*", help="Voilà options, after --")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return serve(
        db=args.db,
        port=args.port,
        host=args.host,
        open_browser=args.open,
        preheat=not args.no_preheat,
        pool_size=args.pool_size,
        pools=dict(args.pool) if args.pool else None,
        workbooks=args.workbooks,
        extra_args=args.voila_args,
    )


if __name__ == "__main__":
    sys.exit(main())
