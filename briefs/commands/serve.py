"""`briefs serve`: preview every brief in the browser, rebuilt and reloaded as its inputs change."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BriefsError, ProfileError
from .common import add_input_options, add_language_option, add_max_pages_option, add_page_size_option, add_style_options, settings_from

if TYPE_CHECKING:
    from ..preview import Request

HELP = "preview every brief in the browser; pages reload when a data file, profile, template or theme is saved"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    parser.add_argument("-a", "--audience", action="append", default=[], metavar="ID",
                        help="audience profile id (repeatable; default: every audience)")
    add_page_size_option(parser, "page size of the downloads (default: as for generate)")
    add_style_options(parser)
    add_max_pages_option(parser)
    add_language_option(parser)
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 shows the briefs "
                             "to the whole network)")


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 0 to 65535")
    return int(text)


def request_from(args: argparse.Namespace) -> Request:
    """Return what the command line asks the preview to show; its settings are read again at every build."""
    named = (*(Path(p) for p in args.templates or ()), *(Path(p) for p in (args.theme, args.reference_docx, args.config) if p))
    from ..preview import Request  # the preview's libraries load only when a preview runs

    return Request(lambda: settings_from(args), tuple(Path(p) for p in args.data or ()), tuple(args.audience or ()), named,
                   args.max_pages, args.language)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..preview import Builder, make_app
    from ..preview.app import report

    listening = _listen(args.host, args.port)
    builder = Builder(request_from(args))
    first = builder.build()
    if first.inputs is None and any(line.startswith("unknown audience") for line in first.errors):
        listening.close()  # a typo on the command line, not an input to fix while the server runs
        raise ProfileError(first.errors[0])
    host, port = listening.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    print(f"serving the briefs on http://{shown_host}:{port}/ (Ctrl-C to stop)", flush=True)
    if host in ("0.0.0.0", "::"):
        print(f"  (every address of this computer: from here, http://127.0.0.1:{port}/; from elsewhere, "
              f"http://{socket.gethostname()}:{port}/)", flush=True)
    if not _loopback(args.host):
        print(f"warning: --host {args.host}: anyone who can reach this computer can read the briefs", file=sys.stderr)
    config = uvicorn.Config(lambda: None, log_level="warning", access_log=False, timeout_graceful_shutdown=2, lifespan="on")
    server = uvicorn.Server(config)
    config.app = make_app(builder, first, (args.host, port), stopping=lambda: server.should_exit)
    report(first)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn stops cleanly on Ctrl-C, then raises it again for its caller
        server.run(sockets=[listening])
    print("stopped", file=sys.stderr)
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """Bind the port ourselves, so that a port in use is one clear line, not a server's log."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError as exc:
        if exc.errno == 98:
            raise BriefsError(f"port {port} on {host} is in use: stop what uses it, or choose another with --port") from None
        raise BriefsError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return listening


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


__all__ = ["HELP", "add_arguments", "run"]
