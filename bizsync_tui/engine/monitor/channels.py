"""Where alerts go: e-mail (SMTP with STARTTLS, SSL or none, with or without login) and a
webhook (a POST of JSON whose `text` is what Slack, Mattermost, Rocket.Chat and Teams-style
incoming webhooks show).

Each channel is built from the settings values (`Settings.values()`) and sends one
`Notification`; a failure raises ChannelError with one sentence for the admin that holds
no secret (the SMTP password and the webhook address, which carries a token, are masked).
Every network wait is bounded (SMTP_TIMEOUT, WEBHOOK_TIMEOUT): an alert never holds a
publication for more than a few seconds.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter

from bizsync_tui.i18n import _

SMTP_TIMEOUT = 4.0  # seconds, for each wait of the SMTP conversation
WEBHOOK_TIMEOUT = (3.0, 4.0)  # connect, read
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
USER_AGENT = "bizsync-alerts/1"


class ChannelError(Exception):
    """A channel could not deliver; str() is one sentence without a secret."""

    def __init__(self, channel: str, message: str):
        super().__init__(message)
        self.channel = channel
        self.message = message


@dataclass
class Notification:
    """One alert: what happened (`event`: failed, recovered, stale, test) to which subjects."""

    event: str
    subject: str  # the e-mail subject line
    text: str  # the whole message, plain text (the webhook's `text`, the e-mail's body)
    at: str  # ISO 8601 UTC
    company: str = ""  # the short code(s) concerned, comma-separated
    message: str = ""  # the journal's sentence: what to fix ('' for recovered, test)
    extra: dict = field(default_factory=dict)  # more JSON fields (client, items, reminder...)

    def payload(self) -> dict:
        body = {"text": self.text, "event": self.event, "company": self.company, "message": self.message,
                "at": self.at}
        body.update(self.extra)
        return body


def _mask(text: str, secrets) -> str:
    text = str(text)
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote(secret)}:
            text = text.replace(form, "***")
    return text


def ssl_context(values: dict) -> ssl.SSLContext:
    """The machine's authorities, plus the private one of `tls.ca_bundle` when set."""
    context = ssl.create_default_context()
    ca = (values.get("tls.ca_bundle") or "").strip()
    if ca:
        context.load_verify_locations(cafile=ca)
    return context


# -- e-mail -------------------------------------------------------------------------------
@dataclass
class EmailChannel:
    host: str
    port: int
    security: str  # starttls | ssl | none
    sender: str
    recipients: list[str]
    user: str = ""
    password: str = ""
    context: ssl.SSLContext | None = None
    name: str = "email"

    @classmethod
    def from_values(cls, values: dict) -> "EmailChannel | None":
        to = [a.strip() for a in (values.get("alert.email.to") or "").split(",") if a.strip()]
        host = (values.get("alert.smtp.host") or "").strip()
        if not to and not host:
            return None
        security = (values.get("alert.smtp.security") or "starttls").strip() or "starttls"
        port = str(values.get("alert.smtp.port") or "").strip()
        sender = (values.get("alert.email.from") or "").strip() or f"bizsync@{socket.getfqdn() or 'localhost'}"
        return cls(host=host, port=int(port) if port else DEFAULT_PORTS.get(security, 587), security=security,
                   sender=sender, recipients=to, user=(values.get("alert.smtp.user") or "").strip(),
                   password=values.get("alert.smtp.password") or "", context=ssl_context(values))

    def describe(self) -> str:
        return _("e-mail to {to}").format(to=", ".join(self.recipients) or "?")

    def _fail(self, text: str) -> ChannelError:
        return ChannelError(self.name, _mask(text, [self.password]))

    def send(self, note: Notification) -> None:
        if not self.recipients:
            raise self._fail(_("E-mail alerts have a mail server but no recipient; set Settings > Alerts > "
                               "To or 'bizsync config set alert.email.to ADDRESS'."))
        if not self.host:
            raise self._fail(_("E-mail alerts have recipients but no mail server; set Settings > Alerts > "
                               "Mail server or 'bizsync config set alert.smtp.host HOST'."))
        if self.user and not self.password:
            raise self._fail(_("The mail server login has no password (or it cannot be read with this key); "
                               "type it in Settings > Alerts or with 'bizsync config set alert.smtp.password'."))
        mail = EmailMessage()
        mail["Subject"] = note.subject
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.recipients)
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        mail["X-Bizsync-Event"] = note.event
        mail.set_content(note.text)
        where = f"{self.host}:{self.port}"
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=self.context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
            with smtp:
                smtp.ehlo()
                if self.security == "starttls":
                    if not smtp.has_extn("starttls"):
                        raise self._fail(_("The mail server {server} does not offer STARTTLS; choose the security "
                                           "its administrator gives (ssl, or none on a trusted network).").format(
                                               server=where))
                    smtp.starttls(context=self.context)
                    smtp.ehlo()
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail)
        except ChannelError:
            raise
        except smtplib.SMTPAuthenticationError:
            raise self._fail(_("The mail server {server} refused the login {user}; check the user and password in "
                               "Settings > Alerts.").format(server=where, user=self.user)) from None
        except smtplib.SMTPNotSupportedError:
            raise self._fail(_("The mail server {server} does not accept a login on this connection; choose "
                               "starttls or ssl, or leave the user empty.").format(server=where)) from None
        except smtplib.SMTPRecipientsRefused:
            raise self._fail(_("The mail server {server} refused the recipients {to}; check the addresses.").format(
                server=where, to=", ".join(self.recipients))) from None
        except smtplib.SMTPSenderRefused:
            raise self._fail(_("The mail server {server} refused the sender {sender}; set an address it accepts "
                               "in Settings > Alerts > From.").format(server=where, sender=self.sender)) from None
        except ssl.SSLCertVerificationError:
            raise self._fail(_("The mail server {server} has a certificate this machine does not trust; give its "
                               "authority in tls.ca_bundle, or fix the server's certificate.").format(
                                   server=where)) from None
        except ssl.SSLError:
            raise self._fail(_("The secure connection to the mail server {server} failed; check that its port "
                               "matches the security (465 for ssl, 587 for starttls).").format(server=where)) from None
        except (socket.timeout, TimeoutError):
            raise self._fail(_("The mail server {server} did not answer in {seconds} s; check its address and "
                               "port, and that this machine may reach it.").format(
                                   server=where, seconds=int(SMTP_TIMEOUT))) from None
        except ConnectionRefusedError:
            raise self._fail(_("The mail server {server} refused the connection; check its address and port.").format(
                server=where)) from None
        except socket.gaierror:
            raise self._fail(_("The mail server's name {host} was not found; check Settings > Alerts > Mail "
                               "server.").format(host=self.host)) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise self._fail(_("The mail server {server} could not take the alert ({error}); check its address, "
                               "port and security.").format(server=where, error=type(exc).__name__)) from None


# -- webhook ----------------------------------------------------------------------------------
class _ContextAdapter(HTTPAdapter):
    def __init__(self, context: ssl.SSLContext, **kwargs):
        self._context = context
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = self._context
        return super().init_poolmanager(*args, **kwargs)


def _proxies(values: dict) -> tuple[bool, dict]:
    """(trust the environment, explicit proxies) for the proxy mode, as for the platform."""
    mode = (values.get("proxy.mode") or "system").strip()
    if mode == "none":
        return False, {}
    if mode != "manual":
        return True, {}
    host = (values.get("proxy.host") or "").strip()
    if not host:
        return False, {}
    user, password = values.get("proxy.user") or "", values.get("proxy.password") or ""
    auth = (quote(user, safe="") + (":" + quote(password, safe="") if password else "") + "@") if user else ""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    url = f"http://{auth}{host}:{str(values.get('proxy.port') or '').strip() or 3128}"
    return False, {"http": url, "https": url}


@dataclass
class WebhookChannel:
    url: str
    values: dict
    name: str = "webhook"

    @classmethod
    def from_values(cls, values: dict) -> "WebhookChannel | None":
        url = (values.get("alert.webhook.url") or "").strip()
        return cls(url, values) if url else None

    def describe(self) -> str:
        return _("webhook at {host}").format(host=urlsplit(self.url).hostname or "?")

    def send(self, note: Notification) -> None:
        host = urlsplit(self.url).netloc.rpartition("@")[2] or "?"
        secrets = [self.url, urlsplit(self.url).path, urlsplit(self.url).query, self.values.get("proxy.password")]

        def fail(text: str) -> ChannelError:
            return ChannelError(self.name, _mask(text, [s for s in secrets if s and len(s) > 1]))

        trust_env, proxies = _proxies(self.values)
        with requests.Session() as session:
            session.trust_env = trust_env
            session.proxies = proxies
            adapter = _ContextAdapter(ssl_context(self.values))
            session.mount("https://", adapter)
            session.mount("http://", HTTPAdapter(max_retries=0))
            try:
                response = session.post(self.url, json=note.payload(), timeout=WEBHOOK_TIMEOUT,
                                        headers={"User-Agent": USER_AGENT}, allow_redirects=False)
            except requests.exceptions.SSLError:
                raise fail(_("The webhook's server {host} has a certificate this machine does not trust; give its "
                             "authority in tls.ca_bundle, or fix the server's certificate.").format(host=host)) from None
            except requests.exceptions.Timeout:
                raise fail(_("The webhook's server {host} did not answer in time; check the address in Settings > "
                             "Alerts and that this machine may reach it.").format(host=host)) from None
            except requests.exceptions.ProxyError:
                raise fail(_("The proxy refused or failed the webhook call to {host}; check Settings > Proxy.").format(
                    host=host)) from None
            except requests.exceptions.ConnectionError:
                raise fail(_("The webhook's server {host} could not be reached; check the address in Settings > "
                             "Alerts and that this machine may reach it.").format(host=host)) from None
            except requests.exceptions.RequestException as exc:
                raise fail(_("The webhook call to {host} failed ({error}).").format(
                    host=host, error=type(exc).__name__)) from None
            if not 200 <= response.status_code < 300:
                raise fail(_("The webhook's server {host} answered {status}; check the address in Settings > "
                             "Alerts (a revoked webhook answers 404 or 410).").format(
                                 host=host, status=response.status_code))


def channels_of(values: dict) -> list:
    """The configured channels (e-mail when recipients or a server are set, webhook when its address is)."""
    return [c for c in (EmailChannel.from_values(values), WebhookChannel.from_values(values)) if c is not None]
