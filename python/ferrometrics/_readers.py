"""Chunked readers for the command: CSV and Parquet (pyarrow), .npy and .npz (NumPy).

Every reader yields ``dict[column name, float64 array]`` chunks of at most ``chunk_rows``
rows, so a file larger than memory is read with bounded memory (.npz members are the
exception: NumPy cannot map them, so each column is loaded whole). Columns named in ``raw``
(the command's ``--by``) come as read: text, integers, pyarrow arrays.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import numpy as np


class ReadError(ValueError):
    """A file that cannot be read as asked: missing, unknown format, missing columns."""


class Table:
    """A file's columns, its row count when known up front, and its chunks."""

    def __init__(
        self, path: str, columns: list[str], chunk_rows: int, raw: tuple[str, ...] = ()
    ) -> None:
        if not os.path.exists(path):
            raise ReadError(f"no such file: {path}")
        self.path, self.columns, self.chunk_rows = path, columns, chunk_rows
        name = path.lower()
        if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz")):
            tab = name.endswith((".tsv", ".tsv.gz"))
            self._reader = _CsvReader(path, columns, chunk_rows, "\t" if tab else ",", raw)
        elif name.endswith((".parquet", ".pq")):
            self._reader = _ParquetReader(path, columns, chunk_rows, raw)
        elif name.endswith(".npy"):
            self._reader = _NpyReader(path, columns, chunk_rows, raw)
        elif name.endswith(".npz"):
            self._reader = _NpzReader(path, columns, chunk_rows, raw)
        else:
            raise ReadError(
                f"unknown file format: {path} "
                "(expected .csv, .tsv, either gzipped (.gz), .parquet, .npy or .npz)"
            )

    @property
    def total(self) -> int | None:
        """Rows (or, for CSV, bytes) to expect: the progress bar's total."""
        return self._reader.total

    @property
    def unit(self) -> str:
        return self._reader.unit

    def chunks(self) -> Iterator[tuple[dict[str, np.ndarray], int]]:
        """``(columns, progress)``: each chunk and how far it advanced the total."""
        return self._reader.chunks()


def _missing(wanted: list[str], available: list[str], path: str) -> None:
    absent = [c for c in wanted if c not in available]
    if absent:
        raise ReadError(
            f"column {absent[0]!r} not found in {path}; available columns: "
            + ", ".join(repr(c) for c in available)
        )


def _pyarrow(module: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as error:
        raise ReadError(
            'reading CSV and Parquet needs pyarrow: pip install "ferrometrics[cli]"'
        ) from error


class _CsvReader:
    unit = "B"

    def __init__(
        self, path: str, columns: list[str], chunk_rows: int, delimiter: str, raw: tuple = ()
    ) -> None:
        pa = _pyarrow("pyarrow")
        csv = _pyarrow("pyarrow.csv")
        self.path, self.columns, self.delimiter, self.raw = path, columns, delimiter, raw
        self.total = os.path.getsize(path)
        # pyarrow reads a few dozen blocks ahead, so memory is bounded by the block size:
        # 4 MB blocks (about 100k rows) keep it near 200 MB for files of any size.
        block = max(1 << 16, min(1 << 22, chunk_rows * 24))
        self._open = lambda stream: csv.open_csv(
            stream,
            read_options=csv.ReadOptions(block_size=block),
            parse_options=csv.ParseOptions(delimiter=delimiter),
            convert_options=csv.ConvertOptions(
                include_columns=columns,
                # Group columns stay text: a type inferred per block could change.
                column_types={c: pa.string() if c in raw else pa.float64() for c in columns},
            ),
        )
        available = _csv_header(path, delimiter)
        if not available:
            raise ReadError(f"{path} is empty (no header)")
        _missing(columns, available, path)

    def chunks(self) -> Iterator[tuple[dict[str, np.ndarray], int]]:
        raw, stream = _input_stream(self.path)
        try:
            reader = self._read(lambda: self._open(stream))  # reads and converts a first block
            read_so_far, first_row = 0, 1
            while (batch := self._read(reader.read_next_batch)) is not None:
                # Progress is the file's read position (compressed bytes for .gz), which ends
                # at its size; decoded batch sizes do not add up to it.
                position = raw.tell()
                columns = {c: _column(batch, c, first_row, self.raw) for c in self.columns}
                yield columns, position - read_so_far
                read_so_far, first_row = position, first_row + batch.num_rows
        finally:
            stream.close()
            raw.close()

    def _read(self, read: Any) -> Any:
        """``read()``, or None at the end; pyarrow's errors become ``ReadError``."""
        pa = _pyarrow("pyarrow")
        try:
            return read()
        except StopIteration:
            return None
        except pa.ArrowInvalid as error:
            raise self._conversion_error(error) from error
        except OSError as error:  # a truncated or corrupt .gz
            raise ReadError(f"cannot read {self.path}: {error}") from error

    def _conversion_error(self, error: Exception) -> ReadError:
        """pyarrow names the column but not always the row: find the first bad cell."""
        import csv

        with _open_text(self.path) as f:
            rows = csv.DictReader(f, delimiter=self.delimiter)
            for number, row in enumerate(rows, start=1):
                for column in (c for c in self.columns if c not in self.raw):
                    cell = (row.get(column) or "").strip()
                    try:
                        float(cell)
                    except ValueError:
                        return ReadError(
                            f"row {number}: {cell!r} in column {column!r} is not a number"
                        )
        return ReadError(f"{self.path}: {str(error).strip()}")


def _input_stream(path: str) -> tuple[Any, Any]:
    """The file and the stream to parse: pyarrow detects gzip by a lowercase ".gz" only, so
    the codec is named here, for any case."""
    pa = _pyarrow("pyarrow")
    raw = pa.OSFile(path)
    return raw, pa.CompressedInputStream(raw, "gzip") if path.lower().endswith(".gz") else raw


def _open_text(path: str) -> Any:
    import gzip

    opener: Any = gzip.open if path.lower().endswith(".gz") else open
    # utf-8-sig drops a BOM, as pyarrow does, so the first header cell matches.
    return opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="")


def _csv_header(path: str, delimiter: str) -> list[str]:
    import csv
    import zlib

    try:
        with _open_text(path) as f:
            return next(csv.reader(f, delimiter=delimiter), [])
    except (OSError, EOFError, zlib.error) as error:  # zlib: a corrupt .gz
        raise ReadError(f"cannot read {path}: {error}") from error


def _column(batch: Any, name: str, first_row: int, raw: tuple = ()) -> Any:
    column = batch.column(batch.schema.get_field_index(name))
    if name in raw:
        return column
    return _floats(column.to_numpy(zero_copy_only=False), name, first_row)


def _floats(values: Any, column: str, first_row: int) -> np.ndarray:
    """float64 values; a cell that is not a number is reported by its data row, as in CSV."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        for index, value in enumerate(values):
            shown = value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value
            try:
                float(value)
            except (TypeError, ValueError):
                raise ReadError(
                    f"row {first_row + index}: {shown!r} in column {column!r} is not a number"
                ) from None
        raise ReadError(f"column {column!r} is not numbers: {error}") from error


def _floats_unless(values: Any, column: str, first_row: int, raw: tuple) -> Any:
    return np.asarray(values) if column in raw else _floats(values, column, first_row)


class _ParquetReader:
    unit = "rows"

    def __init__(self, path: str, columns: list[str], chunk_rows: int, raw: tuple = ()) -> None:
        pq = _pyarrow("pyarrow.parquet")
        self.raw = raw
        try:
            # Without pre-buffering, memory follows the batch, not the file.
            self._file = pq.ParquetFile(path, pre_buffer=False)
        except Exception as error:  # noqa: BLE001 - pyarrow raises several kinds
            raise ReadError(f"cannot read {path} as Parquet: {error}") from error
        _missing(columns, self._file.schema_arrow.names, path)
        self.path, self.columns, self.chunk_rows = path, columns, chunk_rows
        self.total = self._file.metadata.num_rows

    def chunks(self) -> Iterator[tuple[dict[str, np.ndarray], int]]:
        pa = _pyarrow("pyarrow")
        batches = self._file.iter_batches(batch_size=self.chunk_rows, columns=self.columns)
        first_row = 1
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                return
            except (OSError, pa.ArrowException) as error:  # corrupt pages
                raise ReadError(f"cannot read {self.path} as Parquet: {error}") from error
            # Missing values become NaN, which the checks then report by row.
            yield {c: _column(batch, c, first_row, self.raw) for c in self.columns}, batch.num_rows
            first_row += batch.num_rows


class _NpyReader:
    """A 2-D array (columns named by index: ``--label 0 --score 1``) or a structured one."""

    unit = "rows"

    def __init__(self, path: str, columns: list[str], chunk_rows: int, raw: tuple = ()) -> None:
        self.raw = raw
        try:
            self._array = np.load(path, mmap_mode="r", allow_pickle=False)
        except Exception as error:  # noqa: BLE001 - NumPy raises several kinds
            raise ReadError(f"cannot read {path} as .npy: {error}") from error
        names = self._array.dtype.names
        if names:
            available = list(names)
        elif self._array.ndim == 2:
            available = [str(i) for i in range(self._array.shape[1])]
        else:
            raise ReadError(
                f"{path}: expected a 2-D array (columns by index) or a structured array, "
                f"got shape {self._array.shape}"
            )
        _missing(columns, available, path)
        self.columns, self.chunk_rows = columns, chunk_rows
        self.total = len(self._array)

    def chunks(self) -> Iterator[tuple[dict[str, np.ndarray], int]]:
        structured = self._array.dtype.names is not None
        for start in range(0, len(self._array), self.chunk_rows):
            block = self._array[start : start + self.chunk_rows]
            yield (
                {
                    c: _floats_unless(
                        block[c] if structured else block[:, int(c)], c, start + 1, self.raw
                    )
                    for c in self.columns
                },
                len(block),
            )


class _NpzReader:
    """An archive of 1-D arrays of equal length, one per column (its name in the archive)."""

    unit = "rows"

    def __init__(self, path: str, columns: list[str], chunk_rows: int, raw: tuple = ()) -> None:
        self.raw = raw
        try:
            archive = np.load(path, allow_pickle=False)
            _missing(columns, list(archive.files), path)
            self._columns = {c: np.asarray(archive[c]) for c in columns}
        except ReadError:
            raise
        except Exception as error:  # noqa: BLE001 - NumPy raises several kinds
            raise ReadError(f"cannot read {path} as .npz: {error}") from error
        lengths = {c: a.shape for c, a in self._columns.items()}
        if any(len(s) != 1 for s in lengths.values()) or len(set(lengths.values())) > 1:
            raise ReadError(f"{path}: columns must be 1-D arrays of one length, got {lengths}")
        self.chunk_rows = chunk_rows
        self.total = len(next(iter(self._columns.values())))

    def chunks(self) -> Iterator[tuple[dict[str, np.ndarray], int]]:
        for start in range(0, self.total, self.chunk_rows):
            stop = start + self.chunk_rows
            yield (
                {
                    c: _floats_unless(a[start:stop], c, start + 1, self.raw)
                    for c, a in self._columns.items()
                },
                (min(stop, self.total) - start),
            )
