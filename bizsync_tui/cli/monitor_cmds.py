"""`bizsync alert test` and `bizsync status [--json]` (unattended operation).

`status` exits 0 when every publication is well, 1 when one is failing or stale, 2 when
nothing was ever published: a Nagios/Zabbix check, a Prometheus textfile script or a
systemd `OnFailure=` can use it as it is.
"""

from __future__ import annotations

import json

from bizsync_tui.cli.common import CliError, data_dir_of
from bizsync_tui.i18n import _


def _when(at) -> str:
    if at is None:
        return "-"
    from bizsync_tui.engine.clock import local_zone

    return at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def cmd_alert_test(args) -> int:
    from datetime import datetime, timezone

    from bizsync_tui.engine.monitor.alerts import send_test
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    try:
        deliveries = send_test(ws, datetime.now(timezone.utc))
    finally:
        ws.close()
    if not deliveries:
        raise CliError(_("No alert channel is configured: set alert.email.to and alert.smtp.host, or "
                         "alert.webhook.url (Settings > Alerts, or 'bizsync config set')."))
    for d in deliveries:
        if d.ok:
            print(_("sent: {what}").format(what=d.description))
        else:
            print(_("NOT sent: {what}: {error}").format(what=d.description, error=d.message))
    return 0 if all(d.ok for d in deliveries) else 1


def cmd_status(args) -> int:
    from bizsync_tui.engine.schedule.status import current_status
    from bizsync_tui.engine.workspace import open_workspace

    ws = open_workspace(data_dir_of(args))
    try:
        status = current_status(ws, check_alerts=True)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(status.as_json(), ensure_ascii=False, indent=2))
        return status.code
    print(status.headline())
    if status.subjects:
        width = max(8, *(len(s.label) for s in status.subjects))
        print(f"{_('SUBJECT'):{width}}  {_('STATE'):8}  {_('LAST SUCCESS'):16}  {_('LAST ATTEMPT'):16}  "
              f"{_('FAILING SINCE'):16}")
        for s in status.subjects:
            print(f"{s.label:{width}}  {_(s.state):8}  {_when(s.last_success):16}  {_when(s.last_attempt):16}  "
                  f"{_when(s.failing_since):16}")
            if s.message and s.state == "failing":
                print(f"{'':{width}}  {s.message}")
    print(_("Next run: {when}").format(when=_when(status.next_run) if status.next_run else _("none planned")))
    print(status.scheduler)
    if status.stale_hours:
        print(_("Stale after {hours} h without a successful publication.").format(hours=status.stale_hours))
    return status.code


def register(subparsers, parent) -> None:
    a = subparsers.add_parser("alert", parents=[parent], help="alerts by e-mail and webhook: send a test",
                              description="Alerts go out when a publication starts failing, recovers, or has not "
                                          "succeeded for alert.stale_hours. Configure them with the alert.* "
                                          "settings (bizsync config set) or in Settings > Alerts.")
    sub = a.add_subparsers(dest="alert_command", metavar="ACTION", required=True)
    t = sub.add_parser("test", parents=[parent], help="send a test alert through every configured channel; "
                                                       "exit 0 only if all were delivered")
    t.set_defaults(func=cmd_alert_test)

    s = subparsers.add_parser(
        "status", parents=[parent],
        help="each company's and group's publication state; exit 0 all well, 1 failing or stale, "
             "2 nothing ever published",
        description="One line per company, group and the mobile users: state, last success, last attempt, "
                    "failing since; then the next run and the scheduler. Exit code 0 when all are well, 1 when "
                    "any is failing or stale (alert.stale_hours), 2 when nothing was ever published. "
                    "Also sends a stale alert that is due (nothing else may be running to notice it).")
    s.add_argument("--json", action="store_true", help="the same as JSON")
    s.set_defaults(func=cmd_status)
