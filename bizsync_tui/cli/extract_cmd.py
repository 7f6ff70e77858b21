"""`bizsync extract`: print the publication body that would be sent (nothing is uploaded).

    bizsync extract --accounting SRC --commercial SRC [--as-of DATE] [--views all|ID,...]
                    [--user USER] [--short-code C] [--dossier D] [--name N]
                    [--revenue-prefixes 70,...] [--cash-prefixes 53,...]
    bizsync extract --company SHORT_CODE [--as-of DATE]
    bizsync extract --group SHORT_CODE [--as-of DATE]

With direct sources, no credentials are used unless `--user` is given: then the
password is read from standard input (or a prompt), never from the command line.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys

from bizsync_tui.cli.common import CliError, data_dir_of, read_secret
from bizsync_tui.i18n import _


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(_("'{value}' is not a date; type --as-of as YYYY-MM-DD, such as 2026-11-28.").format(
            value=text)) from None


def _prefixes(text: str | None, option: str) -> tuple[str, ...]:
    if not text:
        return ()
    out = tuple(p.strip() for p in text.split(",") if p.strip())
    for p in out:
        if not p.isalnum():
            raise CliError(_("Account prefix '{prefix}' of {option} must hold only letters and digits, such as "
                             "70,71.").format(prefix=p, option=option))
    return out


def register(sub, parent) -> None:
    p = sub.add_parser("extract", parents=[parent], help="print the publication body a company would send (JSON)",
                       description="Extract the views of a company, a group or two Sage sources and print the "
                                   "publication body (JSON) that would be sent. Nothing is uploaded.")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--company", metavar="SHORT_CODE", help="a configured company")
    who.add_argument("--group", metavar="SHORT_CODE", help="a configured company group")
    who.add_argument("--accounting", metavar="SRC", help="the accounting source (sqlite:PATH, odbc:..., mssql://...)")
    p.add_argument("--commercial", metavar="SRC", help="the commercial source (with --accounting; default: the same)")
    p.add_argument("--as-of", metavar="DATE", help="the date of the figures, YYYY-MM-DD (default: today)")
    p.add_argument("--views", metavar="all|ID,...", default=None,
                   help="views to extract (default: all with direct sources, the checked ones otherwise)")
    p.add_argument("--user", metavar="USER", help="management-database user for direct sources "
                                                   "(its password is read from standard input)")
    p.add_argument("--short-code", default="DIRECT", help="short code to put in the body (direct sources)")
    p.add_argument("--dossier", default="", help="dossier to put in the body (direct sources)")
    p.add_argument("--name", default=None, help="company name to put in the body (default: Sage's P_DOSSIER name)")
    p.add_argument("--revenue-prefixes", default="70", metavar="P,...", help="revenue account prefixes (default 70)")
    p.add_argument("--cash-prefixes", default="", metavar="P,...", help="extra cash account prefixes")
    p.set_defaults(func=run)


def run(args) -> int:
    from bizsync_tui.engine import catalogue

    as_of = _date(args.as_of) if args.as_of else _dt.date.today()
    try:
        view_ids = catalogue.parse_view_list(args.views) if args.views else None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.accounting:
        body = _direct(args, as_of, view_ids)
    else:
        if args.commercial or args.user:
            raise CliError(_("--commercial and --user go with --accounting; for a configured company the "
                             "sources and credentials come from its settings."))
        body = _configured(args, args.company or args.group, as_of, view_ids)
    json.dump(body, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _direct(args, as_of, view_ids) -> dict:
    from bizsync_tui.engine.sage.extract import build_publication, extract_figures
    from bizsync_tui.engine.sage.source_spec import parse_source
    from bizsync_tui.engine.sage.sources import SourceError

    try:
        accounting = parse_source(args.accounting)
        commercial = parse_source(args.commercial) if args.commercial else accounting
    except ValueError as exc:
        raise CliError(str(exc)) from None
    password = read_secret(f"Password of {args.user}: ") if args.user else None
    try:
        figures = extract_figures(accounting, commercial, user=args.user, password=password, as_of=as_of,
                                  view_ids=view_ids,
                                  revenue_prefixes=_prefixes(args.revenue_prefixes, "--revenue-prefixes") or ("70",),
                                  cash_prefixes=_prefixes(args.cash_prefixes, "--cash-prefixes"))
    except SourceError as exc:
        raise CliError(str(exc)) from None
    return build_publication(figures, short_code=args.short_code, dossier=args.dossier or args.short_code,
                             name=args.name, view_ids=view_ids)


def _configured(args, short_code: str, as_of, view_ids) -> dict:
    from bizsync_tui.engine.sage.groups import GroupMismatch
    from bizsync_tui.engine.publish.runner import extract_for
    from bizsync_tui.engine.sage.sources import SourceError
    from bizsync_tui.engine.workspace import open_workspace

    try:
        body = extract_for(open_workspace(data_dir_of(args)), short_code, as_of)
    except (SourceError, GroupMismatch) as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:  # ValidationError and friends carry the sentence
        raise CliError(str(getattr(exc, "message", None) or exc)) from None
    if view_ids is not None:
        missing = [v for v in view_ids if v not in body["views"]]
        if missing:
            raise CliError(_("{code} does not have {views} ticked; tick it or leave --views out.").format(
                code=short_code, views=", ".join(missing)))
        body["views"] = {v: body["views"][v] for v in view_ids}
    return body
