"""`bizsync sources discover`: the Sage databases a folder, a server or this machine's DSNs hold.

    bizsync sources discover --dir PATH                         # Sage SQLite files under PATH
    bizsync sources discover --server mssql://HOST[:PORT][?instance=NAME]   # a SQL Server
    bizsync sources discover --server odbc:DRIVER={PostgreSQL Unicode};SERVER=HOST;PORT=5432
    bizsync sources discover                                    # the ODBC DSNs of this machine

One line per Sage database on standard output, tab-separated: the source string (what
`company add --accounting/--commercial` takes), the company name (P_DOSSIER.D_RaisonSoc) and
`accounting`, `commercial`, `both` or `empty` (which of F_ECRITUREC and F_DOCENTETE hold
rows). Servers and DSNs are opened read-only with the saved management credentials
(`database.user`, `database.password`). What is not Sage or could not be opened is said on
standard error. Exit 0 when at least one Sage database was found, 1 otherwise.
"""

from __future__ import annotations

import sys

from bizsync_tui.cli.common import CliError, data_dir_of
from bizsync_tui.i18n import _


def register(sub, parent) -> None:
    p = sub.add_parser("sources", help="find the Sage databases of a folder, a server or the ODBC DSNs",
                       description="Find Sage 100 databases and print their source strings.")
    s = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = s.add_parser("discover", parents=[parent], help="list the Sage databases (one line each: source, company "
                                                        "name, accounting/commercial/both)",
                     description="List the Sage 100 databases of a folder (--dir), of a server (--server) or, "
                                 "without either, of this machine's ODBC DSNs: one line each, tab-separated: the "
                                 "source string, the company name and accounting, commercial, both or empty. "
                                 "Servers and DSNs are opened read-only with the saved management credentials.")
    where = q.add_mutually_exclusive_group()
    where.add_argument("--dir", metavar="PATH", help="a folder: the Sage SQLite files in it and its subfolders")
    where.add_argument("--server", metavar="SERVER",
                       help="mssql://HOST[:PORT][?instance=NAME], or odbc:DRIVER={...};SERVER=...;PORT=... "
                            "(PostgreSQL, SQL Server)")
    q.add_argument("--timeout", metavar="SECONDS", type=float, default=None,
                   help="time allowed to the whole discovery (default 60)")
    q.set_defaults(func=cmd_discover)


def _credentials(args):
    from bizsync_tui.engine.sage.sources import SourceError, management_credentials
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    try:
        return management_credentials(ws.settings.values())
    except SourceError as exc:
        raise CliError(str(exc)) from None
    finally:
        ws.close()


def cmd_discover(args) -> int:
    from bizsync_tui.engine.sage import discover

    options = {}
    if args.timeout is not None:
        if not 1 <= args.timeout <= 3600:
            raise CliError(_("--timeout must be a number of seconds from 1 to 3600, such as 60."))
        options["deadline"] = args.timeout
    try:
        if args.dir is not None:
            result = discover.discover_dir(args.dir, **options)
            where = args.dir
        elif args.server is not None:
            result = discover.discover_server(args.server, *_credentials(args), **options)
            where = args.server
        else:
            dsns = discover.list_dsns()
            if not dsns:
                raise CliError(_("No ODBC DSN is defined on this machine (odbcinst -j tells where odbc.ini is); give "
                                 "--dir PATH or --server SERVER instead."))
            result = discover.discover_dsns(*_credentials(args), dsns=dsns, **options)
            where = _("the ODBC DSNs")
    except discover.DiscoveryError as exc:
        raise CliError(str(exc)) from None
    for found in result.found:
        print(found.line())
    sys.stdout.flush()
    err = sys.stderr
    if result.not_sage:
        print(_("Not a Sage 100 database ({n}): {names}.").format(n=len(result.not_sage),
                                                                   names=", ".join(result.not_sage)), file=err)
    for problem in result.problems:
        print(problem, file=err)
    if result.stopped:
        print(result.stopped, file=err)
    if not result.found:
        raise CliError(_("No Sage 100 database found in {where} ({n} looked at).").format(
            where=where, n=result.looked_at))
    return 0
