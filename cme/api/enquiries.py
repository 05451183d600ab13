"""The enquiry endpoints (issue 12, a contract): another council's or a school's system answers
the enquiries sent to it, and the officer's system sends CME3a, CME4 and CME5a.

- `POST /cases/{id}/enquiries/`: `kind` (`cme3a`, `cme4`, `cme5a`), `recipient_laestab` for a
  school or `recipient_la_code` for a council, optional `due_on` (and `recipient_email`).
- `POST /enquiries/`: another council's system sends this council a CME4 (`kind` `cme4`, the
  child's search details); the CME officer checks the sources and answers it in the register.
- `GET /enquiries/`: what the token's organisation has been sent, and has sent (both ways:
  this council's enquiries and other councils' CME4s share one numbering).
- `GET /enquiries/{id}/`: one of those; 404 to anyone else.
- `POST /enquiries/{id}/response/`: the answer, once; a second answer is refused (409).
- `GET /enquiries/{id}/letter.pdf`: the letter kept with the enquiry.

Shapes here, decisions in cme.enquiries (services and selectors), as for the referrals.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cme.accounts.permissions import Action
from cme.audit.models import Verb
from cme.audit.services import audit_record_many
from cme.cases.selectors import case_get
from cme.enquiries.disclosure import search_details
from cme.enquiries.models import (
    OUTCOMES,
    AnsweredVia,
    Enquiry,
    IncomingEnquiry,
    IncomingState,
    Kind,
    Outcome,
    State,
)
from cme.enquiries.selectors import api_any_enquiry_get, api_enquiries_all, api_enquiry_get
from cme.enquiries.services import (
    Answer,
    IncomingChild,
    Recipient,
    enquiry_answer,
    enquiry_letter,
    enquiry_send,
    incoming_receive,
)
from cme.people.models import Sex
from cme.schools.models import Establishment

from .errors import ErrorSerializer
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .views import ERRORS, KEY_REUSED, PAGE, _page_response, allowed_to

API_KINDS = [Kind.CME3A.value, Kind.CME4.value, Kind.CME5A.value]
API_OUTCOMES = sorted({o.value for kind in API_KINDS for o in OUTCOMES[kind]})


class EnquiryInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=API_KINDS,
        error_messages={"invalid_choice": "Choose the kind: one of cme3a, cme4, cme5a"},
    )
    recipient_laestab = serializers.RegexField(
        r"^\d{7}$",
        required=False,
        help_text="For a CME3a: the school's LA code and establishment number, 7 digits.",
        error_messages={"invalid": "Give the school's LAESTAB: 7 digits, like 3412001"},
    )
    recipient_la_code = serializers.RegexField(
        r"^\d{3}$",
        required=False,
        help_text="For a CME4 or CME5a: the council's 3-digit LA code.",
        error_messages={"invalid": "Give the council's 3-digit LA code, like 343"},
    )
    recipient_email = serializers.EmailField(
        required=False,
        help_text="Where the secure link goes, if the recipient has no account here.",
    )
    due_on = serializers.DateField(
        required=False,
        help_text="Answer due by (YYYY-MM-DD); not before today. Left out: the usual time.",
        error_messages={"invalid": "Give the due date as YYYY-MM-DD"},
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["kind"] == Kind.CME3A:
            if "recipient_laestab" not in data:
                raise serializers.ValidationError(
                    {"recipient_laestab": "A CME3a goes to a school: give its LAESTAB"}
                )
            if "recipient_la_code" in data:
                raise serializers.ValidationError(
                    {"recipient_la_code": "A CME3a goes to a school, not a council"}
                )
        else:
            if "recipient_la_code" not in data:
                raise serializers.ValidationError(
                    {"recipient_la_code": "A CME4 or CME5a goes to a council: give its LA code"}
                )
            if "recipient_laestab" in data:
                raise serializers.ValidationError(
                    {"recipient_laestab": "A CME4 or CME5a goes to a council, not a school"}
                )
        return data


class ResponseInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=API_OUTCOMES,
        help_text="CME3b: on_roll, left, application_received, not_known. "
        "CME4: on_roll, known_to_cme, not_known. CME5b: action_agreed.",
        error_messages={"invalid_choice": "Choose the outcome: " + ", ".join(API_OUTCOMES)},
    )
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    on_roll_from = serializers.DateField(required=False, help_text="on_roll: since when.")
    on_roll_at = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="CME4 on_roll: which school."
    )
    left_on = serializers.DateField(required=False, help_text="left: the day the child left.")
    left_for = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="left: where to, if known."
    )
    moved_to_la_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=3,
        help_text="If the child moved to another council's area: its LA code.",
    )
    agreed_action = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="CME5b: the action agreed."
    )
    contact = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="CME5b: your contact."
    )


class ChildSearchSerializer(serializers.Serializer):
    """Only what the recipient needs to search; a detail not disclosed is absent."""

    name = serializers.CharField(required=False)
    former_names = serializers.ListField(child=serializers.CharField(), required=False)
    date_of_birth = serializers.DateField(required=False)
    sex = serializers.CharField(required=False)
    upn = serializers.CharField(required=False)
    last_school = serializers.CharField(required=False)
    last_address = serializers.CharField(required=False)
    officer = serializers.CharField(required=False)


class RecipientSerializer(serializers.Serializer):
    name = serializers.CharField()
    laestab = serializers.CharField(help_text="A school's LAESTAB; empty for a council.")
    la_code = serializers.CharField(help_text="A council's LA code; empty for a school.")


class ResponseOutput(ResponseInput):
    on_roll_from = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)
    answered_at = serializers.DateTimeField()
    answered_via = serializers.ChoiceField(choices=AnsweredVia.choices)


class SenderSerializer(serializers.Serializer):
    name = serializers.CharField()
    la_code = serializers.CharField(help_text="The council's LA code; empty for this council.")


DIRECTIONS = [
    ("outgoing", "Sent by this council"),
    ("incoming", "Another council's CME4 to this council"),
]


class EnquirySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    direction = serializers.SerializerMethodField()
    sender = serializers.SerializerMethodField()
    case_id = serializers.IntegerField(
        allow_null=True, help_text="This council's case; null for another council's CME4."
    )
    kind = serializers.ChoiceField(choices=Kind.choices)
    state = serializers.ChoiceField(choices=State.choices)
    recipient = serializers.SerializerMethodField()
    sent_on = serializers.DateField()
    due_on = serializers.DateField()
    chases = serializers.IntegerField()
    escalated_on = serializers.DateField(allow_null=True)
    child = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()
    letter = serializers.SerializerMethodField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, IncomingEnquiry):
            return _incoming_shape(instance)
        return super().to_representation(instance)

    @extend_schema_field(serializers.ChoiceField(choices=DIRECTIONS))
    def get_direction(self, enquiry: Enquiry) -> str:
        return "outgoing"

    @extend_schema_field(SenderSerializer)
    def get_sender(self, enquiry: Enquiry) -> dict[str, str]:
        return {"name": f"{settings.CME_LA_NAME} City Council CME team", "la_code": ""}

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, enquiry: Enquiry) -> dict[str, str]:
        school = enquiry.recipient_school
        return {
            "name": enquiry.recipient_name,
            "laestab": school.laestab if school else "",
            "la_code": enquiry.recipient_la_code,
        }

    @extend_schema_field(ChildSearchSerializer)
    def get_child(self, enquiry: Enquiry) -> dict[str, Any]:
        details = search_details(enquiry)
        values = {
            "name": details.name,
            "former_names": details.former_names,
            "date_of_birth": details.date_of_birth.isoformat() if details.date_of_birth else None,
            "sex": details.sex,
            "upn": details.upn,
            "last_school": details.last_school,
            "last_address": details.last_address,
            "officer": details.officer,
        }
        return {key: value for key, value in values.items() if value is not None}

    @extend_schema_field(ResponseOutput(allow_null=True))
    def get_response(self, enquiry: Enquiry) -> dict[str, Any] | None:
        if enquiry.state != State.ANSWERED:
            return None
        names = ["outcome", "details", "on_roll_at", "left_for", "moved_to_la_code"]
        names += ["agreed_action", "contact"]
        answer: dict[str, Any] = {name: getattr(enquiry, name) for name in names}
        for name in ("on_roll_from", "left_on"):
            value = getattr(enquiry, name)
            answer[name] = value.isoformat() if value else None
        answer["answered_at"] = enquiry.answered_at.isoformat() if enquiry.answered_at else None
        answer["answered_via"] = enquiry.answered_via
        return answer

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_letter(self, enquiry: Enquiry) -> str | None:
        return reverse("api:enquiry-letter", args=[enquiry.pk])


def _incoming_shape(incoming: IncomingEnquiry) -> dict[str, Any]:
    """Another council's CME4 in the same shape: its child is what the council sent."""
    child: dict[str, Any] = {
        "name": incoming.name,
        "former_names": list(incoming.former_names),
        "date_of_birth": incoming.date_of_birth.isoformat(),
        "sex": {"F": "Female", "M": "Male"}.get(incoming.sex, "Not known"),
    }
    for name in ("upn", "last_school"):
        if getattr(incoming, name):
            child[name] = getattr(incoming, name)
    address = " ".join(p for p in (incoming.last_address, incoming.last_postcode) if p)
    if address:
        child["last_address"] = address
    response = None
    if incoming.state == IncomingState.ANSWERED:
        school = incoming.on_roll_school
        response = {
            "outcome": incoming.outcome,
            "details": incoming.details,
            "on_roll_from": incoming.on_roll_from.isoformat() if incoming.on_roll_from else None,
            "on_roll_at": f"{school.name} (URN {school.urn})" if school else "",
            "left_on": None,
            "left_for": "",
            "moved_to_la_code": "",
            "agreed_action": "",
            "contact": "",
            "answered_at": incoming.answered_at.isoformat() if incoming.answered_at else None,
            "answered_via": AnsweredVia.OFFICER.value,
        }
    return {
        "id": incoming.pk,
        "reference": incoming.reference,
        "direction": "incoming",
        "sender": {"name": incoming.from_name, "la_code": incoming.from_la_code},
        "case_id": None,
        "kind": Kind.CME4.value,
        "state": State.ANSWERED.value
        if incoming.state == IncomingState.ANSWERED
        else State.OUTSTANDING.value,
        "recipient": {
            "name": f"{settings.CME_LA_NAME} City Council CME team",
            "laestab": "",
            "la_code": settings.CME_LA_CODE,
        },
        "sent_on": incoming.received_on.isoformat(),
        "due_on": incoming.due_on.isoformat(),
        "chases": 0,
        "escalated_on": None,
        "child": child,
        "response": response,
        "letter": None,
    }


class IncomingInput(serializers.Serializer):
    """Another council's CME4 to this council: only what the search needs (docs/enquiries.md)."""

    kind = serializers.ChoiceField(
        choices=[Kind.CME4.value],
        error_messages={"invalid_choice": "Another council sends this council a cme4"},
    )
    forename = serializers.CharField(max_length=100)
    middle_names = serializers.CharField(required=False, allow_blank=True, max_length=200)
    surname = serializers.CharField(max_length=100)
    former_names = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=10
    )
    date_of_birth = serializers.DateField(error_messages={"invalid": "Give the date as YYYY-MM-DD"})
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    upn = serializers.CharField(required=False, allow_blank=True, max_length=20)
    last_school = serializers.CharField(required=False, allow_blank=True, max_length=200)
    last_address = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="The last known address, or the address in this council's area you think "
        "the family moved to.",
    )
    last_postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    their_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Your own case reference."
    )
    contact = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Who this council's CME team should contact; left out: the token's owner.",
    )
    due_on = serializers.DateField(
        required=False,
        help_text="Answer needed by (YYYY-MM-DD); not before today. Left out: 10 working days.",
        error_messages={"invalid": "Give the due date as YYYY-MM-DD"},
    )


class EnquiryPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EnquirySerializer(many=True)


def _audited(user: Any, enquiries: list[Enquiry | IncomingEnquiry]) -> None:
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="enquiry",
        rows=[(e.pk, e.case.child_id) for e in enquiries if isinstance(e, Enquiry)],
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="incomingenquiry",
        rows=[(e.pk, None) for e in enquiries if isinstance(e, IncomingEnquiry)],
    )


class CaseEnquiries(APIView):
    permission_classes = [allowed_to(Action.TRIAGE)]

    @extend_schema(
        operation_id="case_enquiries_create",
        summary="Send a CME3a to a school, or a CME4 or CME5a to another council",
        request=EnquiryInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EnquirySerializer, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(user=request.user, case_id=case_id)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError("Send the enquiry as a JSON object.")
        given = EnquiryInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data["kind"] == Kind.CME3A:
            school = Establishment.objects.filter(laestab=data["recipient_laestab"]).first()
            if school is None:
                raise exceptions.ValidationError(
                    {"recipient_laestab": "No school has that LAESTAB"}
                )
            recipient = Recipient(school=school, email=data.get("recipient_email", ""))
        else:
            recipient = Recipient(
                la_code=data["recipient_la_code"], email=data.get("recipient_email", "")
            )
        try:
            enquiry = enquiry_send(
                case=case,
                kind=data["kind"],
                recipients=[recipient],
                by=request.user,
                due_on=data.get("due_on"),
            )[0]
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_api_fields(error, data["kind"])) from None
        return Response(
            EnquirySerializer(enquiry).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:enquiry", args=[enquiry.pk])},
        )


def _api_fields(error: DjangoValidationError, kind: str) -> dict[str, list[str]]:
    """A service's field names as the API's: the recipient is named by how it was sent."""
    if not hasattr(error, "error_dict"):
        return {"": error.messages}
    recipient = "recipient_laestab" if kind == Kind.CME3A else "recipient_la_code"
    return {(recipient if k == "recipient" else k): v for k, v in error.message_dict.items()}


class EnquiryList(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="enquiries_create",
        summary="Another council sends this council a CME4 about a child it is looking for",
        request=IncomingInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EnquirySerializer, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError("Send the enquiry as a JSON object.")
        given = IncomingInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        child = IncomingChild(
            forename=data["forename"],
            surname=data["surname"],
            date_of_birth=data["date_of_birth"],
            middle_names=data.get("middle_names", ""),
            former_names=data.get("former_names", []),
            sex="" if data.get("sex", "U") == "U" else data["sex"],
            upn=data.get("upn", ""),
            last_school=data.get("last_school", ""),
            last_address=data.get("last_address", ""),
            last_postcode=data.get("last_postcode", ""),
        )
        try:
            incoming = incoming_receive(
                by=request.user,
                child=child,
                their_reference=data.get("their_reference", ""),
                contact=data.get("contact", ""),
                due_on=data.get("due_on"),
            )
        except DjangoValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            raise exceptions.ValidationError(messages) from None
        return Response(
            EnquirySerializer(incoming).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:enquiry", args=[incoming.pk])},
        )

    @extend_schema(
        operation_id="enquiries_list",
        summary="Enquiries your organisation has been sent, and has sent, newest first",
        parameters=[PAGE],
        responses={200: EnquiryPage, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        page: Page[Enquiry | IncomingEnquiry] = Paginator(
            api_enquiries_all(user=request.user),  # type: ignore[arg-type]
            settings.CME_PAGE_SIZE,
        ).get_page(request.query_params.get("page", 1))
        _audited(request.user, list(page.object_list))
        return _page_response(request, page, EnquirySerializer)


class EnquiryDetail(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="enquiries_retrieve",
        summary="One enquiry sent to or by your organisation",
        responses={200: EnquirySerializer, **ERRORS},
    )
    def get(self, request: Request, enquiry_id: int) -> Response:
        return Response(
            EnquirySerializer(api_any_enquiry_get(user=request.user, enquiry_id=enquiry_id)).data
        )


class EnquiryResponse(APIView):
    permission_classes = [allowed_to(Action.ANSWER_ENQUIRY)]

    @extend_schema(
        operation_id="enquiries_response_create",
        summary="Answer an enquiry sent to your organisation (once)",
        request=ResponseInput,
        responses={
            200: EnquirySerializer,
            400: ErrorSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Already answered"),
            **ERRORS,
            **KEY_REUSED,
        },
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        found = api_any_enquiry_get(user=request.user, enquiry_id=enquiry_id)
        if isinstance(found, IncomingEnquiry):
            if found.from_organisation_id == request.user.organisation_id:
                raise exceptions.PermissionDenied(
                    "Your council sent this enquiry: this council's CME team answers it."
                )
            return Response(
                {
                    "detail": "Another council's CME4 is answered in the register, after the "
                    "CME officer has checked the sources."
                },
                status=status.HTTP_409_CONFLICT,
            )
        enquiry = found
        if enquiry.state == State.ANSWERED:
            return Response(
                {"detail": "This enquiry has already been answered. An answer cannot be changed."},
                status=status.HTTP_409_CONFLICT,
            )
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError("Send the answer as a JSON object.")
        given = ResponseInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        answer = Answer(
            outcome=data["outcome"],
            **{k: v for k, v in data.items() if k != "outcome"},
        )
        with transaction.atomic():
            done = enquiry_answer(
                enquiry=enquiry, answer=answer, by=request.user, via=AnsweredVia.API
            )
        return Response(EnquirySerializer(done).data)


class EnquiryLetter(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="enquiries_letter_retrieve",
        summary="The enquiry's letter, as a PDF",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request: Request, enquiry_id: int) -> HttpResponse:
        enquiry = api_enquiry_get(user=request.user, enquiry_id=enquiry_id)
        letter = enquiry_letter(enquiry)
        response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="enquiry-{enquiry.reference}.pdf"'
        return response


__all__ = [
    "CaseEnquiries",
    "EnquiryDetail",
    "EnquiryLetter",
    "EnquiryList",
    "EnquiryResponse",
    "Outcome",
]
