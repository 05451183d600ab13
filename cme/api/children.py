"""The rows of a child's record through the API (docs/api.md section 4b): addresses, parents
and carers, risk factors, each added with POST to the child's list and changed (or ended) with
PATCH on its own path. The child's own fields (identity, needs, safeguarding) are PATCHed on
`/children/{id}/` (cme.api.views.ChildDetail).

Every write sends the `version` it read; one made on an older version is refused (409) with
the record as it now is. The answer is the child's record as it now is, so the caller has the
new version (and a new row's id) without reading again. Shapes here, decisions in
cme.people.services and cme.accounts.record_access, as for the pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cme.accounts.permissions import Action, Part
from cme.core.errors import StaleEdit
from cme.people import services
from cme.people.models import Address, Carer, ChildRiskFactor
from cme.people.selectors import child_for_edit

from . import serializers as s
from .errors import ErrorSerializer
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .views import ERRORS, KEY_REUSED, allowed_to

PART_WORDS = {
    Part.CONTACT: "addresses",
    Part.CARERS: "parents and carers",
    Part.NEEDS: "risk factors",
}
DATE = {"invalid": "Enter the date as YYYY-MM-DD, e.g. 2026-03-27"}


class Versioned(serializers.Serializer):
    """Refuses a field it does not know by name, so a typo is not silently ignored."""

    version = serializers.IntegerField(
        help_text="The version you read: a write on an older one is refused (409).",
        error_messages={
            "required": "Send the version you read (from GET), so a change made since is not lost"
        },
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field is not part of this record"] for name in sorted(unknown)}
            )
        return data


class AddressIn(Versioned):
    line_1 = serializers.CharField(max_length=200, allow_blank=True)
    line_2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="A UK postcode, e.g. L1 1JQ."
    )
    lived_from = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages=DATE,
        help_text="A date to come records an address the child will move to (reg 8(3)).",
    )
    lived_until = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages=DATE,
        help_text="The last date the child lived there; send it to end the address.",
    )
    lives_with = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Who the child lives (or will live) with there.",
    )
    do_not_share = serializers.BooleanField(
        required=False,
        help_text="A refuge or similar: only the CME team will see where it is.",
    )


class AddressPatch(AddressIn):
    line_1 = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CarerIn(Versioned):
    name = serializers.CharField(max_length=200, allow_blank=True)
    relationship = serializers.CharField(max_length=60, required=False, allow_blank=True)
    parental_responsibility = serializers.BooleanField(required=False)
    lives_with_child = serializers.BooleanField(required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    emergency_phone = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="A number they can be reached on in an emergency (2024 reg 13(4)(d)).",
    )
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CarerPatch(CarerIn):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ended_on = serializers.DateField(
        required=False,
        error_messages=DATE,
        help_text="They no longer care for the child, from this date (today or before).",
    )


class RiskFactorIn(Versioned):
    code = serializers.CharField(
        max_length=60, help_text="One of the policy's risk factors (docs/child-record.md)."
    )
    raised_on = serializers.DateField(error_messages=DATE)


class RiskFactorPatch(Versioned):
    ended_on = serializers.DateField(
        required=False,
        error_messages=DATE,
        help_text="The date it ended (today or before): ends the risk factor.",
    )
    raised_on = serializers.DateField(
        required=False,
        error_messages=DATE,
        help_text="The corrected date it was raised; the old date is kept in the history.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Why the date raised is corrected (kept with the change).",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "ended_on" not in data and "raised_on" not in data:
            raise serializers.ValidationError(
                "Give ended_on to end the risk factor, or raised_on to correct the date raised"
            )
        return data


def _write(
    request: Request,
    child_id: int,
    part: Part,
    given_class: type[serializers.Serializer],
    act: Callable[[Any, Any, dict[str, Any]], Any],
    *,
    created: bool = False,
) -> Response:
    """The shape of every write: 404 if the child is not the caller's to see, 403 if the part
    is not theirs to write, 400 with each problem named, 409 with the record as it is now if
    it changed since `version`; else the record as it now is."""
    child, record = child_for_edit(user=request.user, child_id=child_id)
    if not record.access.writes(part):
        raise exceptions.PermissionDenied(
            f"Your account may not change the child's {PART_WORDS[part]}."
        )
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError("Send the record as a JSON object.")
    given = given_class(data=request.data)
    given.is_valid(raise_exception=True)
    data = dict(given.validated_data)
    version = data.pop("version")
    try:
        with transaction.atomic():  # several writes for one request: all or none
            act(child, record, {**data, "version": version})
    except StaleEdit as error:
        _, now = child_for_edit(user=request.user, child_id=child_id)
        return Response(
            {"detail": " ".join(error.messages), "current": s.ChildSerializer(now).data},
            status=status.HTTP_409_CONFLICT,
        )
    except ObjectDoesNotExist:
        raise exceptions.NotFound from None
    _, now = child_for_edit(user=request.user, child_id=child_id)
    return Response(s.ChildSerializer(now).data, status=status.HTTP_201_CREATED if created else 200)


def _withheld_to(record: Any, address_id: int) -> bool:
    """An address the caller sees as "Withheld" (or not at all): not theirs to change."""
    return not any(a.address_id == address_id and not a.withheld for a in record.addresses or [])


CONFLICT = {400: ErrorSerializer, 409: s.ChildConflict, **ERRORS}


class ChildAddresses(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_addresses_create",
        summary="Add an address (a current or future one ends the one before, the day before)",
        request=AddressIn,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ChildSerializer, **CONFLICT, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request, child_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            version = data.pop("version")
            return services.address_add(
                child=child,
                details=services.AddressDetails(**data),
                by=request.user,
                expected_version=version,
            )

        return _write(request, child_id, Part.CONTACT, AddressIn, act, created=True)


class ChildAddress(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_addresses_partial_update",
        summary="Correct an address, or end it (send lived_until)",
        request=AddressPatch,
        responses={200: s.ChildSerializer, **CONFLICT},
    )
    def patch(self, request: Request, child_id: int, address_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            version = data.pop("version")
            address = Address.objects.filter(child=child, pk=address_id).first()
            if address is None or _withheld_to(record, address_id):
                raise Address.DoesNotExist
            return services.address_correct(
                child=child,
                address_id=address_id,
                details=services.AddressDetails.of(address, **data),
                by=request.user,
                expected_version=version,
            )

        return _write(request, child_id, Part.CONTACT, AddressPatch, act)


class ChildCarers(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_carers_create",
        summary="Add a parent or carer",
        request=CarerIn,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ChildSerializer, **CONFLICT, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request, child_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            version = data.pop("version")
            return services.carer_add(
                child=child,
                details=services.CarerDetails(**data),
                by=request.user,
                expected_version=version,
            )

        return _write(request, child_id, Part.CARERS, CarerIn, act, created=True)


class ChildCarer(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_carers_partial_update",
        summary="Change a parent's or carer's details, or end them (send ended_on)",
        request=CarerPatch,
        responses={200: s.ChildSerializer, **CONFLICT},
    )
    def patch(self, request: Request, child_id: int, carer_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            version = data.pop("version")
            ended_on = data.pop("ended_on", None)
            carer = Carer.objects.filter(child=child, pk=carer_id).first()
            if carer is None:
                raise Carer.DoesNotExist
            # Not sent: kept as it is (and a withheld address is never overwritten unseen).
            data.setdefault("address", None)
            changed = services.carer_correct(
                child=child,
                carer_id=carer_id,
                details=services.CarerDetails.of(carer, **data),
                by=request.user,
                expected_version=version,
            )
            if ended_on is None:
                return changed
            # The version was checked by the first write, in this same request's transaction.
            return services.carer_end(
                child=child,
                carer_id=carer_id,
                ended_on=ended_on,
                by=request.user,
                expected_version=None if changed is not None else version,
            )

        return _write(request, child_id, Part.CARERS, CarerPatch, act)


class ChildRiskFactors(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_risk_factors_create",
        summary="Raise one of the policy's risk factors, from a date",
        request=RiskFactorIn,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.ChildSerializer, **CONFLICT, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request, child_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            return services.risk_factor_raise(
                child=child,
                code=data["code"],
                raised_on=data["raised_on"],
                by=request.user,
                expected_version=data["version"],
            )

        return _write(request, child_id, Part.NEEDS, RiskFactorIn, act, created=True)


class ChildRiskFactorDetail(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_risk_factors_partial_update",
        summary="Correct the date a risk factor was raised, or end it (it is kept, with its dates)",
        request=RiskFactorPatch,
        responses={200: s.ChildSerializer, **CONFLICT},
    )
    def patch(self, request: Request, child_id: int, risk_factor_id: int) -> Response:
        def act(child: Any, record: Any, data: dict[str, Any]) -> Any:
            if not ChildRiskFactor.objects.filter(child=child, pk=risk_factor_id).exists():
                raise ChildRiskFactor.DoesNotExist
            version = data["version"]
            changed = None
            if "raised_on" in data:  # corrected first, so the end is checked against it
                changed = services.risk_factor_correct(
                    child=child,
                    link_id=risk_factor_id,
                    raised_on=data["raised_on"],
                    reason=data.get("reason", ""),
                    by=request.user,
                    expected_version=version,
                )
            if "ended_on" in data:
                changed = services.risk_factor_end(
                    child=child,
                    link_id=risk_factor_id,
                    ended_on=data["ended_on"],
                    by=request.user,
                    # The correction just made moved the version on: the caller's was checked.
                    expected_version=None if changed is not None else version,
                )
            return changed

        return _write(request, child_id, Part.NEEDS, RiskFactorPatch, act)
