"""Field types shared by request models: the input limits of API.md, declared once."""

from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    ConfigDict,
    Field,
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

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
LongText = Annotated[str, StringConstraints(max_length=TEXT_MAX)]
ExternalId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=EXTERNAL_ID_MAX)
]
SourceName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"
    ),
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
TagList = Annotated[list[Tag], Field(max_length=MAX_LIST_ITEMS)]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2048, pattern=r"^https?://\S+$")
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
Timestamp = AwareDatetime


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
