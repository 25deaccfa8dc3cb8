"""archcalc serve: the calculator as a local web page (Starlette + uvicorn, the `web` extra)."""

from __future__ import annotations

import click

#: the modules the page needs (the `web` extra); imported only when the server starts
WEB_MODULES = ("starlette", "uvicorn", "latex2mathml")


def missing_web_modules() -> list[str]:
    import importlib.util

    return [m for m in WEB_MODULES if importlib.util.find_spec(m) is None]


def allowed_hosts(host: str) -> list[str]:
    """The names a request's Host header may carry: the address served and, for a loopback
    address, localhost (a page elsewhere that rebinds its own name to 127.0.0.1 is refused)."""
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if host in ("0.0.0.0", "::"):
        return ["*"]  # every interface: the machine's names are not known in advance
    return sorted({host, "127.0.0.1", "localhost"} if loopback else {host})


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to serve on. The default serves this computer only; another address "
                   "lets other machines on the network read models on yours.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
def serve(port: int, host: str, open_browser: bool) -> None:
    """Serve the calculator as a web page: write or load a model and see its table, diagram
    and worked derivations as you type, practise with the calculator and the quiz, and
    download the exam sheet, the Keras code and the JSON report.

    Needs the `web` extra: pip install 'archcalc[web]'. Stop with Ctrl+C.
    """
    from archcalc.errors import UsageError

    missing = missing_web_modules()
    if missing:
        raise UsageError(f"archcalc serve needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} "
                         "not installed", hint="pip install 'archcalc[web]'")
    import socket
    import threading
    import webbrowser

    import uvicorn

    from archcalc.web.app import create_app

    try:  # bind first: a port in use is an input error, not a traceback from the server
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as e:
        raise UsageError(f"cannot serve on {host}:{port}: {e.strerror or e}",
                         hint="choose another port with --port N (0 picks a free one)") from None
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    config = uvicorn.Config(create_app(allowed_hosts(host)), log_level="warning", server_header=False,
                            limit_concurrency=64, timeout_keep_alive=5)
    server = uvicorn.Server(config)
    click.echo(f"archcalc serves {url} (Ctrl+C stops it)", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: --host {host} lets other computers on the network use this page", err=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
