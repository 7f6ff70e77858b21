"""Issue 11 item 20, the command line: with a French locale, `--help` (bizsync's texts and
argparse's own words), a usage error and the `bizsync demo` summary are in French; with
another locale they stay in English. Real processes (python -m bizsync_tui)."""

from __future__ import annotations

import re

from tests.e2e.cli import bizsync, env_for

FR = {"LANG": "fr_FR.UTF-8"}
EN = {"LANG": "C.UTF-8"}


def test_every_help_text_has_its_french():
    """Each help text, description and epilog of every command differs between the English and
    the French parser, unless its French is the same word ("options")."""
    from bizsync_tui import i18n
    from bizsync_tui.cli import build_parser
    from bizsync_tui.cli.help_fr import parser_texts

    before = i18n.language()
    try:
        i18n.set_language("en")
        english = [getattr(o, a) for o, a in parser_texts(build_parser())]
        i18n.set_language("fr")
        french = [getattr(o, a) for o, a in parser_texts(build_parser())]
    finally:
        i18n.set_language(before)
    assert len(english) == len(french) > 150
    untranslated = sorted({en for en, fr in zip(english, french) if en == fr and not i18n.has_fr(en)})
    assert untranslated == [], untranslated


def test_help_and_usage_errors_in_french(tmp_path):
    r = bizsync(tmp_path / "d", "--help", env=env_for(**FR))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("utilisation : bizsync"), r.stdout[:200]
    assert "Publier les indicateurs clés de Sage 100 sur une plateforme mobile." in " ".join(r.stdout.split())
    assert "afficher cette aide et quitter" in r.stdout
    for english in ("usage:", "show this help message", "positional arguments", "Publish Sage 100",
                    "add, change, list or remove companies"):
        assert english not in r.stdout, english
    r = bizsync(tmp_path / "d", "company", "add", "--help", env=env_for(**FR))
    text = " ".join(r.stdout.split())
    assert "le code que tapent les utilisateurs mobiles (majuscules et chiffres)" in text, r.stdout
    assert "all, ou des identifiants de vues séparés par des virgules : sales_revenue," in text
    r = bizsync(tmp_path / "d", "company", "add", env=env_for(**FR))
    assert r.returncode == 2
    assert "bizsync company add : erreur : ces arguments sont obligatoires : SHORT_CODE" in r.stderr, r.stderr


def test_help_stays_english_with_an_english_locale(tmp_path):
    r = bizsync(tmp_path / "d", "--help", env=env_for(**EN))
    assert r.stdout.startswith("usage: bizsync"), r.stdout[:200]
    assert "show this help message and exit" in r.stdout
    assert "Publish Sage 100 key business indicators" in " ".join(r.stdout.split())


def test_demo_summary_in_french(tmp_path):
    r = bizsync(tmp_path / "demo", "demo", "--no-tui", env=env_for(**FR), timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "Préparation de la démo dans" in out
    assert "Sociétés : BIJOU, BIJNORD, BIJGRP (la dernière est le groupe des autres)." in out
    assert "Utilisateurs mobiles : marie, paul, zoe ;" in out
    assert "Sur le téléphone : code client" in out and "Page mobile : http://127.0.0.1:" in out
    results = [line for line in out.splitlines() if line.startswith("  ")]
    assert [line.split()[1] for line in results] == ["publication"] * 3 + ["utilisateurs"], results
    for english in ("Companies:", "Mobile users:", "On the phone:", "Preparing", " publish ", " users "):
        assert english not in out, english
    assert re.search(r"^Journal : bizsync journal --data-dir ", out, re.M)
    # the journal of that data dir, in French: the operations as the journal screen names them
    r = bizsync(tmp_path / "demo", "journal", env=env_for(**FR))
    assert r.returncode == 0, r.stderr
    rows = r.stdout.splitlines()
    assert len(rows) == 4, rows
    assert sum(" publication " in row for row in rows) == 3 and sum(" utilisateurs mobiles " in row for row in rows) == 1
    assert not any(" publish " in row or " users " in row for row in rows), rows


def test_command_messages_in_french(tmp_path):
    r = bizsync(tmp_path / "d", "journal", env=env_for(**FR))
    assert r.returncode == 0 and r.stdout.strip() == "Le journal est vide.", r.stdout + r.stderr
    r = bizsync(tmp_path / "d", "journal", "--limit", "0", env=env_for(**FR))
    assert r.returncode != 0 and "--limit doit être un nombre supérieur ou égal à 1." in r.stderr, r.stderr
    r = bizsync(tmp_path / "d", "extract", "--accounting", "sqlite:/nowhere.db", "--as-of", "demain",
                env=env_for(**FR))
    assert r.returncode != 0
    assert "« demain » n'est pas une date ; tapez --as-of sous la forme AAAA-MM-JJ" in r.stderr, r.stderr
    r = bizsync(tmp_path / "d", "scheduler", "--from", "2026-03-29T00:00", env=env_for(**FR))
    assert r.returncode != 0 and "--from va avec --next" in r.stderr, r.stderr
    r = bizsync(tmp_path / "d", "journal", env=env_for(**EN))
    assert r.stdout.strip() == "The journal is empty.", r.stdout  # English with another locale
