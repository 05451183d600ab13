"""The shapes of the school returns (SI 2024/208 reg 13) the API reads and writes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cme.roll.models import AttendanceReason, DirectionStatus, SicknessBasis
from cme.roll.services.assessment import SCHOOL_FLAGS
from cme.rules import return_ground_references
from cme.transfers.models import DestinationKind

from .serializers import ChildInput, DescribedChild

DATE_ERRORS = {"invalid": "Enter the date as YYYY-MM-DD, e.g. 2025-03-27"}


def _date(**kwargs: Any) -> serializers.DateField:
    messages = {**DATE_ERRORS, **kwargs.pop("error_messages", {})}
    return serializers.DateField(error_messages=messages, **kwargs)


def _text(max_length: int = 200, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class ParentInput(serializers.Serializer):
    """A parent, reg 13(4)(c)-(d). Leave out what the school could not obtain: it is marked
    missing, not refused."""

    name = _text()
    address_line_1 = _text()
    postcode = _text(10)
    telephone = _text(40)
    lives_with = serializers.BooleanField(
        default=False, help_text="The pupil normally lives with this parent."
    )


class ParentShown(ParentInput):
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="The items the school could not give."
    )


class FutureAddress(serializers.Serializer):
    """Reg 8(3): where a parent says the pupil will live, with whom, from when."""

    address_line_1 = _text()
    town = _text(100)
    postcode = _text(10)
    parents = _text(300, help_text="Full name of each parent the pupil will live with.")
    from_date = _date(required=False, allow_null=True)


class FutureSchool(serializers.Serializer):
    """Reg 8(4): the other school, and when the pupil starts there."""

    name = _text()
    urn = serializers.IntegerField(
        required=False, allow_null=True, min_value=100000, max_value=999999
    )
    laestab = _text(7)
    starts_on = _date(required=False, allow_null=True)
    kind = serializers.ChoiceField(
        choices=DestinationKind.choices,
        required=False,
        help_text="Where the school is, if not a school in England named by URN or LAESTAB.",
    )


def _facts_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {
        "__doc__": (
            "What the school can say about the ground. Left out means not shown. The council's "
            "part in enquiries and the CME1 sign-off are the register's to say, not the school's."
        ),
        "first_day_absent": _date(required=False, allow_null=True),
        "absence_codes": serializers.ListField(
            child=serializers.CharField(max_length=1),
            required=False,
            help_text="Each session's attendance code over the absence.",
        ),
        "leave_ended_on": _date(required=False, allow_null=True),
        "traveller_left_on": _date(required=False, allow_null=True),
        "traveller_return_date": _date(required=False, allow_null=True),
        "detention_order_months": serializers.IntegerField(
            required=False, min_value=0, max_value=120
        ),
    }
    fields |= {flag: serializers.BooleanField(required=False) for flag in SCHOOL_FLAGS}
    return fields


DeletionFactsInput = type("DeletionFactsInput", (serializers.Serializer,), _facts_fields())


class DeletionReturnInput(serializers.Serializer):
    pupil = ChildInput(error_messages={"required": "Give the pupil's details"})
    parents = ParentInput(many=True, required=False)
    future_address = FutureAddress(required=False)
    future_school = FutureSchool(required=False)
    ground = serializers.CharField(
        max_length=20,
        help_text=f"The 2024 reference: one of {', '.join(return_ground_references())}.",
        error_messages={
            "required": f"Give the ground: one of {', '.join(return_ground_references())}",
            "blank": f"Give the ground: one of {', '.join(return_ground_references())}",
        },
    )
    deleted_on = _date(error_messages={"required": "Give the date of deletion as YYYY-MM-DD"})
    admitted_on = _date(required=False, allow_null=True)
    facts = DeletionFactsInput(required=False)
    safeguarding_context = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReasonShown(serializers.Serializer):
    text = serializers.CharField()
    cites = serializers.CharField(help_text="The regulation or the policy the reason rests on.")


class Assessment(serializers.Serializer):
    lawful = serializers.BooleanField()
    ground = serializers.CharField(help_text='The 2024 reference, e.g. "9(1)(i)".')
    ground_title = serializers.CharField()
    regulation = serializers.CharField()
    reasons = ReasonShown(many=True)
    case_id = serializers.IntegerField(allow_null=True, help_text="The open case it joined.")
    referral_id = serializers.IntegerField(allow_null=True)
    referral_reference = serializers.CharField(allow_null=True, help_text="The referral it opened.")


class TransferShown(serializers.Serializer):
    destination = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class ReturnBase(serializers.Serializer):
    id = serializers.IntegerField()
    school_urn = serializers.IntegerField(source="school.urn")
    channel = serializers.CharField()
    received_at = serializers.DateTimeField()
    flags = serializers.ListField(
        child=serializers.CharField(), help_text="Accepted, but worth a look."
    )
    action = serializers.CharField(help_text="What the council will do about it.")
    action_status = serializers.CharField()


def _pupil(record: Any) -> dict[str, Any]:
    return {
        "forename": record.forename,
        "middle_names": record.middle_names,
        "surname": record.surname,
        "date_of_birth": record.date_of_birth.isoformat() if record.date_of_birth else "",
        "sex": record.sex,
        "upn": record.upn,
        "address_line_1": record.address_line_1,
        "town": record.town,
        "postcode": record.postcode,
    }


class PupilShown(DescribedChild):
    """The pupil as the school sent them: the referral API's child fields."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(_pupil(instance))


class DirectionShown(serializers.Serializer):
    """The reinstatement direction an unlawful deletion was answered with."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(
        choices=DirectionStatus.choices,
        help_text="awaiting: put the pupil back on roll and confirm it (POST .../reinstated/).",
    )
    issued_at = serializers.DateTimeField()
    reinstated_on = serializers.DateField(allow_null=True)
    letter = serializers.CharField(help_text="The letter, as a PDF, on the register's pages.")


class ReinstatedInput(serializers.Serializer):
    reinstated_on = _date(
        error_messages={
            "required": "Give the date the pupil was put back on your roll as YYYY-MM-DD",
            "null": "Give the date the pupil was put back on your roll as YYYY-MM-DD",
        }
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DeletionReturnShown(ReturnBase):
    pupil = PupilShown(source="*")
    parents = ParentShown(many=True)
    future_address = serializers.DictField()
    future_school = serializers.DictField()
    ground = serializers.CharField()
    deleted_on = serializers.DateField()
    admitted_on = serializers.DateField(allow_null=True)
    assessment = serializers.SerializerMethodField()
    transfer = serializers.SerializerMethodField()
    direction = serializers.SerializerMethodField()

    @extend_schema_field(DirectionShown(allow_null=True))
    def get_direction(self, record: Any) -> dict[str, Any] | None:
        direction = getattr(record, "direction", None)
        if direction is None:
            return None
        return {
            "id": direction.pk,
            "reference": direction.reference,
            "status": direction.status,
            "issued_at": serializers.DateTimeField().to_representation(direction.issued_at),
            "reinstated_on": direction.reinstated_on.isoformat()
            if direction.reinstated_on
            else None,
            "letter": reverse("reinstatements:letter", args=[direction.pk]),
        }

    @extend_schema_field(Assessment)
    def get_assessment(self, record: Any) -> dict[str, Any]:
        from cme.rules import ground_for_reference

        ground = ground_for_reference(record.ground)
        return Assessment(
            {
                "lawful": record.lawful,
                "ground": record.ground,
                "ground_title": ground.title,
                "regulation": ground.citation,
                "reasons": record.reasons,
                "case_id": record.case_id,
                "referral_id": record.referral_id,
                "referral_reference": record.referral.reference if record.referral else None,
            }
        ).data

    @extend_schema_field(TransferShown(allow_null=True))
    def get_transfer(self, record: Any) -> dict[str, Any] | None:
        transfer = record.transfer
        if transfer is None:
            return None
        return {
            "destination": transfer.destination,
            "due_on": transfer.due_on.isoformat(),
            "status": transfer.status,
        }


class NewPupilReturnInput(serializers.Serializer):
    pupil = ChildInput(error_messages={"required": "Give the pupil's details"})
    admitted_on = _date(error_messages={"required": "Give the pupil's starting day as YYYY-MM-DD"})
    name_used = _text(help_text="The name the pupil uses at school, if different.")
    parents = ParentInput(many=True, required=False)
    last_school = _text(300, help_text="Name and address of the last school attended, if any.")
    boarder = serializers.BooleanField(default=False)


class NewPupilReturnShown(ReturnBase):
    pupil = PupilShown(source="*")
    admitted_on = serializers.DateField()
    name_used = serializers.CharField()
    parents = ParentShown(many=True)
    last_school = serializers.CharField()
    boarder = serializers.BooleanField()


class AttendancePupilInput(serializers.Serializer):
    pupil = ChildInput(error_messages={"required": "Give the pupil's details"})
    reason = serializers.ChoiceField(
        choices=AttendanceReason.choices,
        error_messages={
            "invalid_choice": f"Choose a reason: one of {', '.join(AttendanceReason.values)}"
        },
    )
    first_day_absent = _date(required=False, allow_null=True)
    school_days_absent = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=400
    )
    codes = _text(40, help_text="The session codes of the absence, e.g. 'GGNNO'.")


class AttendanceReturnInput(serializers.Serializer):
    period_from = _date(error_messages={"required": "Give the first day the return covers"})
    period_to = _date(error_messages={"required": "Give the last day the return covers"})
    pupils = AttendancePupilInput(many=True, help_text="Empty if no pupil qualifies: a nil return.")


class AttendancePupilShown(ReturnBase):
    pupil = PupilShown(source="*")
    reason = serializers.CharField()
    first_day_absent = serializers.DateField(allow_null=True)
    school_days_absent = serializers.IntegerField(allow_null=True)
    codes = serializers.CharField()


class AttendanceReturnShown(serializers.Serializer):
    id = serializers.IntegerField()
    school_urn = serializers.IntegerField(source="school.urn")
    channel = serializers.CharField()
    received_at = serializers.DateTimeField()
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    pupils = AttendancePupilShown(many=True, source="pupils.all")


class SicknessReturnInput(serializers.Serializer):
    pupil = ChildInput(error_messages={"required": "Give the pupil's details"})
    absent_from = _date(error_messages={"required": "Give the first day of absence as YYYY-MM-DD"})
    basis = serializers.ChoiceField(
        choices=SicknessBasis.choices,
        error_messages={
            "invalid_choice": f"Choose the basis: one of {', '.join(SicknessBasis.values)}"
        },
    )
    expected_back_on = _date(required=False, allow_null=True)


class SicknessReturnShown(ReturnBase):
    pupil = PupilShown(source="*")
    absent_from = serializers.DateField()
    basis = serializers.CharField()
    expected_back_on = serializers.DateField(allow_null=True)
