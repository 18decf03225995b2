"""The hub's FastAPI application: ``create_app(data_dir)`` wires storage, routes and error answers.

Every error answer is ``{"detail": "<one clear sentence>"}``: domain errors carry their own status
(:mod:`workstation.hub.errors`), validation errors are condensed into one sentence, and an internal
error never shows its traceback to the caller (it goes to the hub's log).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from workstation import __version__
from workstation.hub import admin_routes, routes, supervisor_routes
from workstation.hub import config as hub_config
from workstation.hub.config import HubConfig
from workstation.hub.db import HubDatabase
from workstation.hub.errors import HubError
from workstation.hub.home import HubHome
from workstation.hub.limits import BodySizeLimit, too_large_detail


def create_app(data_dir: str | Path, *, config: HubConfig | None = None, database: str | None = None) -> FastAPI:
    """The API over ``data_dir`` (and ``database``: a URL, None: :meth:`HubHome.open`'s default); ``config`` default: the defaults with ``DIR/hub.toml`` (:func:`hub_config.load`)."""
    config = config or hub_config.load(data_dir)
    app = FastAPI(
        docs_url="/docs" if config.api_docs else None,
        redoc_url="/redoc" if config.api_docs else None,
        title="Floor hub",
        version=__version__,
        description="Issues shifts of encrypted clips to approved workstations and collects labels. "
                    "Clip bytes only ever leave the hub as ciphertext; nothing accepts them back.",
    )
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    app.state.home = HubHome.open(data_dir, database)
    app.state.pool = HubDatabase(app.state.home.database.target, keep=16)
    limit = app.state.pool.limit  # requests queue for a connection here, not blocking the event loop in the pool
    app.state.db_slots = asyncio.Semaphore(limit) if limit is not None else None
    app.state.config = config
    _install_error_answers(app, config)
    app.include_router(routes.router, prefix="/api/v1")
    app.include_router(admin_routes.router, prefix="/api/v1")
    app.include_router(supervisor_routes.router, prefix="/api/v1")
    return app


INVALID_JSON = "The request body is not valid JSON."


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _validation_sentence(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "The request is not valid."
    first = errors[0]
    if first.get("type") == "json_invalid":
        return INVALID_JSON
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    message = str(first.get("msg", "is not valid")).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return f"The request is not valid: {where}: {message}{more}."


def _install_error_answers(app: FastAPI, config: HubConfig) -> None:
    plain = {
        404: "There is no such path on this hub.",
        405: "This method is not allowed on this path.",
        413: too_large_detail(config.max_body_bytes),
    }

    @app.exception_handler(HubError)
    async def _hub_error(request: Request, exc: HubError) -> JSONResponse:
        return _error(exc.status, str(exc), exc.headers())

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_sentence(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Routes raise HubError; these come from the framework (bare reason phrases) or the body limit.
        if exc.status_code == 400:  # FastAPI could not read the body as text (not UTF-8): it is not JSON either
            return _error(422, INVALID_JSON)
        detail = plain.get(exc.status_code, f"The request failed ({exc.status_code} {exc.detail}).")
        return _error(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # The server (uvicorn) logs the traceback after this answer is sent.
        return _error(500, "The floor hub hit an internal error; IT finds the details in the hub's log.")
