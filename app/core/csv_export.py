"""`?format=csv` on lists: exports for people, opened in a spreadsheet.

The export is the whole list (filtered and ordered as the JSON list), read in keyset batches.
Choices, made once here:

- The body starts with a UTF-8 byte order mark: Excel reads a CSV without one in the legacy code
  page, which garbles every non-ASCII company or name; LibreOffice, Numbers, Google Sheets and
  Python's `utf-8-sig` all accept it.
- Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) are prefixed
  with `'`: company names and free text come from integrations (CWE-1236).
- `limit` and `cursor` are refused (422) with `format=csv` rather than silently ignored.
- The rows are read in keyset batches, all of them before the response starts: a slow client
  then holds no connection, transaction or admission slot while it downloads, and a failing
  query answers problem+json instead of a truncated 200. So the export is capped
  (`MAX_EXPORT_ROWS`, far above any one seeker's real history); a longer list is a 422.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from app.core.errors import ProblemError, Unprocessable
from app.core.pagination import PageParams

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"
BATCH_SIZE = 500
MAX_EXPORT_ROWS = 100_000
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAGING_PARAMETERS = ("limit", "cursor")

PageResult = tuple[Sequence[Any], bool, str | None]


class ListFormat(StrEnum):
    """How a list answers: one JSON page, or the whole list as CSV."""

    JSON = "json"
    CSV = "csv"


async def list_format(
    request: Request,
    format: Annotated[
        ListFormat,
        Query(
            description="`json`: one page. `csv`: the whole list as a spreadsheet export "
            "(UTF-8 with BOM); `limit` and `cursor` are refused with it."
        ),
    ] = ListFormat.JSON,
) -> ListFormat:
    """The `?format=` of a list; `limit` or `cursor` alongside `csv` is a 422."""
    if format is ListFormat.CSV:
        given = [name for name in PAGING_PARAMETERS if name in request.query_params]
        if given:
            detail = "not used with format=csv: the export is the whole list"
            raise Unprocessable(
                "The request has invalid fields.",
                errors=[ProblemError(parameter=name, detail=detail) for name in given],
            )
    return format


def csv_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry that adds `text/csv` beside a list's JSON page."""
    return {
        200: {"description": description, "content": {"text/csv": {"schema": {"type": "string"}}}}
    }


def neutralise(text: str) -> str:
    """`text`, prefixed with `'` if a spreadsheet would otherwise read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    """One value as CSV text: ISO 8601 dates, lists joined with "; ", null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):  # ours, never a client's text: "-1" stays a number
        return str(value)
    if isinstance(value, list | tuple):
        return neutralise(LIST_SEPARATOR.join("" if item is None else str(item) for item in value))
    return neutralise(str(value))


class ExportTooLarge(Unprocessable):
    """The list is longer than one export may be."""

    code = "export_too_large"


def each_batch(
    read_page: Callable[[PageParams], PageResult], size: int = BATCH_SIZE
) -> Iterator[Sequence[Any]]:
    """Every row of a keyset-paginated list, one page of `size` at a time, in list order."""
    cursor: str | None = None
    read = 0
    while True:
        rows, has_more, cursor = read_page(PageParams(limit=size, cursor=cursor))
        read += len(rows)
        if read > MAX_EXPORT_ROWS:
            raise ExportTooLarge(f"The list has more than {MAX_EXPORT_ROWS:,} rows to export.")
        yield rows
        if not has_more:
            return


def csv_chunks(columns: Sequence[str], batches: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The BOM and header row, then one chunk of CSV text per batch of rows (by attribute)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 quoting and line ends
    writer.writerow(columns)
    head = BOM + buffer.getvalue()
    for rows in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([cell(getattr(row, name)) for name in columns] for row in rows)
        yield head + buffer.getvalue()
        head = ""
    if head:
        yield head


def csv_response(chunks: Iterator[str], *, filename: str) -> Response:
    """`chunks` as an attachment, every one read (from the database) before it is sent."""
    return Response(
        "".join(chunks).encode(),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
