"""A child's transfer duties: each pupil's move off a roll and whether its CTF went."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Transfer


def _export(child: Any) -> dict[str, Any]:
    return {
        "transfers": [
            model_to_dict(
                transfer,
                fields=["destination", "left_on", "due_on", "requested_on", "sent_on", "status"],
            )
            for transfer in Transfer.objects.filter(child=child)
        ]
    }


def _remove(child: Any) -> None:
    Transfer.objects.filter(child=child).delete()


CHILD_RECORDS = ChildRecords(models=(Transfer,), remove=_remove, export=_export)
