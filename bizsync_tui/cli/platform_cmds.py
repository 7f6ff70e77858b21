"""`bizsync platform ...`: run the reference platform and provision publisher accounts."""

from __future__ import annotations

import json
import os
import ssl
from datetime import timedelta

from bizsync_tui.cli.common import CliError, data_dir_of, read_secret


def register(subparsers, parent) -> None:
    p = subparsers.add_parser("platform", parents=[parent],
                              help="the reference platform service (serve, publisher accounts)",
                              description="Run the reference platform that receives and serves publications, "
                                          "and provision the publisher accounts on it.")
    sub = p.add_subparsers(dest="platform_command", metavar="ACTION", required=True)

    db_help = ("database URL, e.g. postgresql://user@host/db (default: platform.db in the data folder); "
               "for PostgreSQL give the password in ~/.pgpass or PGPASSWORD, never here")

    serve = sub.add_parser("serve", parents=[parent], help="serve the platform in the foreground",
                           description="Serve the platform until Ctrl-C or SIGTERM; logs go to standard output. "
                                       "Plain HTTP is for loopback only: elsewhere give --tls-cert and --tls-key, or put it "
                                       "behind a TLS reverse proxy.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8470, help="port to listen on (default 8470)")
    serve.add_argument("--database-url", metavar="URL", default=None, help=db_help)
    serve.add_argument("--token-hours", type=str, default="12",
                       help="how long a mobile login lasts, in hours, up to 8760 (default 12)")
    serve.add_argument("--tls-cert", metavar="FILE", default=None,
                       help="serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
    serve.add_argument("--tls-key", metavar="FILE", default=None, help="the PEM private key of --tls-cert")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (several need no shared memory: all state is in the database)")
    serve.set_defaults(func=_serve)

    client = sub.add_parser("client", parents=[parent], help="publisher accounts (client codes)")
    csub = client.add_subparsers(dest="client_command", metavar="ACTION", required=True)

    add = csub.add_parser("add", parents=[parent], help="create a publisher account; password from stdin or a prompt",
                          description="Create a client code and its portal password (read from a prompt, or the "
                                      "first line of standard input; never from the command line).")
    add.add_argument("code", metavar="CODE", help="the client code the admin app will use")
    add.add_argument("--replace", action="store_true", help="give an existing client code a new password")
    add.add_argument("--database-url", metavar="URL", default=None, help=db_help)
    add.set_defaults(func=_client_add)

    lst = csub.add_parser("list", parents=[parent], help="list the publisher accounts")
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    lst.add_argument("--database-url", metavar="URL", default=None, help=db_help)
    lst.set_defaults(func=_client_list)

    rm = csub.add_parser("remove", parents=[parent], help="remove a publisher account and all its data")
    rm.add_argument("code", metavar="CODE")
    rm.add_argument("--database-url", metavar="URL", default=None, help=db_help)
    rm.set_defaults(func=_client_remove)


_TLS_REFUSED = ("The TLS certificate or key could not be loaded; give PEM files with --tls-cert and "
                "--tls-key, the key matching the certificate and not protected by a passphrase.")


def _store(args):
    from bizsync_tui.platform.server import database_of
    from bizsync_tui.platform.store import Store

    try:
        return Store(database_of(data_dir_of(args), args.database_url))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # database unreachable, bad URL...
        raise CliError(f"The platform database could not be opened ({exc.__class__.__name__}); "
                       f"check --data-dir or --database-url.") from None


def _serve(args) -> int:
    from bizsync_tui.platform.server import serve_foreground

    if not (1 <= args.port <= 65535):
        raise CliError("The port must be between 1 and 65535.")
    from bizsync_tui.platform.store import token_hours_problem

    problem = token_hours_problem(args.token_hours)
    if problem:
        raise CliError(problem)
    if args.workers < 1:
        raise CliError("--workers must be 1 or more.")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("HTTPS needs both --tls-cert and --tls-key; give both, or neither for plain HTTP.")
    for option, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path and not os.path.isfile(path):
            raise CliError(f"The {option} file {path} does not exist; give the path of a PEM file.")
    if args.tls_cert:
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(args.tls_cert, args.tls_key)
        except (ssl.SSLError, OSError):
            raise CliError(_TLS_REFUSED) from None
    _store(args).close()  # fail early, with a sentence, when the database cannot be opened
    _check_port(args.host, args.port)
    scheme = "https" if args.tls_cert else "http"
    print(f"bizsync platform: serving {scheme}://{args.host}:{args.port}/api/v1 "
          f"(OpenAPI at /api/v1/openapi.json); stop with Ctrl-C.", flush=True)
    try:
        serve_foreground(data_dir_of(args), args.host, args.port, database_url=args.database_url,
                         token_ttl=timedelta(hours=float(args.token_hours)), workers=args.workers,
                         certfile=args.tls_cert, keyfile=args.tls_key)
    except ssl.SSLError:
        raise CliError(_TLS_REFUSED) from None
    return 0


def _check_port(host: str, port: int) -> None:
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise CliError(f"Cannot listen on {host}:{port} ({exc.strerror or exc}); "
                           f"choose another --port or --host, or stop what uses it.") from None


def _client_add(args) -> int:
    store = _store(args)
    try:
        password = read_secret(f"Portal password for {args.code}: ", confirm=True)
        try:
            created = store.add_client(args.code, password, replace=args.replace)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    finally:
        store.close()
    print(f"Client {args.code} {'created' if created else 'given a new password'}.")
    return 0


def _client_list(args) -> int:
    store = _store(args)
    try:
        clients = store.list_clients()
    finally:
        store.close()
    if args.json:
        print(json.dumps(clients, indent=2))
        return 0
    if not clients:
        print("No client yet; add one with: bizsync platform client add CODE")
        return 0
    width = max(len(c["client_code"]) for c in clients)
    for c in clients:
        print(f"{c['client_code']:<{width}}  created {c['created_at']}  "
              f"{c['publications']} publication(s)  {c['users']} user(s)")
    return 0


def _client_remove(args) -> int:
    store = _store(args)
    try:
        removed = store.remove_client(args.code)
    finally:
        store.close()
    if not removed:
        raise CliError(f"There is no client {args.code}; see them with: bizsync platform client list")
    print(f"Client {args.code} and all its data removed.")
    return 0
