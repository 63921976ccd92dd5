"""A catalog entry (pure data) and the JSON shape `/problems` answers with."""

from dataclasses import dataclass

from pydantic import BaseModel, Field


@dataclass(frozen=True)
class ProblemEntry:
    """One problem type: its code, the HTTP status it comes with, and advice for integrators."""

    code: str
    status: int
    title: str
    meaning: str
    action: str


class ProblemTypePublic(BaseModel):
    """What one problem `code` means and what to do about it."""

    code: str = Field(description="The `code` of the problem documents of this type")
    status: int = Field(description="The HTTP status those documents come with")
    title: str
    meaning: str = Field(description="What happened; backticks mark literal names")
    action: str = Field(description="What the client should do about it")
    type: str = Field(
        description="The `type` URI of those documents: this page's own address",
        json_schema_extra={"format": "uri"},
    )
