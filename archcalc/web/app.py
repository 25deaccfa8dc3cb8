"""The ASGI application behind ``archcalc serve`` (Starlette): the page, its static files and
a small JSON API over :mod:`archcalc.web.service`.

Safety, in one place:

- the page and its scripts are files of this package; the Content-Security-Policy allows
  nothing else (no inline script, no other origin), and every response says so;
- request bodies are capped (:data:`MAX_BODY_BYTES`, :data:`service.MAX_UPLOAD_BYTES` for
  an upload) while they are read, whatever Content-Length claims;
- the Host header must name the address served (a DNS-rebinding page elsewhere cannot reach
  the API), and a POST from another origin is refused;
- no request names a path: samples are ids in a table, uploads are bodies, static files are
  served by Starlette's StaticFiles from this package's folder only;
- model text is read by the CLI's readers (their size caps and step limits), never run, in a
  worker thread (at most :data:`WORKERS` at once) so the page stays responsive.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archcalc.errors import ArchcalcError, UsageError
from archcalc.web import service

STATIC = Path(__file__).parent / "static"

#: the largest JSON request (the YAML reader's 20 MiB cap, escaped into JSON, fits)
MAX_BODY_BYTES = 48 * 1024 * 1024

#: model reads running at once (the rest wait their turn)
WORKERS = 2

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

log = logging.getLogger("archcalc.web")


# -- middleware ------------------------------------------------------------------------------

class Guard:
    """Security headers on every response, the request size cap (counted as the body
    arrives) and the same-origin rule for POST."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        upload = scope["path"] == "/api/upload"
        limit = service.MAX_UPLOAD_BYTES if upload else MAX_BODY_BYTES
        too_large = f"the request is too large (the limit is {limit} bytes)"

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = [(k, v) for k, v in message.get("headers", []) if k.decode("latin-1").lower()
                       not in SECURITY_HEADERS]
                raw += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        if scope["method"] not in ("GET", "HEAD", "POST"):
            await _refuse(scope, receive, send_secured, 405, "only GET and POST are served")
            return
        if scope["method"] == "POST":
            origin = headers.get("origin")
            if origin and origin.split("://", 1)[-1] != headers.get("host", ""):
                await _refuse(scope, receive, send_secured, 403, "requests from another site are refused")
                return
            try:
                declared = int(headers.get("content-length", "0") or 0)
            except ValueError:
                declared = limit + 1
            if declared > limit:
                await _refuse(scope, receive, send_secured, 413, too_large)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send_secured)
        except _TooLarge:
            await _refuse(scope, receive, send_secured, 413, too_large)


class _TooLarge(Exception):
    pass


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    response = JSONResponse({"error": {"message": message, "hint": None, "line": 0, "column": 0,
                                       "text": f"archcalc: error: {message}"}}, status_code=status)
    await response(scope, receive, send)


# -- helpers ---------------------------------------------------------------------------------

_limiter: anyio.CapacityLimiter | None = None


async def _run(fn: Callable[..., Any], *args: Any) -> Any:
    """Run the model work in a worker thread, a few at a time."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(WORKERS)
    return await anyio.to_thread.run_sync(fn, *args, limiter=_limiter)


def _problem(status: int, message: str, hint: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "hint": hint, "line": 0, "column": 0,
                                   "text": f"archcalc: error: {message}" + (f"\n  hint: {hint}" if hint else "")}},
                        status_code=status)


def api(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Every error the CLI would print becomes a 422 with the CLI's text and the place to
    highlight; anything else is a 500 that names no internal object."""

    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ArchcalcError as e:
            return JSONResponse({"error": service.error_json(e)}, status_code=422)
        except _BadRequest as e:
            return _problem(e.status, e.message, e.hint)
        except _TooLarge:
            raise  # answered by Guard
        except (RecursionError, MemoryError):
            return _problem(422, "the input is nested too deeply or too large to read")
        except Exception:  # a bug in archcalc: logged here, never shown as a traceback
            log.exception("internal error on %s", request.url.path)
            return _problem(500, "archcalc failed on this input (an internal error)",
                            "please report it with the model text at the project's issue tracker")

    return wrapped


class _BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.status, self.hint = message, status, hint


async def _json_body(request: Request) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise _BadRequest("the request must be JSON (Content-Type: application/json)", 415)
    body = await request.body()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _BadRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _BadRequest("the request body must be a JSON object")
    return data


def _field(data: dict[str, Any], key: str, kind: type, default: Any = None) -> Any:
    value = data.get(key, default)
    if value is not None and not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise _BadRequest(f"'{key}' must be a {kind.__name__}")
    return value


# -- the model cache: the page asks for the table, the diagram and a derivation of one text ------

_cache: OrderedDict[tuple, service.Model] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 8


def _model(data: dict[str, Any]) -> service.Model:
    text = data.get("text")
    if not isinstance(text, str):
        raise UsageError("the request holds no model text", hint="send {\"text\": ..., \"format\": \"auto\"}")
    fmt = service.check_format(str(data.get("format") or "auto"))
    pins = service.parse_pins(data.get("pins"))
    model_name = data.get("model")
    if model_name is not None and not isinstance(model_name, str):
        raise UsageError("model must be a name")
    key = (text, fmt, tuple(sorted(pins.items())), model_name)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    model = service.read_model(text, fmt, pins, model_name or None)  # outside the lock: reads run side by side
    with _cache_lock:
        _cache[key] = model
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return model


def _analyze_all(data: dict[str, Any]) -> dict[str, Any]:
    model = _model(data)
    out = service.summary(model)
    out["lint"] = service.lint(data["text"], model.fmt, model.graph)
    return out


def _diagram(data: dict[str, Any]) -> dict[str, Any]:
    from archcalc.web.diagram import model_svg

    svg, drawn_by = model_svg(_model(data).analysis)
    return {"svg": svg, "drawn_by": drawn_by}


# -- endpoints ---------------------------------------------------------------------------------

async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@api
async def samples(request: Request) -> Response:
    return JSONResponse(service.sample_list())


@api
async def sample(request: Request) -> Response:
    return JSONResponse(service.sample_text(request.path_params["sample_id"]))


@api
async def upload(request: Request) -> Response:
    name = request.query_params.get("name", "")
    if not name or len(name) > 255:
        raise _BadRequest("an upload needs its file name (?name=model.yaml)")
    data = await request.body()
    return JSONResponse(await _run(service.read_upload, name, data))


@api
async def analyze(request: Request) -> Response:
    return JSONResponse(await _run(_analyze_all, await _json_body(request)))


@api
async def diagram(request: Request) -> Response:
    return JSONResponse(await _run(_diagram, await _json_body(request)))


@api
async def explain(request: Request) -> Response:
    data = await _json_body(request)
    layer = _field(data, "layer", str)
    if not layer:
        raise _BadRequest("name the layer to explain ('layer')")
    return JSONResponse(await _run(lambda: service.explain_layer(_model(data), layer)))


@api
async def export(request: Request) -> Response:
    data = await _json_body(request)
    kind = request.path_params["kind"]
    if kind not in service.EXPORTS:
        raise _BadRequest(f"unknown download '{kind[:40]}'", 404, "downloads: " + ", ".join(service.EXPORTS))
    name, media, text = await _run(lambda: service.export(_model(data), kind))
    return Response(text, media_type=f"{media}; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@api
async def calc(request: Request) -> Response:
    data = await _json_body(request)
    kind = _field(data, "kind", str, "conv")
    values = _field(data, "values", dict, {})
    padding = _field(data, "padding", str, "valid")
    output_padding = _field(data, "output_padding", int)
    return JSONResponse(await _run(service.calc, kind, values, padding, output_padding))


def _quiz_args(source: Any) -> tuple[str, int, int]:
    try:
        count = int(source.get("count", 5))
        seed = int(source.get("seed", 0))
    except (TypeError, ValueError):
        raise _BadRequest("count and seed must be whole numbers") from None
    return str(source.get("topic", "mixed")), count, seed


@api
async def quiz(request: Request) -> Response:
    topic, count, seed = _quiz_args(request.query_params)
    return JSONResponse(await _run(service.quiz, topic, count, seed))


@api
async def quiz_check(request: Request) -> Response:
    data = await _json_body(request)
    topic, count, seed = _quiz_args(data)
    number = _field(data, "number", int, 0)
    ask = _field(data, "ask", str, "")
    answer = _field(data, "answer", str, "")
    reveal = _field(data, "reveal", bool, False)
    return JSONResponse(await _run(service.quiz_check, topic, count, seed, number, ask, answer, reveal))


async def not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    if status == 405:
        return _problem(405, f"{request.method} is not allowed here")
    return _problem(status, "no such API endpoint" if request.url.path.startswith("/api/") else "no such page")


def create_app(allowed_hosts: list[str] | None = None) -> Starlette:
    """The application; ``allowed_hosts`` are the names the Host header may carry (the
    address served, and localhost for a loopback address)."""
    routes = [
        Route("/", index),
        Route("/api/samples", samples),
        Route("/api/samples/{sample_id}", sample),
        Route("/api/upload", upload, methods=["POST"]),
        Route("/api/analyze", analyze, methods=["POST"]),
        Route("/api/diagram", diagram, methods=["POST"]),
        Route("/api/explain", explain, methods=["POST"]),
        Route("/api/export/{kind}", export, methods=["POST"]),
        Route("/api/calc", calc, methods=["POST"]),
        Route("/api/quiz", quiz),
        Route("/api/quiz/check", quiz_check, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost"]
    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard), Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
        exception_handlers={404: not_found, 405: not_found},
    )
