"""The French gettext catalogue: complete, consistent, compiled, shipped, and used.

(a) the committed .mo is what Babel compiles from the committed .po;
(b) every message id in the code (Babel's extractor over bizsync_tui, keywords
    _ ngettext:1,2 pgettext:1c,2 N_) has its French, with the same str.format
    placeholders; no id is in the catalogue twice, and the catalogue is the only
    source of French;
(c) words whose French depends on what they name have contexts (pgettext);
(d) real refusals come out in French with set_language("fr"), and the command
    line picks French from the locale (LANG=fr_FR.UTF-8).
"""

from __future__ import annotations

import ast
import collections
import gettext
import importlib
import io
import os
import pkgutil
import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import bizsync_tui
from bizsync_tui import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bizsync_tui"
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "bizsync.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}


def placeholders(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def extracted() -> list[tuple[str, int, str | tuple, str | None]]:
    """(file, line, message, context) of every marked text of bizsync_tui."""
    out = []
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        out.append((filename, lineno, message, context))
    return out


@pytest.fixture(scope="module")
def every_module_imported():
    """Every module imported (the CLI's help texts are translated when its parser is built)."""
    for info in pkgutil.walk_packages(bizsync_tui.__path__, "bizsync_tui."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as fp:
        return read_po(fp)


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def french(message: str, context: str | None = None) -> str:
    i18n.set_language("fr")
    try:
        return i18n.pgettext(context, message) if context else i18n._(message)
    finally:
        i18n.set_language("en")


# -- (a) compiled and shipped ----------------------------------------------------------
def _mo_entries(data: bytes) -> tuple[dict, dict]:
    """(messages, header fields) of a .mo, the Babel version that wrote it left out."""
    translations = gettext.GNUTranslations(io.BytesIO(data))
    messages = {k: v for k, v in translations._catalog.items() if k != ""}
    info = {k: v for k, v in translations.info().items() if k != "generated-by"}
    return messages, info


def test_committed_mo_is_the_compiled_po():
    assert MO.is_file(), "run: python -m bizsync_tui.i18n compile"
    fresh = i18n.compiled(PO)
    assert _mo_entries(MO.read_bytes()) == _mo_entries(fresh), (
        "bizsync.mo is not the compiled bizsync.po: run python -m bizsync_tui.i18n compile")
    messages, info = _mo_entries(fresh)
    assert info["language"] == "fr" and info["plural-forms"] == "nplurals=2; plural=(n > 1);"
    assert len(messages) > 400


def test_compile_command_writes_the_mo(tmp_path, monkeypatch):
    """`python -m bizsync_tui.i18n compile` on a copy of the locale folder rebuilds a deleted .mo."""
    locale = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    (locale / "bizsync.po").write_bytes(PO.read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    try:
        assert i18n.main(["compile"]) == 0
        assert _mo_entries((locale / "bizsync.mo").read_bytes()) == _mo_entries(MO.read_bytes())
    finally:
        monkeypatch.undo()
        i18n.reload_catalogues()
    assert i18n.main(["nonsense"]) == 2


def test_pyproject_ships_the_catalogue():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["bizsync_tui"]
    shipped = {p.relative_to(PACKAGE).as_posix() for pattern in patterns for p in PACKAGE.glob(pattern)}
    assert {"locale/fr/LC_MESSAGES/bizsync.po", "locale/fr/LC_MESSAGES/bizsync.mo"} <= shipped
    assert not any(p.endswith(".json") and "locale" in p for p in patterns)  # the former, missing files


# -- (b) complete and consistent --------------------------------------------------------
def test_every_message_in_the_code_has_french_with_its_placeholders(every_module_imported, catalogue):
    found = extracted()
    assert len(found) > 400, "the extractor found too few texts: keywords wrong?"
    problems = []
    for filename, lineno, message, context in found:
        where = f"bizsync_tui/{filename}:{lineno}"
        if isinstance(message, tuple):  # ngettext: both forms
            singular, plural = message[:2]
            entry = catalogue.get(singular, context=context)
            if entry is None or not isinstance(entry.string, tuple) or not all(entry.string):
                problems.append(f"{where}: no French plural forms for {singular!r}")
                continue
            for form in entry.string:
                if placeholders(form) != placeholders(plural) | placeholders(singular):
                    problems.append(f"{where}: the French {form!r} has other placeholders than {plural!r}")
            continue
        if not i18n.has_fr(message, context):
            problems.append(f"{where}: no French for {message!r}" + (f" (context {context!r})" if context else ""))
            continue
        text = french(message, context)
        if placeholders(text) != placeholders(message):
            problems.append(f"{where}: the French {text!r} has other placeholders than {message!r}")
    assert problems == []


def test_every_catalogue_entry_keeps_its_placeholders(catalogue):
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        for text in strings:
            if not text:
                problems.append(f"{message.id!r}: empty French")
            elif placeholders(text) != expected and placeholders(text) != placeholders(ids[0]):
                problems.append(f"{message.id!r}: {text!r}")
    assert problems == []


def test_no_id_twice_in_the_catalogue():
    """Babel keeps the last of two entries silently: the .po itself must not hold one twice."""
    text = PO.read_text(encoding="utf-8")
    keys = []
    for block in text.split("\n\n"):
        ctx = re.search(r'^msgctxt "(.*)"$', block, re.M)
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if mid:
            keys.append((ctx.group(1) if ctx else None, mid.group(1)))
    duplicates = [k for k, n in collections.Counter(keys).items() if n > 1]
    assert len(keys) > 400 and duplicates == []


def test_one_mechanism_the_catalogue():
    """No second source of French beside the .po: the former register_fr blocks are all in the
    catalogue and the fallback is gone (a new block would be a text the catalogue test misses)."""
    calls = [f"{path.relative_to(PACKAGE)}:{node.lineno}"
             for path in PACKAGE.rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register_fr"]
    assert calls == []
    assert not hasattr(i18n, "register_fr")


# -- (c) contexts and plurals -------------------------------------------------------------
def test_name_of_a_company_and_of_a_user_differ_in_french():
    assert french("Name", "company") == "Raison sociale"
    assert french("Name", "user") == "Nom"
    assert french("Name", "group") == "Nom"
    assert french("failed", "publication result") == "en échec"
    assert french("failed", "list mark") == "échec"
    assert i18n.pgettext("company", "Name") == i18n.pgettext("user", "Name") == "Name"  # English


def test_plural_forms_follow_french_rules():
    i18n.set_language("fr")
    fr = i18n._FRENCH
    assert fr.ngettext("x", "y", 1) == "x"  # unknown id: English forms, English rule
    # French counts 0 and 1 as singular
    assert [fr.plural(n) for n in (0, 1, 2, 10)] == [0, 0, 1, 1]


def test_language_detection_is_unchanged(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.detect_language() == "en"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert i18n.detect_language() == "fr"
    assert i18n.detect_language("en") == "en"  # the setting wins
    monkeypatch.setenv("LC_ALL", "C")
    assert i18n.detect_language() == "en"  # LC_ALL before LANG
    assert i18n.detect_language("fr") == "fr"
    i18n.set_language("de")
    assert i18n.language() == "en"
    i18n.set_language("fr")
    assert i18n.language() == "fr"


# -- (d) real texts in French ----------------------------------------------------------------
def test_constant_texts_have_french():
    from bizsync_tui.engine.publish import errors, runner
    from bizsync_tui.engine.sage import source_spec, sources

    wheres = [errors.WHERE_PORTAL, errors.WHERE_PROXY, errors.WHERE_URL, errors.WHERE_CA, *runner.MISSING.values(),
              sources.NOT_SAGE, source_spec.EXAMPLES]
    assert i18n.missing_fr(wheres) == []


def test_source_refusal_in_french():
    from bizsync_tui.engine.sage.source_spec import parse_source

    i18n.set_language("fr")
    with pytest.raises(ValueError, match="n'est pas une source que bizsync connaît ; tapez sqlite:/chemin"):
        parse_source("ftp://x")


def test_port_refusal_in_french():
    from bizsync_tui.engine.admin import validation

    i18n.set_language("fr")
    with pytest.raises(validation.ValidationError) as err:
        validation.port("0")
    assert err.value.field == "proxy.port"
    assert err.value.message == "Le port doit être un nombre de 1 à 65535, par exemple 3128."
    i18n.set_language("en")
    with pytest.raises(validation.ValidationError) as err:
        validation.port("0")
    assert err.value.message == "The port must be a number from 1 to 65535, such as 3128."


def test_duplicate_company_code_in_french(ws):
    from bizsync_tui.engine.admin import config

    config.save_company(ws, config.CompanyData(short_code="BIJOU", name="Bijou SA", dossier="BIJOU01",
                                               accounting_source="sqlite:/tmp/a.db", commercial_source="sqlite:/tmp/c.db",
                                               views=["sales_revenue"]))
    i18n.set_language("fr")
    with pytest.raises(config.ValidationError) as err:
        config.save_company(ws, config.CompanyData(short_code="BIJOU", name="Autre", dossier="AUTRE01",
                                                   accounting_source="sqlite:/tmp/a.db", commercial_source="sqlite:/tmp/c.db",
                                                   views=["sales_revenue"]))
    assert err.value.field == "short_code"
    assert err.value.message == "Le code court BIJOU est déjà utilisé par la société Bijou SA ; choisissez-en un autre."


def test_cli_speaks_french_from_the_locale(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "fr_FR.UTF-8"
    out = subprocess.run([sys.executable, "-m", "bizsync_tui", "--data-dir", str(tmp_path / "data"),
                          "config", "set", "proxy.port", "0"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode != 0
    assert "Le port doit être un nombre de 1 à 65535, par exemple 3128." in out.stderr, out.stderr
    env["LANG"] = "C.UTF-8"
    out = subprocess.run([sys.executable, "-m", "bizsync_tui", "--data-dir", str(tmp_path / "data"),
                          "config", "set", "proxy.port", "0"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert "The port must be a number from 1 to 65535, such as 3128." in out.stderr, out.stderr


def test_platform_refusal_in_french():
    from bizsync_tui.engine.publish.client import PlatformClient
    from bizsync_tui.engine.publish.errors import PublishError

    i18n.set_language("fr")
    with pytest.raises(PublishError) as err:
        PlatformClient({"portal.url": "", "portal.client_code": "C1", "portal.password": "x"})
    assert str(err.value) == ("L'adresse de la plateforme n'est pas renseignée ; indiquez-la dans "
                              "Paramètres > Connexion, ou 'bizsync config set portal.url URL'.")


def test_run_result_in_french(ws):
    from bizsync_tui.engine.publish import runner

    i18n.set_language("fr")
    report = runner.run(ws, "publish")
    assert not report.ok
    message = report.results[0].message
    assert message.startswith("Rien n'a été publié : la connexion à la plateforme (adresse, code client et mot "
                              "de passe) est incomplète ; "), message
    assert "il n'y a aucune société à publier" in message


def test_group_mismatch_in_french():
    import datetime as dt

    from bizsync_tui.engine.sage.figures import CompanyFigures
    from bizsync_tui.engine.sage.groups import GroupMismatch, check_group_consistency

    def figures(currency: str, start: dt.date) -> CompanyFigures:
        return CompanyFigures(name="x", currency=currency, fy_start=start, fy_end=dt.date(2026, 12, 31),
                              as_of=dt.date(2026, 11, 28))

    jan, feb = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
    with pytest.raises(GroupMismatch) as err:
        check_group_consistency([("NORD", figures("EUR", jan)), ("SUD", figures("EUR", feb))])
    assert str(err.value) == ("The fiscal year of member SUD starts on 2026-02-01 instead of 2026-01-01 (as in "
                              "NORD); align its fiscal year in Sage or remove SUD from the group.")
    i18n.set_language("fr")
    with pytest.raises(GroupMismatch) as err:
        check_group_consistency([("NORD", figures("EUR", jan)), ("SUD", figures("CHF", jan))])
    assert str(err.value).startswith("Le membre SUD tient sa comptabilité en CHF mais NORD en EUR ;")


def test_source_error_in_french(tmp_path):
    from bizsync_tui.engine.sage.sources import SourceError, open_source

    i18n.set_language("fr")
    missing = tmp_path / "absent.db"
    with pytest.raises(SourceError) as err:
        open_source(f"sqlite:{missing}")
    assert str(err.value).startswith("Le fichier de ")
    assert str(err.value).endswith(" n'existe pas ; vérifiez le chemin de la source.")


def test_scheduler_status_in_french(ws):
    from bizsync_tui.engine.schedule.plan import ScheduleSettings
    from bizsync_tui.engine.schedule.scheduler import Scheduler

    i18n.set_language("fr")
    status = Scheduler(ws).status()  # not started: this process does not hold the lock
    assert status.message == "Le planificateur n'est pas démarré."
    plan = ScheduleSettings.from_dict({"frequency": "daily", "times_per_day": 2, "start": "08:00",
                                       "interval_hours": 4})
    assert plan.describe() == "tous les jours à 08:00, 12:00"  # 08:00 + 4 h = 12:00
