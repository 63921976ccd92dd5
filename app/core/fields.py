"""Field types shared by request models: the input limits of API.md, declared once."""

from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from sqlmodel import SQLModel

MAX_LIST_ITEMS = 100
NAME_MAX = 200
TEXT_MAX = 10_000
EXTERNAL_ID_MAX = 255


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text: refuse it here, as a 422, not later as a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL (U+0000) characters")
    return value


NoNul = AfterValidator(_no_nul)
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX), NoNul
]
LongText = Annotated[str, StringConstraints(max_length=TEXT_MAX), NoNul]
ExternalId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=EXTERNAL_ID_MAX), NoNul
]
IdRef = Annotated[
    str, StringConstraints(min_length=1, max_length=40), NoNul
]  # an id the client names; never parsed
Mood = Annotated[int, Strict(), Field(ge=1, le=5)]  # `true` is not a mood
CalendarDate = Annotated[date, Field(ge=date(1970, 1, 1), le=date(2999, 12, 31))]
SourceName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"
    ),
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul]
TagList = Annotated[list[Tag], Field(max_length=MAX_LIST_ITEMS)]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2048, pattern=r"^https?://\S+$"),
    NoNul,
]


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {value!r}") from exc
    return value


TimeZoneName = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_valid_timezone)
]
Locale = Annotated[
    str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
]


def _in_utc(value: datetime) -> datetime:
    # Normalised at the edge, so every response (often served from the object just built) is UTC.
    # 0001-01-01T00:00+01:00 is valid RFC 3339 but has no UTC form in Python: refuse it (422).
    try:
        value = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("is out of range once converted to UTC") from exc
    if not 1970 <= value.year <= 2999:  # history windows reach a year back from it
        raise ValueError("must lie between 1970 and 2999")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class PatchModel(SQLModel):
    """Base of PATCH bodies: unknown fields are refused, and so is `null` for required fields."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
    not_nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null_for_required(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in cls.not_nullable:
            raise PydanticCustomError("null_not_allowed", "cannot be null; leave the field out")
        return value
