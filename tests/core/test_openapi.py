"""The committed OpenAPI document is the one the app serves, and errors are problem+json."""

from fastapi import FastAPI

from app.cli import DEFAULT_OPENAPI, render_openapi


def test_openapi_committed_file_matches_the_app(app: FastAPI) -> None:
    committed = DEFAULT_OPENAPI.read_text()
    assert committed == render_openapi(app.openapi()), "run `make openapi` and commit the result"


def test_openapi_declares_errors_as_problem_json(app: FastAPI) -> None:
    schema = app.openapi()
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, operation in operations.items():
            for status in ("401", "404", "422"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)


def test_openapi_requires_bearer_auth_on_v1(app: FastAPI) -> None:
    schema = app.openapi()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        if path.startswith("/v1"):
            for operation in operations.values():
                assert operation.get("security") == [{"HTTPBearer": []}], path
