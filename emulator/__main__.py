"""``python -m emulator --host 127.0.0.1 --port 4010 [--state FILE] [--log-level warning]
[--tls-cert CERT --tls-key KEY] [--group-limit N]``.

Prints ``dataops.iam emulator listening on http://HOST:PORT (project demo)`` once it accepts
connections (with ``--port 0`` the line names the port the system chose; ``https://`` with TLS).
The wheel's console script ``dataops-iam-emulator`` runs the same ``main()`` with the same flags.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys

import uvicorn

from emulator.app import create_app
from emulator.cdf.control import GROUP_LIMIT
from emulator.cdf.seeds import PROJECT
from emulator.server.store import StateFileError

LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(uvicorn.Server):
    """Announces the listening address on stdout once the sockets are bound."""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.should_exit or not self.servers:
            return
        host, port = self.servers[0].sockets[0].getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        scheme = "https" if self.config.is_ssl else "http"
        print(f"dataops.iam emulator listening on {scheme}://{shown}:{port} (project {PROJECT})", flush=True)


#: The name of the wheel's console script (pyproject.toml [project.scripts]).
CONSOLE_SCRIPT = "dataops-iam-emulator"


def _prog() -> str:
    """How the user started it: the console script, or ``python -m emulator``."""
    return CONSOLE_SCRIPT if os.path.basename(sys.argv[0]) == CONSOLE_SCRIPT else "python -m emulator"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=_prog(), description="dataops.iam local CDF emulator")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4010, help="port (default 4010; 0 = any free port)")
    parser.add_argument("--state", metavar="FILE", help="JSON state file: loaded on start, rewritten after each change")
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level",
    )
    parser.add_argument("--token-ttl", type=int, default=3600, metavar="SECONDS", help="access token lifetime")
    parser.add_argument("--nonce-ttl", type=float, default=60.0, metavar="SECONDS", help="session nonce lifetime")
    parser.add_argument(
        "--group-limit",
        type=int,
        default=GROUP_LIMIT,
        metavar="N",
        help=f"groups per project, deleted ones included, as CDF counts them (default {GROUP_LIMIT})",
    )
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain) file")
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if not _is_loopback(args.host):
        parser.error(f"--host must be a loopback address (127.0.0.1, ::1 or localhost), not {args.host!r}")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.group_limit < 1:
        parser.error("--group-limit must be at least 1")
    if args.token_ttl < 1 or args.nonce_ttl <= 0:
        parser.error("--token-ttl and --nonce-ttl must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the emulator until SIGINT or SIGTERM (``python -m emulator`` and the console script); the exit status."""
    args = parse_args(argv)
    try:
        app = create_app(args.state, token_ttl=args.token_ttl, nonce_ttl=args.nonce_ttl, group_limit=args.group_limit)
    except StateFileError as exc:
        print(f"emulator: {exc}", file=sys.stderr)
        return 2
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        timeout_graceful_shutdown=2,
        lifespan="off",
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
    )
    _Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
