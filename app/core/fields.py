"""Field types shared by request models: the input limits of API.md, declared once.

Each type validates exactly what its JSON schema says, so that a request matching the OpenAPI
document is accepted and one that does not is refused (a 422). Patterns are written for every
engine that reads them alike (JSON Schema's ECMA-262, pydantic's Rust `regex`, Python's `re`):
explicit character classes and `\\uXXXX` escapes, never `\\s`, `\\d` or `\\w` (their meanings
differ).
"""

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from importlib.resources import files
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    GetPydanticSchema,
    Strict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema
from sqlmodel import SQLModel

MAX_LIST_ITEMS = 100
NAME_MAX = 200
TEXT_MAX = 10_000
EXTERNAL_ID_MAX = 255
ID_MAX = 40

# PostgreSQL cannot store U+0000 in text, so no string the API takes may hold it.
NO_NUL = r"^[^\u0000]*$"
# What `str.strip()` removes (`str.isspace()`): a stripped name needs one other character.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_WS = "".join(f"\\u{ord(c):04x}" for c in WHITESPACE)
HAS_TEXT = rf"^[^\u0000]*[^{_WS}\u0000][^\u0000]*$"


def _stripped(value: str) -> str:
    return value.strip(WHITESPACE)


# Stripped after the checks: the limits apply to what the client sent, as the schema says.
Stripped = AfterValidator(_stripped)


def text(max_length: int, *, min_length: int | None = None, pattern: str = NO_NUL) -> Any:
    """The constraints of a string field: at most `max_length` characters as sent, no NUL."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern)


Name = Annotated[str, text(NAME_MAX, min_length=1, pattern=HAS_TEXT), Stripped]
LongText = Annotated[str, text(TEXT_MAX)]
ExternalId = Annotated[str, text(EXTERNAL_ID_MAX, min_length=1, pattern=HAS_TEXT), Stripped]
IdRef = Annotated[str, text(ID_MAX, min_length=1)]  # an id the client names; never parsed
Tag = Annotated[str, text(100, min_length=1, pattern=HAS_TEXT), Stripped]
TagList = Annotated[list[Tag], Field(max_length=MAX_LIST_ITEMS)]
SourceName = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]
Locale = Annotated[
    str, StringConstraints(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
]


def _integral(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; Python's JSON reader hands it over as a float.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Strict: `true` is not 1 and "3" is not 3 (lax parsing would take both, which the schema refuses).
Integer = Annotated[int, BeforeValidator(_integral), Strict()]
Number = Annotated[float, Strict()]  # an int is a number too (Strict still takes it)
Mood = Annotated[Integer, Field(ge=1, le=5)]

# A URL a server can call: http(s); an IPv4 address, a bracketed IPv6 address (RFC 3986), one
# all-digit label (an address as one number) or a DNS name whose last label starts with a letter
# (the webhook sender's URL parser reads anything else made of four numbers as a bad IPv4
# address); an optional port (1..65535); then visible ASCII. No user info: receivers verify
# signatures, not credentials in the URL.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = "|".join(
    [
        rf"(?:{_H16}:){{6}}{_LS32}",
        rf"::(?:{_H16}:){{5}}{_LS32}",
        rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
        rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
        rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
        rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
    ]
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_LAST_LABEL = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_IPV4}|\[(?:{_IPV6})\]|[0-9]{{1,63}}|(?:{_LABEL}\.)*{_LAST_LABEL})"
_PORT = r"(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
URL_PATTERN = rf"^https?://{_HOST}(?::{_PORT})?(?:[/?#][!-~]*)?$"
Url = Annotated[str, StringConstraints(max_length=2048, pattern=URL_PATTERN)]

# Calendar dates and instants between 1970 and 2999 (as written): history windows reach a year
# back, and years past 9999 have no Python form. Only RFC 3339 text: pydantic alone would also
# take numbers as Unix times, a space for `T`, `+0100` and second 60, which the schema refuses.
_YEAR = r"(?:19[7-9][0-9]|2[0-9]{3})"
_DATE = rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
_OFFSET = r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DATE_PATTERN = rf"^{_DATE}$"
DATETIME_PATTERN = rf"^{_DATE}[Tt]{_TIME}{_OFFSET}$"


def _rfc3339(kind: str, pattern: str) -> BeforeValidator:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, date):  # built in Python, not read from JSON
            return value
        if not isinstance(value, str) or compiled.fullmatch(value) is None:
            raise PydanticCustomError(
                "rfc3339", f"must be an RFC 3339 {kind} between 1970 and 2999"
            )
        return value

    return BeforeValidator(check)


def _in_utc(value: datetime) -> datetime:
    # Normalised at the edge, so every response (often served from the object just built) is UTC.
    if not 1970 <= value.year <= 2999:  # as written; 1970..2999 always has a UTC form
        raise ValueError("must lie between 1970 and 2999")
    return value.astimezone(UTC)


CalendarDate = Annotated[
    date,
    _rfc3339("full-date", DATE_PATTERN),
    Field(ge=date(1970, 1, 1), le=date(2999, 12, 31)),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Timestamp = Annotated[
    datetime,
    _rfc3339("date-time with an offset", DATETIME_PATTERN),
    AfterValidator(_in_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]

# IANA zones, as an enum the schema names once (`TimeZone`) and the server checks exactly. The
# list is the tzdata package's (a pinned dependency), not the host's, so every machine declares
# the same zones (and the committed OpenAPI document does not drift with the operating system).
TIME_ZONES = frozenset(files("tzdata").joinpath("zones").read_text().split())
TimeZone = StrEnum("TimeZone", {zone: zone for zone in sorted(TIME_ZONES)})  # type: ignore[misc]
TimeZone.__doc__ = "An IANA time zone name"


def _zone_schema(_source: Any, handler: Any) -> CoreSchema:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in TIME_ZONES:
            raise PydanticCustomError(
                "time_zone", "must be an IANA time zone such as Europe/Lisbon"
            )
        return value

    return core_schema.no_info_plain_validator_function(
        check,
        json_schema_input_schema=handler.generate_schema(TimeZone),
        serialization=core_schema.to_string_ser_schema(),  # stored zones are answered as text
    )


TimeZoneName = Annotated[str, GetPydanticSchema(_zone_schema)]


class PatchModel(SQLModel):
    """Base of PATCH bodies: unknown fields are refused, and so is `null` for required fields.

    The JSON schema says so: the fields in `not_nullable` may be left out but are never null.
    """

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
    not_nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null_for_required(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in cls.not_nullable:
            raise PydanticCustomError("null_not_allowed", "cannot be null; leave the field out")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The model's schema without the `null` branch of its `not_nullable` fields."""
        reference = handler(schema)
        json_schema = handler.resolve_ref_schema(reference)
        for name in cls.not_nullable:
            field = json_schema["properties"][name]
            branches = [b for b in field.pop("anyOf", []) if b.get("type") != "null"]
            if len(branches) == 1:
                field.update(branches[0])
            elif branches:
                field["anyOf"] = branches
            field.pop("default", None)
        return reference
