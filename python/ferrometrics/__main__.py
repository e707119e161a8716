"""The ``ferrometrics`` command (also ``python -m ferrometrics``)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ferrometrics", description="Keras-exact classification metrics, fast."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="evaluate the metrics on generated data")
    demo.add_argument("--rows", type=int, default=2_000_000, help="samples to generate")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run

        if args.rows < 1:
            parser.error("--rows must be positive")
        return run(args.rows)
    return 2


if __name__ == "__main__":
    sys.exit(main())
