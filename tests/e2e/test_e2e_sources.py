"""`bizsync sources discover --dir` in real processes, then `company add` with what it printed
(issue 16: a company added from the command line without typing a connection string)."""

from __future__ import annotations


from tests import sage_fixture as fx
from tests.e2e.cli import bizsync, ok


def _folder(tmp_path):
    return fx.sage_folder(tmp_path / "sage", company_b_dir="nord", text_file="readme.txt")


def test_discover_dir_then_company_add(tmp_path):
    base = _folder(tmp_path)
    data = tmp_path / "data"
    r = bizsync(data, "sources", "discover", "--dir", str(base))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"sqlite:{base}/bijou.db\tBijou SA\tboth",
                                     f"sqlite:{base}/nord/nord_gc.db\tBijou Nord\tcommercial"]
    assert r.stderr.strip() == "Not a Sage 100 database (1): other.db."
    source = r.stdout.splitlines()[0].split("\t")[0]
    ok(data, "company", "add", "BIJOU", "--dossier", "BIJOU01", "--name", "Bijou SA", "--accounting", source,
       "--commercial", source, "--views", "sales_revenue,cash_position")
    listed = ok(data, "company", "list")
    assert "BIJOU" in listed and f"sqlite:{base}/bijou.db" in listed
    # and the company added that way extracts: company A's hand-worked cash total (test_extract_views.py)
    body = ok(data, "extract", "--company", "BIJOU", "--as-of", "2026-11-28")
    assert '"total": "10830.25"' in body


def test_discover_dir_refusals(tmp_path):
    data = tmp_path / "data"
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x")
    r = bizsync(data, "sources", "discover", "--dir", str(empty))
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == f"bizsync: No Sage 100 database found in {empty} (0 looked at).\n"
    r = bizsync(data, "sources", "discover", "--dir", str(tmp_path / "missing"))
    assert r.returncode == 1
    assert r.stderr == (f"bizsync: The folder {tmp_path}/missing does not exist; give the folder that holds the "
                        "Sage files.\n")
    r = bizsync(data, "sources", "discover", "--dir", str(empty), "--server", "mssql://x")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr  # argparse: one place at a time
    r = bizsync(data, "sources", "discover", "--dir", str(empty), "--timeout", "0")
    assert r.returncode == 1 and "--timeout must be a number of seconds from 1 to 3600" in r.stderr
    assert "Traceback" not in r.stderr
    # a SQL Server nobody answers for (real FreeTDS, a closed port): one sentence, exit 1
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    r = bizsync(data, "sources", "discover", "--server", f"mssql://127.0.0.1:{port}", "--timeout", "10")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.startswith(f"bizsync: Cannot list the databases of mssql://127.0.0.1:{port}: ")
    assert r.stderr.count("\n") == 1 and "cannot be reached" in r.stderr
