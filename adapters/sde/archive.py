"""Open a CCP SDE JSONL export (a .zip or an unpacked folder) and stream its files line by line."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypeVar

import orjson

from adapters.sde.fields import RecordError

Row = TypeVar("Row")


class SdeImportError(Exception):
    """The SDE source is unusable (missing, not a zip, a file or line malformed); nothing was imported."""


class SdeArchive:
    """The JSONL files of one SDE export, found by file name at the root or in one subfolder."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if not location.exists():
            raise SdeImportError(f"SDE source not found: {location}")
        if location.is_dir():
            for path in sorted(location.rglob("*.jsonl"), key=lambda p: (len(p.parts), str(p))):
                self._members.setdefault(path.name, str(path))
            return
        try:
            self._zip = zipfile.ZipFile(location)
        except (zipfile.BadZipFile, OSError) as error:
            raise SdeImportError(f"not a zip file: {location} ({error})") from None
        for info in sorted(self._zip.infolist(), key=lambda i: (i.filename.count("/"), i.filename)):
            name = PurePosixPath(info.filename).name
            if name.endswith(".jsonl") and not info.is_dir():
                self._members.setdefault(name, info.filename)

    def close(self) -> None:
        """Release the zip file handle."""
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> SdeArchive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def has(self, file_name: str) -> bool:
        """Whether the export holds `file_name` (e.g. "types.jsonl")."""
        return file_name in self._members

    def require(self, *file_names: str) -> None:
        """Raise SdeImportError naming the first file the export lacks."""
        for file_name in file_names:
            if not self.has(file_name):
                raise SdeImportError(f"{file_name} missing from SDE source {self.location}")

    def _open(self, file_name: str) -> IO[bytes]:
        member = self._members[file_name]
        if self._zip is not None:
            return self._zip.open(member)
        return open(member, "rb")

    def records(self, file_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield (line number, JSON object) per non-blank line; an absent file yields nothing."""
        if not self.has(file_name):
            return
        line_number = 0
        try:
            with self._open(file_name) as stream:
                for line_number, line in enumerate(stream, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = orjson.loads(line)
                    except orjson.JSONDecodeError as error:
                        raise self.error(file_name, line_number, f"malformed JSON ({error})") from None
                    if not isinstance(record, dict):
                        raise self.error(file_name, line_number, "expected a JSON object")
                    yield line_number, record
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise self.error(file_name, line_number + 1, f"unreadable ({error})") from None

    def rows(self, file_name: str, convert: Callable[[dict[str, Any]], Row | None]) -> Iterator[Row]:
        """Convert each record to a row (None skips it); a bad field raises SdeImportError with the line."""
        for line_number, record in self.records(file_name):
            try:
                row = convert(record)
            except RecordError as error:
                raise self.error(file_name, line_number, str(error)) from None
            if row is not None:
                yield row

    def error(self, file_name: str, line_number: int, problem: str) -> SdeImportError:
        """An SdeImportError naming the file, the line and the source."""
        return SdeImportError(f"{file_name} line {line_number}: {problem} (in {self.location})")
