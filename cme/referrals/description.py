"""The child as a referrer described them: the one shape `Referral.described` is kept in.

Every way in (the CME2 form, the public form, the API) builds it here, so the triage page,
search before create and `people.services.ChildDetails.from_description` read one set of keys.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cme.people.models import Sex


def describe_child(data: dict[str, Any], **extra: str) -> dict[str, Any]:
    """From cleaned form or serializer data (date of birth a `date` or absent); `extra` holds
    what only one route asks (the public form's school name and guessed age)."""
    dob: date | None = data.get("date_of_birth")
    return {
        "forename": data.get("forename", ""),
        "middle_names": data.get("middle_names", ""),
        "surname": data.get("surname", ""),
        "date_of_birth": dob.isoformat() if dob else "",
        "sex": data.get("sex") or Sex.UNKNOWN,
        "upn": "".join((data.get("upn") or "").split()).upper(),
        "address_line_1": data.get("address_line_1", ""),
        "address_line_2": data.get("address_line_2", ""),
        "town": data.get("town", ""),
        "postcode": data.get("postcode", ""),
        **extra,
    }
