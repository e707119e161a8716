"""The ``ferrometrics`` command: ``evaluate`` a file of scores, or run the ``demo``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import ferrometrics as fm

from ._evaluation import DEFAULT_THRESHOLDS, BadValue, Evaluation
from ._readers import ReadError, Table
from ._report import format_report
from ._slices import Slices, format_slices

CHUNK_ROWS = 1_000_000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ferrometrics", description="Keras-exact classification metrics, fast."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser(
        "evaluate",
        help="evaluate a file of labels and scores",
        description="Evaluate scores against 0/1 labels in a CSV, TSV, Parquet, .npy or .npz "
        "file, streaming it in chunks. Repeat --label/--score for several labels.",
    )
    evaluate.add_argument("file", help="a .csv or .tsv (maybe .gz), .parquet, .npy or .npz file")
    evaluate.add_argument(
        "--label", action="append", required=True, help="label column (0/1); repeatable"
    )
    evaluate.add_argument(
        "--score", action="append", required=True, help="score column, in [0, 1]; repeatable"
    )
    evaluate.add_argument("--weight", help="sample-weight column")
    evaluate.add_argument(
        "--num-thresholds",
        type=int,
        default=DEFAULT_THRESHOLDS,
        help="thresholds of the curves (default 200, as Keras)",
    )
    evaluate.add_argument(
        "--exact",
        action="store_true",
        help="add the exact ROC AUC and average precision (scikit-learn's numbers)",
    )
    evaluate.add_argument(
        "--by",
        action="append",
        metavar="COL",
        help="also report per value of this column (a slice); repeat to cross columns",
    )
    evaluate.add_argument(
        "--min-slice-rows",
        type=int,
        default=1,
        metavar="N",
        help="leave slices with fewer rows out of the per-slice report (default 1)",
    )
    evaluate.add_argument("--plot", metavar="OUT", help="write ROC and PR curves (.png or .svg)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, help=argparse.SUPPRESS)
    demo = commands.add_parser("demo", help="evaluate generated data, next to the reference")
    demo.add_argument("--rows", type=int, default=2_000_000, help="samples to generate")
    demo.add_argument(
        "--plot", metavar="OUT", default="ferrometrics-demo.png", help="where to write curves"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        status = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, not in the flush at exit
    except BrokenPipeError:
        # The reader went away (`| head`): exit quietly, as the Python docs advise, with stdout
        # on devnull so that the interpreter's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from ._demo import run

        if args.rows < 1:
            parser.error("--rows must be positive")
        if args.plot and (error := _plot_error(args.plot, need_matplotlib=False)):
            return _fail(error)
        return run(args.rows, args.plot)
    if len(args.label) != len(args.score):
        parser.error("give one --score for each --label")
    if args.num_thresholds < 2:
        parser.error("--num-thresholds must be an integer > 1")
    if args.chunk_rows < 1:
        parser.error("--chunk-rows must be positive")
    if args.min_slice_rows < 0:
        parser.error("--min-slice-rows must be >= 0")
    if args.plot and (error := _plot_error(args.plot, need_matplotlib=True)):
        return _fail(error)
    try:
        report, evaluation, slices = evaluate_file(args)
    except (ReadError, BadValue) as error:
        return _fail(error)
    if args.plot:
        from ._plot import write_plot

        try:
            write_plot(evaluation, args.plot, slices, args.min_slice_rows)
        except (ImportError, ValueError) as error:
            return _fail(error)
    if args.json:
        print(json.dumps(report))
    else:
        print(format_report(report, args.file))
        if slices is not None:
            print("\n" + _slice_tables(report, args))
        if args.plot:
            print(f"\ncurves written to {args.plot}")
    return 0


def _fail(error: object) -> int:
    print(f"ferrometrics: error: {error}", file=sys.stderr)
    return 1


def _plot_error(path: str, need_matplotlib: bool) -> str | None:
    """Why the plot could not be written, found before the data is read."""
    import importlib.util

    from ._plot import check_plot_path

    try:
        check_plot_path(path)
    except ValueError as error:
        return str(error)
    if need_matplotlib and importlib.util.find_spec("matplotlib") is None:
        return 'plots need matplotlib: pip install "ferrometrics[cli]"'
    return None


def evaluate_file(args: argparse.Namespace) -> tuple[dict[str, Any], Evaluation, Slices | None]:
    pairs = list(zip(args.label, args.score))
    numeric = [c for pair in pairs for c in pair] + [args.weight or ""]
    by = list(dict.fromkeys(args.by or []))
    wanted = [c for c in dict.fromkeys(numeric + by) if c]
    # A group column that is also a label, score or weight is read as numbers.
    raw = tuple(c for c in by if c not in numeric)
    table = Table(args.file, wanted, args.chunk_rows, raw)
    names = [score if len(pairs) == 1 else f"{label}/{score}" for label, score in pairs]
    # A pair given twice is evaluated twice: number the repeats so neither hides the other.
    names = [
        name if (n := names[:i].count(name)) == 0 else f"{name}#{n + 1}"
        for i, name in enumerate(names)
    ]
    evaluation = Evaluation(names, args.num_thresholds, fm, exact=args.exact)
    slices = Slices(len(pairs), args.num_thresholds, fm) if by else None
    progress = _progress(table, enabled=not args.json and sys.stderr.isatty())
    started = time.perf_counter()
    try:
        for columns, advanced in table.chunks():
            evaluation.update(
                [columns[label] for label, _ in pairs],
                [columns[score] for _, score in pairs],
                columns[args.weight] if args.weight else None,
                first_row=evaluation.rows + 1,
                columns=pairs,
                weight_column=args.weight,
            )
            if slices is not None:  # the values were checked by the overall update
                slices.update(
                    [columns[label] for label, _ in pairs],
                    [columns[score] for _, score in pairs],
                    columns[args.weight] if args.weight else None,
                    [columns[c] for c in by],
                )
            if progress is not None:
                progress.update(advanced)
    finally:
        if progress is not None:
            progress.close()
    if evaluation.rows == 0:  # every metric would be a meaningless 0
        raise ReadError(f"{args.file} has no data rows")
    report = evaluation.results()
    if slices is not None:
        _add_slices(report, slices, names, by, args.min_slice_rows)
    report["seconds"] = round(time.perf_counter() - started, 4)
    return report, evaluation, slices


def _add_slices(
    report: dict[str, Any], slices: Slices, names: list[str], by: list[str], min_rows: int
) -> None:
    """``"slices"`` per pair (inside ``"labels"`` for several), and what was left out."""
    if "labels" in report:
        for index, name in enumerate(names):
            report["labels"][name]["slices"] = slices.results(index, min_rows)
    else:
        report["slices"] = slices.results(0, min_rows)
    report["by"] = "|".join(by)
    report["slices_left_out"] = len(slices.keys) - len(slices.kept(min_rows))
    report["min_slice_rows"] = min_rows


def _slice_tables(report: dict[str, Any], args: argparse.Namespace) -> str:
    left_out = report["slices_left_out"]
    note = f"; {left_out} with fewer than {args.min_slice_rows:,} rows left out" if left_out else ""
    per_pair = (
        {name: values["slices"] for name, values in report["labels"].items()}
        if "labels" in report
        else {"": report["slices"]}
    )
    tables = []
    for name, slices in per_pair.items():
        title = f"by {report['by']}{' for ' + name if name else ''}: {len(slices)} slices{note}"
        tables.append(format_slices(slices, title))
    return "\n\n".join(tables)


def _progress(table: Table, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(
        total=table.total,
        unit=table.unit,
        unit_scale=True,
        desc="evaluating",
        file=sys.stderr,
        leave=False,
        mininterval=0.5,
    )
