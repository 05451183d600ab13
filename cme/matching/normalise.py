"""Normalisation of the fields a child's record is matched on.

Every function here is pure and idempotent: applying it to its own output changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import jellyfish

_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc"
_NON_ALPHA = re.compile(r"[^a-z0-9 ]+")
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "\u0131": "i",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
        "ð": "d",
    }
)
_SPACES = re.compile(r"\s+")
_MAC = re.compile(r"^(mac|mc) (?=[a-z])")

# Particles that join a surname rather than making a separate part of it.
_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "le", "la"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped, other punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    text = _NON_ALPHA.sub(" ", text.translate(_LETTERS))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=200_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """The parts of a name: `"Mary-Jane O'Neil"` -> `("mary", "jane", "oneil")`.

    `Mc` and `Mac` written apart are joined to the next part and `Mc` is written `mac`, so
    McDonald, Mc Donald and MacDonald give one token.
    """
    folded = fold(text)
    if not folded:
        return ()
    folded = _MAC.sub("mac", folded)
    tokens = []
    for token in folded.split(" "):
        if token.startswith("mc") and len(token) > 3:
            token = "mac" + token[2:]
        tokens.append(token)
    return tuple(tokens)


@lru_cache(maxsize=200_000)
def normalise_forename(text: str) -> str:
    """The first part of a forename, normalised (`"Mary-Jane"` -> `"mary"`)."""
    tokens = name_tokens(text)
    return tokens[0] if tokens else ""


@lru_cache(maxsize=200_000)
def surname_parts(text: str) -> tuple[str, ...]:
    """A surname as a sorted set of parts; particles are kept with the next part.

    `"Smith-Jones"`, `"Jones Smith"` and `"jones-smith"` all give `("jones", "smith")`;
    `"van der Berg"` gives `("vanderberg",)`.
    """
    parts: list[str] = []
    pending = ""
    for token in name_tokens(text):
        if token in _PARTICLES:
            pending += token
            continue
        parts.append(pending + token)
        pending = ""
    if pending:
        # A particle with nothing after it ("Smith de") stays with the part before it, so the
        # sorted output reads the same when normalised again.
        if parts:
            parts[-1] += pending
        else:
            parts.append(pending)
    return tuple(sorted(set(parts)))


def normalise_surname(text: str) -> str:
    """The surname parts joined by a space (the exact-match form)."""
    return " ".join(surname_parts(text))


@lru_cache(maxsize=200_000)
def phonetic(text: str) -> str:
    """Metaphone key of a normalised name (spaces removed); empty for an empty name."""
    flat = text.replace(" ", "")
    return jellyfish.metaphone(flat) if flat else ""


def parse_date(text: str) -> date | None:
    """Parse an ISO 8601 date (`YYYY-MM-DD`); empty gives None; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text[:10])
    if len(text) == 8 and text.isdigit():
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise ValueError(f"not an ISO 8601 date: {text!r}")


def date_key(value: date | None) -> int:
    """A date as the integer YYYYMMDD, or -1 when missing."""
    if value is None:
        return -1
    return value.year * 10_000 + value.month * 100 + value.day


def swapped_date_key(key: int) -> int:
    """YYYYMMDD with day and month swapped, or -1 when that is no valid, different date."""
    if key < 0:
        return -1
    year, month, day = key // 10_000, key // 100 % 100, key % 100
    if day > 12 or day == month:
        return -1
    return year * 10_000 + day * 100 + month


_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)([0-9])([A-Z]{2})$")
_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)$")


@lru_cache(maxsize=200_000)
def postcode_parts(text: str) -> tuple[str, str, str]:
    """(unit, sector, district) of a UK postcode: `"sw1a 1aa"` -> `("SW1A 1AA", "SW1A 1", "SW1A")`.

    A partial postcode gives what it can (`"SW1A"` -> `("", "", "SW1A")`); anything that is not
    a postcode gives empty strings, except a code of 3-8 letters and digits in another country's
    format (`"4223"`), which is compared whole.
    """
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    full = _POSTCODE.match(compact)
    if full:
        area, district, sector, unit = full.groups()
        outward = area + district
        return f"{outward} {sector}{unit}", f"{outward} {sector}", outward
    if _OUTWARD.match(compact):
        return "", "", compact
    if 3 <= len(compact) <= 8 and compact.isalnum() and not compact.isalpha():
        return compact, compact, compact  # a postcode from elsewhere is compared whole
    return "", "", ""


@lru_cache(maxsize=200_000)
def normalise_address(text: str) -> str:
    """Address folded to lower case words, with common street words abbreviated."""
    words = fold(text).split(" ")
    return " ".join(_STREET_WORDS.get(w, w) for w in words if w)


_STREET_WORDS = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "lane": "ln",
    "close": "cl",
    "drive": "dr",
    "crescent": "cres",
    "court": "ct",
    "place": "pl",
    "gardens": "gdns",
    "terrace": "ter",
    "square": "sq",
    "flat": "flat",
}
