"""create_app(): middleware, error handlers and routers."""

import asyncio
import contextlib
import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api import api_router
from app.core import conditional
from app.core.config import get_settings
from app.core.db import limit_concurrency
from app.core.errors import Problem, install_error_handlers
from app.core.finish import FinishMiddleware
from app.core.observability import RequestContextMiddleware, configure_logging
from app.core.ratelimit import RateLimitHeaders
from app.idempotency.dependencies import Replay, replay_response
from app.ops.docs import router as docs_router
from app.ops.router import router as ops_router
from app.problems.router import router as problems_router
from app.rejection.models import RejectionBatchItem
from app.rules.registry import get_registry
from app.sweep import service as sweep_service
from app.webhook import worker as webhook_worker

logger = logging.getLogger("rebound.sweep")

DESCRIPTION = """Rebound records job rejections and turns them into concrete, explained next steps.

Every error is `application/problem+json` (RFC 9457) with a stable `code`; its `type` links to
`/problems/{code}`, which says what the code means and what to do.
"""


def _openapi_with_problems(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, RejectionBatchItem):  # referenced by hand, not through a route
        extra = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(extra.pop("$defs", {}))
        components[model.__name__] = extra
    app.openapi_schema = schema
    return schema


async def sweep_periodically(interval: float) -> None:
    """Run the sweep every `interval` seconds, in a worker thread, until cancelled.

    Cancelling also asks a sweep in progress to stop after its current batch, so shutting down
    does not wait for a whole sweep.
    """
    stop = threading.Event()
    try:
        while True:
            await asyncio.sleep(interval)
            try:
                report = await anyio.to_thread.run_sync(sweep_service.run_once, stop)
            except Exception:
                logger.exception("sweep failed; retrying at the next interval")
            else:
                logger.info("sweep", extra={"sweep": asdict(report)})
    finally:
        stop.set()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Per-process set-up: JSON logs, admission control bound to the loop, the periodic sweep."""
    settings = get_settings()
    configure_logging(settings.log_level)
    limit_concurrency(app.state)
    # What exists now (modules, the app, the rule catalog) lives as long as the process; moved
    # out of the collector's sight, it is not rescanned by every collection the requests' object
    # churn triggers (those pauses were the slow outliers of the batch benchmark).
    gc.collect()
    gc.freeze()
    sweeper = None
    if settings.sweep_interval_seconds > 0:
        sweeper = asyncio.create_task(sweep_periodically(settings.sweep_interval_seconds))
    deliverer = None
    if settings.runs_webhook_worker_in_process:  # development: `rebound worker` in production
        deliverer = asyncio.create_task(webhook_worker.run_in_process())
    try:
        yield
    finally:
        if deliverer is not None:
            deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await deliverer
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper


def create_app() -> FastAPI:
    """Build the application."""
    settings = get_settings()
    get_registry()  # a malformed catalog module stops the start, loudly
    app = FastAPI(
        title="Rebound",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's own pages load their assets from public hosts; app/ops/docs.py serves them.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    conditional.install(app)
    app.add_exception_handler(Replay, replay_response)
    app.add_middleware(FinishMiddleware)  # inside the request context: it sees the request id
    app.add_middleware(RateLimitHeaders)  # outside Finish: stored responses keep no budget
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    app.include_router(ops_router)
    app.include_router(docs_router)
    app.include_router(problems_router)
    app.include_router(api_router)
    app.openapi = lambda: _openapi_with_problems(app)  # type: ignore[method-assign]
    return app


app = create_app()
