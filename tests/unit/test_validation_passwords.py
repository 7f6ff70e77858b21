"""The mobile-user password rule of the publisher: long enough, and not one of the commonest."""

from __future__ import annotations

import pytest

from bizsync_tui.engine.admin import validation as v
from bizsync_tui.engine.admin.validation import ValidationError
from bizsync_tui import i18n


@pytest.mark.parametrize("password", ["password", "Password", " PASSWORD1 ", "12345678", "azertyuiop",
                                      "motdepasse", "qwerty123", "zzzzzzzzzz"])
def test_the_commonest_passwords_are_refused(password):
    with pytest.raises(ValidationError, match="most used") as refused:
        v.user_password(password)
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", ["marie-secret-1", "Tr0mb0ne-Vert", "password-of-marie", "12345678x9"])
def test_other_passwords_of_8_characters_or_more_pass(password):
    assert v.user_password(password, password) == password


def test_the_refusal_in_french():
    i18n.set_language("fr")
    try:
        with pytest.raises(ValidationError, match="plus utilisés"):
            v.user_password("password")
    finally:
        i18n.set_language("en")
