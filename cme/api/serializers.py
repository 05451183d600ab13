"""The shapes the API reads and writes. Shape and format only: the services decide the rest."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cme.accounts.permissions import Part
from cme.cases.models import Case, CaseStatus, Outcome
from cme.cases.record_view import case_access
from cme.core.forms import UKPostcodeField
from cme.people.models import Sex
from cme.referrals.description import describe_child
from cme.referrals.models import Reason, Referral, ReferralStatus, Route
from cme.referrals.selectors import described_for


def _choice_message(label: str, choices: list[str]) -> str:
    return f"Choose {label}: one of {', '.join(choices)}"


class ChildInput(serializers.Serializer):
    """The child as the referrer knows them. Give at least a first or last name."""

    forename = serializers.CharField(max_length=100, required=False, allow_blank=True)
    middle_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD, e.g. 2014-03-27"},
    )
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        default=Sex.UNKNOWN,
        error_messages={"invalid_choice": _choice_message("sex", Sex.values)},
    )
    upn = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="13 characters, if known."
    )
    address_line_1 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="A UK postcode, e.g. L1 1JQ."
    )

    def validate_upn(self, value: str) -> str:
        return "".join(value.split()).upper()

    def validate_postcode(self, value: str) -> str:
        try:
            return str(UKPostcodeField(required=False).clean(value))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def described_child(data: dict[str, Any]) -> dict[str, Any]:
    """Every field of a validated ChildInput, as the referral keeps it."""
    return describe_child(data)


class ReferrerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class ReferralInput(serializers.Serializer):
    route = serializers.ChoiceField(
        choices=Route.choices,
        required=False,
        help_text=(
            "How the referral reached you. Leave it out if you refer as a school, a partner "
            "agency or another local authority: your account decides it."
        ),
        error_messages={"invalid_choice": _choice_message("a route", Route.values)},
    )
    reason = serializers.ChoiceField(
        choices=Reason.choices,
        error_messages={
            "required": _choice_message("a reason", Reason.values),
            "invalid_choice": _choice_message("a reason", Reason.values),
        },
    )
    received_on = serializers.DateField(
        error_messages={
            "required": "Enter the date the referral was received, as YYYY-MM-DD",
            "invalid": "Enter the date the referral was received as YYYY-MM-DD",
        }
    )
    child = ChildInput(
        error_messages={"required": "Give the child's details, with at least a name"}
    )
    details = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    referrer = ReferrerSerializer(required=False)
    school_urn = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=100000,
        max_value=999999,
        help_text="URN of the school the child last attended. A school's own URN is implied.",
        error_messages={
            "invalid": "Give the school's URN as 6 digits",
            "min_value": "Give the school's URN as 6 digits",
            "max_value": "Give the school's URN as 6 digits",
        },
    )

    def described(self) -> dict[str, Any]:
        return described_child(self.validated_data["child"])


class ReferralCreated(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="Quote it when you contact the CME team.")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    warnings = serializers.SerializerMethodField(
        help_text="Accepted, but worth knowing: e.g. the child may not be of compulsory school age."
    )

    def get_warnings(self, referral: Any) -> list[str]:
        return [referral.age_concern] if referral.age_concern else []


class DescribedChild(serializers.Serializer):
    forename = serializers.CharField()
    middle_names = serializers.CharField()
    surname = serializers.CharField()
    date_of_birth = serializers.CharField(help_text="YYYY-MM-DD, or empty if not given.")
    sex = serializers.ChoiceField(choices=Sex.choices)
    upn = serializers.CharField()
    address_line_1 = serializers.CharField()
    town = serializers.CharField()
    postcode = serializers.CharField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        described = instance or {}
        return {name: described.get(name, "") for name in self.fields}


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    route = serializers.ChoiceField(choices=Route.choices)
    reason = serializers.ChoiceField(choices=Reason.choices)
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    received_on = serializers.DateField()
    child = DescribedChild(
        source="described", help_text="The child as the referrer described them."
    )
    details = serializers.CharField()
    referrer = serializers.SerializerMethodField()
    school_urn = serializers.IntegerField(source="school.urn", allow_null=True, default=None)
    case_id = serializers.IntegerField(
        allow_null=True, help_text="The case opened or added to, once the CME team decides."
    )
    created_at = serializers.DateTimeField()

    def to_representation(self, referral: Referral) -> dict[str, Any]:
        shown = super().to_representation(referral)
        described = described_for(user=self.context["request"].user, referral=referral)
        shown["child"] = DescribedChild(described).data
        return shown

    def get_referrer(self, referral: Referral) -> dict[str, str]:
        return {
            "name": referral.referrer_name,
            "role": referral.referrer_role,
            "email": referral.referrer_email,
            "phone": referral.referrer_phone,
        }


class CaseSerializer(serializers.Serializer):
    """A case, with only the parts of the record the caller may read (docs/access.md): every
    reader gets id, status, outcome and dates; the school with the child's identity, the key
    worker with the workers part. A field the caller may not read is left out, not nulled."""

    id = serializers.IntegerField()
    parts = serializers.ListField(
        child=serializers.ChoiceField(choices=[p.value for p in Part]),
        help_text="The parts of the child's record you may read (docs/access.md).",
    )
    full_record = serializers.BooleanField(
        help_text="True if you may read more than the case's status and outcome."
    )
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    outcome = serializers.ChoiceField(
        choices=[("", "Not closed"), *Outcome.choices], help_text="Empty until closed."
    )
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    school_urn = serializers.IntegerField(required=False, allow_null=True)
    key_worker = serializers.CharField(
        required=False, allow_null=True, help_text="The key worker's name, if one is named."
    )
    updated_at = serializers.DateTimeField()

    def to_representation(self, case: Case) -> dict[str, Any]:
        given = self.context.get("accesses") or {}
        access = given.get(case.pk) or case_access(self.context["request"].user, case)
        shown: dict[str, Any] = {
            "id": case.pk,
            "parts": sorted(p.value for p in access.read),
            "full_record": bool(access.read - {Part.STATUS}),
            "status": case.status,
            "outcome": case.outcome,
            "opened_on": case.opened_on.isoformat(),
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            "updated_at": serializers.DateTimeField().to_representation(case.updated_at),
        }
        if access.reads(Part.IDENTITY):
            shown["school_urn"] = case.school.urn if case.school else None
        if access.reads(Part.WORKERS):
            shown["key_worker"] = case.key_worker.get_full_name() if case.key_worker else None
        return shown


def page_serializer(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """The documented shape of one page of `item`s."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


CasePage = page_serializer(CaseSerializer, "CasePage")
ReferralPage = page_serializer(ReferralSerializer, "ReferralPage")
