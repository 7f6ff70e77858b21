"""Every validation rule, with the sentence it gives."""

import pytest

from bizsync_tui.engine.admin import validation as v
from bizsync_tui.engine.admin.validation import ValidationError


@pytest.mark.parametrize("good", ["BIJOU01", "A", "X" * 17, "123"])
def test_dossier_accepts_upper_letters_and_digits(good):
    assert v.dossier(good) == good


@pytest.mark.parametrize("bad", ["", "bijou", "BIJOU-01", "X" * 18, "BI JOU", "ÉTÉ"])
def test_dossier_refuses_with_a_sentence(bad):
    with pytest.raises(ValidationError) as err:
        v.dossier(bad)
    assert err.value.field == "dossier"
    assert "upper-case letters and digits" in err.value.message


def test_short_code_rule():
    assert v.short_code(" BIJOU ") == "BIJOU"
    with pytest.raises(ValidationError, match="such as BIJOU"):
        v.short_code("bij")


@pytest.mark.parametrize("good", ["1", "3128", "65535"])
def test_port_in_range(good):
    assert v.port(good) == good


@pytest.mark.parametrize("bad", ["0", "65536", "abc", "", "-1"])
def test_port_out_of_range(bad):
    with pytest.raises(ValidationError, match="from 1 to 65535"):
        v.port(bad)


def test_schedule_last_run_within_the_day():
    assert v.schedule("daily", "3", "08:00", "4") == ("daily", 3, "08:00", 4)
    assert v.schedule("daily", "24", "00:00", "1") == ("daily", 24, "00:00", 1)
    # 08:00 + 4 x 4 h = 24:00: past midnight
    with pytest.raises(ValidationError) as err:
        v.schedule("daily", "5", "08:00", "4")
    assert err.value.field == "schedule.times_per_day"
    assert "at most 4 runs" in err.value.message


@pytest.mark.parametrize("times", ["0", "25", "x"])
def test_schedule_times_per_day_range(times):
    with pytest.raises(ValidationError, match="1 to 24"):
        v.schedule("daily", times, "00:00", "1")


def test_schedule_start_format():
    with pytest.raises(ValidationError, match="HH:MM"):
        v.schedule("daily", "1", "25:00", "1")
    assert v.schedule("weekly", "1", "6:05", "1")[2] == "06:05"


def test_source_strings():
    assert v.source("sqlite:/tmp/a.db").kind == "sqlite"
    assert v.source("odbc:DSN=SAGE").connection_string == "DSN=SAGE"
    spec = v.source("mssql://srv:1433/BIJOU?instance=SAGE100")
    assert (spec.host, spec.port, spec.database, spec.instance) == ("srv", 1433, "BIJOU", "SAGE100")
    for bad, words in [("ftp://x", "not a source"), ("mssql://srv", "needs a server and a database"),
                       ("odbc:DSN=X;PWD=secret", "Leave the password out"), ("sqlite:", "file path")]:
        with pytest.raises(ValidationError, match=words):
            v.source(bad, "accounting_source")


def test_portal_url_needs_https_off_loopback():
    assert v.portal_url("https://p.example.com/") == "https://p.example.com"
    assert v.portal_url("http://127.0.0.1:8470") == "http://127.0.0.1:8470"
    with pytest.raises(ValidationError, match="https://"):
        v.portal_url("http://p.example.com")


def test_views_parse_and_order():
    assert v.views("cash_position,sales_revenue") == ["sales_revenue", "cash_position"]
    assert len(v.views("all")) == 17
    with pytest.raises(ValidationError, match="is not a view"):
        v.views("sales")


def test_holidays_country():
    assert v.holidays_country("fr") == "FR"
    assert v.holidays_country("none") == "none"
    with pytest.raises(ValidationError, match="country code"):
        v.holidays_country("ZZ")


def test_login_and_password():
    assert v.login("marie.curie") == "marie.curie"
    with pytest.raises(ValidationError, match="letters, digits"):
        v.login("marie curie")
    with pytest.raises(ValidationError, match="at least 8"):
        v.user_password("short")
    with pytest.raises(ValidationError, match="differ"):
        v.user_password("longenough", "longenougH")
