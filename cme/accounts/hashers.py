"""The password hash: Argon2id at OWASP's recommended setting, not Django's default.

Django's default Argon2 asks for 100 MiB and 8 lanes per hash: on a 2-core server that is
about 180 ms a sign-in, and twenty officers signing in at 9am queue behind each other. OWASP's
Password Storage Cheat Sheet (Argon2id "with a minimum configuration of 19 MiB of memory, an
iteration count of 2, and 1 degree of parallelism") gives the same resistance to offline
guessing as its other listed settings at about 30 ms, with one lane so that concurrent sign-ins
use the cores side by side instead of fighting for them. Hashes made with other settings still
verify (the parameters are in the hash) and are re-made with these at the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    # Same algorithm name as Django's, so every stored argon2 hash is read by this class and
    # `must_update` re-hashes the ones made with other parameters.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
