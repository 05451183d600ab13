"""Start-up checks for the retention schedule: a period that is not a number of years stops the
app (and `cme apply-retention`) with the setting's name, rather than removing records by a
period nobody meant."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from cme.rules.errors import RulesError
from cme.rules.retention import CATEGORIES, retention_years

TAG = "cme_settings"


@register(TAG)
def retention_settings_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for category in CATEGORIES:
        value = getattr(settings, category.setting, category.default_years)
        try:
            retention_years(value, setting=category.setting)
        except RulesError as error:
            errors.append(
                Error(
                    str(error),
                    hint=f"Set {category.setting} to the years the council's retention "
                    f"schedule keeps the record of {category.who}, for example "
                    f"{category.default_years}.",
                    obj=category.setting,
                    id="cme.records.E001",
                )
            )
    return errors
