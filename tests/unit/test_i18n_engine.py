"""The engine's sentences shown to the admin exist in French too.

(a) every `_("...")` template of the translated engine modules has a French text;
(b) real refusals come out in French with set_language("fr");
(c) the command line picks French from the locale (LANG=fr_FR.UTF-8).
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bizsync_tui import i18n

ENGINE = Path(__file__).resolve().parents[2] / "bizsync_tui" / "engine"
MODULES = ("admin.validation", "admin.config", "publish.errors", "publish.client", "publish.runner", "sage.sources", "schedule.plan", "schedule.scheduler")


def _templates(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append(node.args[0].value)
    return found


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("module", ["sage.source_spec", "catalogue", "locks"])
def test_small_engine_modules_have_french_too(module):
    importlib.import_module(f"bizsync_tui.engine.{module}")
    templates = _templates(ENGINE / f"{module.replace('.', '/')}.py")
    assert len(templates) >= 2
    assert i18n.missing_fr(templates) == []


def test_source_refusal_in_french():
    from bizsync_tui.engine.sage.source_spec import parse_source

    i18n.set_language("fr")
    with pytest.raises(ValueError, match="n'est pas une source que bizsync connaît ; tapez sqlite:/chemin"):
        parse_source("ftp://x")


@pytest.mark.parametrize("module", MODULES)
def test_every_engine_template_has_french(module):
    importlib.import_module(f"bizsync_tui.engine.{module}")  # registers its French texts
    templates = _templates(ENGINE / f"{module.replace('.', '/')}.py")
    assert len(templates) >= 5, f"engine/{module}.py: no translatable sentence found"
    assert i18n.missing_fr(templates) == []


@pytest.mark.parametrize("module", MODULES)
def test_french_keeps_the_placeholders(module):
    importlib.import_module(f"bizsync_tui.engine.{module}")
    i18n.set_language("fr")
    for text in _templates(ENGINE / f"{module.replace('.', '/')}.py"):
        names = {n for _lit, n, _spec, _conv in __import__("string").Formatter().parse(text) if n}
        french = i18n._(text)
        assert french != text, text
        assert names == {n for _lit, n, _spec, _conv in __import__("string").Formatter().parse(french) if n}, text


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
                                               accounting_source="sqlite:/tmp/a.db", commercial_source="sqlite:/tmp/c.db"))
    i18n.set_language("fr")
    with pytest.raises(config.ValidationError) as err:
        config.save_company(ws, config.CompanyData(short_code="BIJOU", name="Autre", dossier="AUTRE01",
                                                   accounting_source="sqlite:/tmp/a.db", commercial_source="sqlite:/tmp/c.db"))
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


def test_constant_texts_have_french():
    from bizsync_tui.engine.publish import errors as http

    from bizsync_tui.engine.publish import runner
    from bizsync_tui.engine.sage import sources

    wheres = [http.WHERE_PORTAL, http.WHERE_PROXY, http.WHERE_URL, http.WHERE_CA, *runner.MISSING.values(),
              sources.NOT_SAGE]
    assert i18n.missing_fr(wheres) == []


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
    assert report.summary() == "0 opération(s) sur 1 réussie(s)."


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
