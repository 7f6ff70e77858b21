"""The text form of a Sage source (ARCHITECTURE.md "A source (SRC)").

`sqlite:PATH`, `odbc:CONNECTION-STRING`, `odbc:DSN=NAME`,
`mssql://HOST[:PORT]/DATABASE[?instance=NAME]`. Parsing only: opening a
source is engine.sources' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from bizsync_tui.i18n import N_, _

EXAMPLES = N_("sqlite:/path/to/file.db, odbc:DSN=NAME, odbc:DRIVER={...};SERVER=...;DATABASE=..., or "
               "mssql://HOST[:PORT]/DATABASE[?instance=NAME]")


@dataclass(frozen=True)
class SourceSpec:
    kind: str  # "sqlite", "odbc" or "mssql"
    path: str = ""  # sqlite
    connection_string: str = ""  # odbc
    host: str = ""  # mssql
    port: int | None = None
    database: str = ""
    instance: str = ""

    def __str__(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:{self.path}"
        if self.kind == "odbc":
            return f"odbc:{self.connection_string}"
        text = f"mssql://[{self.host}]" if ":" in self.host else f"mssql://{self.host}"  # IPv6 in brackets
        if self.port:
            text += f":{self.port}"
        text += f"/{self.database}"
        if self.instance:
            text += f"?instance={self.instance}"
        return text

    def display(self) -> str:
        """The source as it may be shown: any PWD=/Password= in an ODBC string masked."""
        if self.kind == "odbc":
            return "odbc:" + mask_connection_string(self.connection_string)
        return str(self)


_SECRET_KEYS = re.compile(r"(?i)\b(pwd|password)\s*=\s*(\{(?:[^}]|\}\})*\}|[^;]*)")


def mask_connection_string(text: str) -> str:
    return _SECRET_KEYS.sub(lambda m: f"{m.group(1)}=***", text)


def parse_source(text: str) -> SourceSpec:
    """Parse a source string; ValueError with a sentence saying what to type otherwise."""
    text = (text or "").strip()
    if not text:
        raise ValueError(_("A source is needed; type {examples}.").format(examples=_(EXAMPLES)))
    lower = text.lower()
    if lower.startswith("sqlite:"):
        path = text[len("sqlite:"):]
        if path.startswith("//"):
            path = path[2:]
        if not path:
            raise ValueError(_("A sqlite source needs a file path; type sqlite:/path/to/file.db."))
        return SourceSpec("sqlite", path=path)
    if lower.startswith("odbc:"):
        cs = text[len("odbc:"):].strip()
        if "=" not in cs:
            raise ValueError(_("An odbc source needs a DSN or a connection string; type odbc:DSN=NAME or odbc:DRIVER={{...}};SERVER=...;DATABASE=....").format())
        if re.search(r"(?i)\b(pwd|password)\s*=", cs):
            raise ValueError(_("Leave the password out of the source: bizsync adds the management-database credentials when it connects."))
        return SourceSpec("odbc", connection_string=cs)
    if lower.startswith("mssql://"):
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - parsed now, so a bad bracket is told as below
            parts.hostname  # noqa: B018
        except ValueError as exc:
            if "ipv6" in str(exc).lower() or "[" in text or "]" in text:
                raise ValueError(_("The server of the mssql source is not a valid address: an IPv6 address goes "
                                   "between a pair of brackets, as mssql://[::1]:1433/DATABASE; a name or IPv4 "
                                   "address without them, as mssql://sage-srv:1433/DATABASE.")) from None
            if "port" not in str(exc).lower():
                raise ValueError(_("An mssql source needs a server and a database; type "
                                   "mssql://HOST[:PORT]/DATABASE[?instance=NAME].")) from None
        if parts.username or parts.password:
            raise ValueError(_("Leave the user and password out of the source: bizsync adds the management-database credentials when it connects."))
        host = parts.hostname or ""
        try:
            port = parts.port
        except ValueError:
            raise ValueError(_("The port of an mssql source must be a number from 1 to 65535; type mssql://HOST:1433/DATABASE.")) from None
        database = unquote(parts.path.lstrip("/"))
        if not host or not database or "/" in database:
            raise ValueError(_("An mssql source needs a server and a database; type mssql://HOST[:PORT]/DATABASE[?instance=NAME]."))
        query = parse_qs(parts.query)
        unknown = set(query) - {"instance"}
        if unknown:
            raise ValueError(_("Unknown option '{option}' in the mssql source; only ?instance=NAME is accepted.").format(option=sorted(unknown)[0]))
        instance = (query.get("instance") or [""])[0]
        return SourceSpec("mssql", host=host, port=port, database=database, instance=instance)
    raise ValueError(_("'{text}' is not a source bizsync knows; type {examples}.").format(text=text, examples=_(EXAMPLES)))
