"""`cme check --deploy` warns while the public contact details are still the fictional defaults:
a privacy notice that sends a family's request to example.org is worse than none."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register

from cme.core.contact import council_contact

FICTIONAL_DOMAIN = ".example.org"
FICTIONAL_PHONE_PREFIX = "01632 960"  # Ofcom's numbers reserved for drama


@register(Tags.security, deploy=True)
def contact_details_are_real(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # As a CME manager saved them on the "public contact details" page, else the settings.
    details = council_contact()
    fictional = [
        name
        for name, value in (
            ("CME_CONTACT_EMAIL", details.email),
            ("CME_DPO_EMAIL", details.dpo_email),
        )
        if str(value).endswith(FICTIONAL_DOMAIN)
    ]
    if str(details.phone).startswith(FICTIONAL_PHONE_PREFIX):
        fictional.append("CME_CONTACT_PHONE")
    if any("example" in line.lower() for line in details.address):
        fictional.append("CME_CONTACT_ADDRESS")
    return [
        Warning(
            f"{name} is still the fictional demo value.",
            hint="Set it to the council's real contact details (in the setting, or on the "
            "reference data page 'The CME team's public contact details'): the privacy "
            "notice, contact page and sign-in page show it to the public.",
            id="cme.notices.W001",
        )
        for name in fictional
    ]
