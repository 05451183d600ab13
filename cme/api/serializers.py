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


class FormerNameSerializer(serializers.Serializer):
    name = serializers.CharField(source="value")
    used_until = serializers.DateField(allow_null=True)
    reason = serializers.CharField()
    changed_by = serializers.CharField(source="by")
    changed_at = serializers.DateTimeField(source="at", allow_null=True)


class IdentitySerializer(serializers.Serializer):
    forename = serializers.CharField()
    middle_names = serializers.CharField()
    surname = serializers.CharField()
    preferred_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    upn = serializers.CharField()
    former_upns = serializers.ListField(child=serializers.CharField())
    former_names = FormerNameSerializer(many=True, source="name_history")
    former_dates_of_birth = FormerNameSerializer(many=True, source="date_of_birth_history")


class AddressOut(serializers.Serializer):
    id = serializers.IntegerField(source="address_id")
    withheld = serializers.BooleanField(help_text="A 'do not share' address: no details given.")
    period = serializers.CharField(help_text="future, current or previous; empty if withheld")
    line_1 = serializers.CharField()
    line_2 = serializers.CharField()
    town = serializers.CharField()
    postcode = serializers.CharField()
    lived_from = serializers.DateField(allow_null=True)
    lived_until = serializers.DateField(allow_null=True)
    lives_with = serializers.CharField()


class CarerOut(serializers.Serializer):
    id = serializers.IntegerField(source="carer_id")
    name = serializers.CharField()
    relationship = serializers.CharField()
    parental_responsibility = serializers.BooleanField()
    lives_with_child = serializers.BooleanField()
    phone = serializers.CharField()
    emergency_phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    ended_on = serializers.DateField(allow_null=True)


class RiskOut(serializers.Serializer):
    id = serializers.IntegerField(
        source="link_id", help_text="PATCH /children/{id}/risk-factors/{this id}/ to end it."
    )
    code = serializers.CharField()
    label = serializers.CharField()
    raised_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)


class NeedsOut(serializers.Serializer):
    sen_support = serializers.BooleanField()
    ehcp = serializers.BooleanField()
    ehcp_council = serializers.CharField()
    looked_after = serializers.BooleanField()
    looked_after_by = serializers.CharField()
    young_carer = serializers.BooleanField()
    yot = serializers.BooleanField()
    risk_factors = RiskOut(many=True, source="risk_history")


class SafeguardingOut(serializers.Serializer):
    child_protection_plan = serializers.BooleanField()
    child_in_need = serializers.BooleanField()


class ChildSerializer(serializers.Serializer):
    """A child's record with only the parts the caller may read (docs/access.md): a part
    withheld is left out, not nulled. `version` goes back with a PATCH."""

    id = serializers.IntegerField(source="identity.child_id")
    version = serializers.IntegerField(
        source="identity.version", help_text="Send it back with a PATCH (docs/api.md)."
    )
    parts = serializers.ListField(child=serializers.CharField())
    writable_parts = serializers.ListField(child=serializers.CharField())
    identity = IdentitySerializer()
    addresses = AddressOut(many=True, required=False)
    carers = CarerOut(many=True, required=False)
    needs = NeedsOut(required=False)
    safeguarding = SafeguardingOut(required=False)

    def to_representation(self, record: Any) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "id": record.identity.child_id,
            "version": record.identity.version,
            "parts": sorted(p.value for p in record.access.read),
            "writable_parts": sorted(p.value for p in record.access.write),
            "identity": IdentitySerializer(record.identity).data,
        }
        if record.addresses is not None:
            shown["addresses"] = AddressOut(record.addresses, many=True).data
        if record.carers is not None:
            shown["carers"] = CarerOut(record.carers, many=True).data
        if record.needs is not None:
            shown["needs"] = NeedsOut(record.needs).data
        if record.safeguarding is not None:
            shown["safeguarding"] = SafeguardingOut(record.safeguarding).data
        return shown


class IdentityPatch(serializers.Serializer):
    """The identity fields to change; those left out stay as they are."""

    forename = serializers.CharField(max_length=100, required=False, allow_blank=True)
    middle_names = serializers.CharField(max_length=200, required=False, allow_blank=True)
    surname = serializers.CharField(max_length=100, required=False, allow_blank=True)
    preferred_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Enter the date of birth as YYYY-MM-DD, e.g. 2014-03-27"},
    )
    sex = serializers.ChoiceField(
        choices=Sex.choices,
        required=False,
        error_messages={"invalid_choice": _choice_message("sex", Sex.values)},
    )
    upn = serializers.CharField(max_length=20, required=False, allow_blank=True)


class NeedsPatch(serializers.Serializer):
    """The needs to change; those left out stay as they are."""

    sen_support = serializers.BooleanField(required=False)
    ehcp = serializers.BooleanField(required=False)
    ehcp_council = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Needed with an EHC plan: the council that maintains it.",
    )
    looked_after = serializers.BooleanField(required=False)
    looked_after_by = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Needed when looked after: the council looking after the child.",
    )
    young_carer = serializers.BooleanField(required=False)
    yot = serializers.BooleanField(required=False)


class SafeguardingPatch(serializers.Serializer):
    child_protection_plan = serializers.BooleanField(required=False)
    child_in_need = serializers.BooleanField(required=False)


PATCH_SECTIONS: dict[str, type[serializers.Serializer]] = {
    "identity": IdentityPatch,
    "needs": NeedsPatch,
    "safeguarding": SafeguardingPatch,
}


class ChildPatch(serializers.Serializer):
    version = serializers.IntegerField(
        help_text="The version you read: a PATCH on an older one is refused (409).",
        error_messages={
            "required": "Send the version you read (from GET), so a change made since is not lost"
        },
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Why: needed when a name or the date of birth changes.",
    )
    identity = IdentityPatch(required=False)
    needs = NeedsPatch(required=False)
    safeguarding = SafeguardingPatch(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            where = {
                "addresses": "POST /children/{id}/addresses/",
                "carers": "POST /children/{id}/carers/",
                "risk_factors": "POST /children/{id}/risk-factors/",
            }
            raise serializers.ValidationError(
                {
                    name: [
                        f"This is changed through {where[name]} and its rows"
                        if name in where
                        else "This field cannot be changed through the API"
                    ]
                    for name in sorted(unknown)
                }
            )
        for section, shape in PATCH_SECTIONS.items():
            raw = self.initial_data.get(section)
            if isinstance(raw, dict):
                odd = set(raw) - set(shape().fields)
                if odd:
                    raise serializers.ValidationError(
                        {
                            f"{section}.{name}": [f"This is not one of the {section} fields"]
                            for name in sorted(odd)
                        }
                    )
        if not any(data.get(section) for section in PATCH_SECTIONS):
            raise serializers.ValidationError(
                {"": ["Send the fields to change under identity, needs or safeguarding"]}
            )
        return data


class ChildConflict(serializers.Serializer):
    detail = serializers.CharField()
    current = ChildSerializer(help_text="The record as it is now: check it, then send again.")
