"""The production password hash: Argon2id at OWASP's setting, and old hashes upgraded.

The test settings use a fast hash; these tests name the production hashers directly."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.test import override_settings

from cme.accounts.hashers import OwaspArgon2PasswordHasher
from cme.settings import base

PRODUCTION = base.PASSWORD_HASHERS
PASSWORD = "correct horse battery staple"


def test_production_settings_hash_with_owasps_argon2id_setting() -> None:
    assert PRODUCTION[0] == "cme.accounts.hashers.OwaspArgon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=PRODUCTION):
        encoded = make_password(PASSWORD)
        assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
        assert check_password(PASSWORD, encoded)
        assert not check_password("wrong " + PASSWORD, encoded)


@pytest.mark.parametrize(
    "old_hasher", [Argon2PasswordHasher, PBKDF2PasswordHasher], ids=["django-argon2", "pbkdf2"]
)
def test_a_hash_made_with_other_settings_verifies_and_is_remade_at_sign_in(old_hasher) -> None:
    old = old_hasher().encode(PASSWORD, old_hasher().salt())
    remade: list[str] = []
    with override_settings(PASSWORD_HASHERS=PRODUCTION):
        assert check_password(PASSWORD, old, setter=remade.append)
        assert len(remade) == 1
        assert isinstance(identify_hasher(make_password(PASSWORD)), OwaspArgon2PasswordHasher)
        assert "m=19456,t=2,p=1" in make_password(PASSWORD)
        # a wrong password never triggers the re-hash
        remade.clear()
        assert not check_password("wrong", old, setter=remade.append)
        assert remade == []
