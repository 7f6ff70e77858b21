"""Mobile reads of the reference platform under load, against the bare-ASGI floor.

    python benchmarks/bench_platform.py                    # floor, SQLite, PostgreSQL
    python benchmarks/bench_platform.py --only sqlite --duration 10

Each run: `wrk -t2 -c32 -d10s --latency` on GET /api/v1/mobile/views with a
live token while a publisher thread republishes the company every second
(a new publication_id, every amount of publication k equal to "k.00"). wrk's
Lua script checks every answer: status 200, the publication's amounts all k,
and `previous` all k-1 (or null): a "mixed" answer would hold two. The
platform runs as the operator runs it (`bizsync platform serve`, uvicorn with
uvloop and httptools) on SQLite with the default workers and on PostgreSQL
(tests/pg.py starts one) with --workers 2.

The floor: a bare ASGI app on the same uvicorn serving the same JSON bytes
from memory (no routing, no database), with 1 and 2 workers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VIEW_IDS = None  # filled from the catalogue

LUA = r"""
local errors, mixed, checked = 0, 0, 0
local counters = {}
function setup(thread)
  table.insert(counters, thread)
end
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end
local function all_equal(text, want)
  for a in string.gmatch(text, '"amount":"([%-%d%.]+)"') do
    if a ~= want then return false end
  end
  return true
end
function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    return
  end
  checked = checked + 1
  local k = tonumber(string.match(body, '"publication_id":"[%x%-]-(%d%d%d%d%d%d%d%d%d%d%d%d)"'))
  local cut = string.find(body, '"previous":', 1, true)
  if k == nil or cut == nil then mixed = mixed + 1 return end
  local cur, prev = string.sub(body, 1, cut), string.sub(body, cut)
  if not all_equal(cur, k .. ".00") then mixed = mixed + 1 return end
  if string.sub(prev, 12, 15) ~= "null" and not all_equal(prev, (k - 1) .. ".00") then mixed = mixed + 1 end
end
function done(summary, latency, requests)
  local e, m, c = 0, 0, 0
  for _, t in ipairs(counters) do
    e = e + t:get("errors"); m = m + t:get("mixed"); c = c + t:get("checked")
  end
  io.write(string.format("BENCH errors=%d mixed=%d checked=%d\n", e, m, c))
end
"""
# wrk runs response() in each thread's own Lua state: expose the counters as globals.
LUA = LUA.replace("local errors, mixed, checked = 0, 0, 0", "errors, mixed, checked = 0, 0, 0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.communicate()[1][-2000:]}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def publication(k: int, short_code: str = "BENCH") -> dict:
    from bizsync_tui.engine import catalogue

    amount = f"{k}.00"
    views = {}
    for v in catalogue.VIEWS:
        if v.shape == catalogue.AMOUNT:
            month = {"month": {"from": "2026-11-01", "to": "2026-11-28", "amount": amount}}
            views[v.id] = month if v.period == "month" else {
                **month, "year": {"from": "2026-01-01", "to": "2026-11-28", "amount": amount}}
        elif v.shape == catalogue.RANKING:
            views[v.id] = {"from": "2026-11-01", "to": "2026-11-28",
                           "rows": [{"rank": i, "code": f"C{i}", "label": f"Customer {i}", "amount": amount}
                                    for i in range(1, 6)]}
        else:
            views[v.id] = {"as_of": "2026-11-28", "total": amount,
                           "rows": [{"code": "512000", "label": "Bank", "amount": amount}]}
    return {"publication_id": f"00000000-0000-4000-8000-{k:012d}",
            "company": {"short_code": short_code, "dossier": "BENCH01", "name": "Bench SA", "currency": "EUR"},
            "as_of": "2026-11-28", "extracted_at": "2026-11-28T06:00:03Z",
            "fiscal_year": {"start": "2026-01-01", "end": "2026-12-31"}, "views": views}


def run_wrk(url: str, token: str, duration: int, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA)
        script = fh.name
    try:
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
                              "-s", script, url], capture_output=True, text=True,
                             env={**os.environ, "BENCH_TOKEN": token}, timeout=duration + 60).stdout
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    counts = dict(re.findall(r"(errors|mixed|checked)=(\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(counts.get("errors", -1)),
            "mixed": int(counts.get("mixed", -1)), "checked": int(counts.get("checked", 0)),
            "socket_errors": socket_errors.group(1) if socket_errors else "none"}


# --- the floor -----------------------------------------------------------------------------

async def floor_app(scope, receive, send):
    """Bare ASGI: the same JSON bytes from memory, no routing, no database."""
    if scope["type"] != "http":
        return
    body = _FLOOR_BODY
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


_FLOOR_BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes() if os.environ.get("BENCH_FLOOR_BODY") else b"{}"


def bench_floor(body: bytes, workers: int, args) -> dict:
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as fh:
        fh.write(body)
        path = fh.name
    port = free_port()
    env = {**os.environ, "BENCH_FLOOR_BODY": path, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "benchmarks.bench_platform:floor_app", "--port",
                             str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/mobile/views"
        wait_up(url, proc)
        return run_wrk(url, "floor", args.duration, args.connections, args.threads)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
        os.unlink(path)


# --- the platform ----------------------------------------------------------------------------

def bench_platform(data_dir: Path, database_url: str | None, workers: int, args, env_extra=None) -> tuple[dict, bytes]:
    from bizsync_tui.engine.contract import make_verifier

    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    common = ["--data-dir", str(data_dir)] + (["--database-url", database_url] if database_url else [])
    subprocess.run([sys.executable, "-m", "bizsync_tui", "platform", "client", "add", "BENCHCO", *common],
                   input="bench-portal-pw\n", text=True, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    cmd = [sys.executable, "-m", "bizsync_tui", "platform", "serve", "--port", str(port), *common]
    if workers != 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    api = f"http://127.0.0.1:{port}/api/v1"
    auth = ("BENCHCO", "bench-portal-pw")
    stop = threading.Event()
    publisher_errors = []
    try:
        wait_up(api + "/openapi.json", proc)
        from bizsync_tui.engine import catalogue

        users = {"users": [{"login": "reader", "name": "Reader", "password_verifier": make_verifier("reader-pw"),
                            "grants": {"BENCH": list(catalogue.VIEW_IDS)}}]}
        requests.put(api + "/users", json=users, auth=auth, timeout=30).raise_for_status()
        for k in (1, 2):
            requests.put(api + "/companies/BENCH/publication", json=publication(k), auth=auth,
                         timeout=30).raise_for_status()
        token = requests.post(api + "/mobile/login", timeout=30, json={
            "client_code": "BENCHCO", "company_code": "BENCH", "login": "reader", "password": "reader-pw"}
        ).json()["token"]
        sample = requests.get(api + "/mobile/views", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        sample.raise_for_status()

        def republish():
            k = 3
            with requests.Session() as s:
                while not stop.wait(1.0):
                    r = s.put(api + "/companies/BENCH/publication", json=publication(k), auth=auth, timeout=30)
                    if r.status_code != 200:
                        publisher_errors.append(r.status_code)
                    k += 1

        thread = threading.Thread(target=republish, daemon=True)
        thread.start()
        result = run_wrk(api + "/mobile/views", token, args.duration, args.connections, args.threads)
        stop.set()
        thread.join(30)
        result["publisher_errors"] = len(publisher_errors)
        return result, sample.content
    finally:
        stop.set()
        proc.terminate()
        proc.communicate(timeout=60)


def line(name: str, r: dict, floor: dict | None) -> str:
    ratio = f"{r['rps'] / floor['rps']:.2f}" if floor else "1.00"
    return (f"| {name} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | {r['mixed']} | "
            f"{ratio} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["floor", "sqlite", "postgresql"], action="append")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return 1
    only = set(args.only or ["floor", "sqlite", "postgresql"])
    rows, floors = [], {}
    work = Path(tempfile.mkdtemp(prefix="bench-platform-"))
    try:
        body = None
        if "sqlite" in only or "floor" in only:
            result, body = bench_platform(work / "sqlite", None, 1, args)
            if "sqlite" in only:
                rows.append(("platform, SQLite, 1 worker (default)", result, 1))
        if "postgresql" in only:
            from tests.pg import start_pg, stop_pg

            pg = start_pg()
            try:
                name = pg.create_database("bench")
                url = f"postgresql://{pg.superuser}@{pg.host}:{pg.port}/{name}"
                result, body = bench_platform(work / "pg", url, 2, args, {"PGPASSWORD": pg.password})
                rows.append(("platform, PostgreSQL, --workers 2", result, 2))
            finally:
                stop_pg(pg)
        if "floor" in only or rows:
            for workers in sorted({w for _, _, w in rows} | ({1, 2} if "floor" in only else set())):
                floors[workers] = bench_floor(body, workers, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, GET /api/v1/mobile/views "
          f"({len(body or b'')} bytes), republished every second")
    print("| run | req/s | p50 ms | p99 ms | errors | mixed | / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for workers, f in sorted(floors.items()):
        print(line(f"floor: bare ASGI, {workers} worker(s)", f, None))
    for name, r, workers in rows:
        print(line(name, r, floors.get(workers)))
        if r.get("publisher_errors"):
            print(f"  (publisher: {r['publisher_errors']} failed republications)")
        if r["socket_errors"] != "none":
            print(f"  (socket errors: {r['socket_errors']})")
    print(json.dumps({"floors": floors, "runs": [{"name": n, **r} for n, r, _ in rows]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
