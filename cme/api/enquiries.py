"""The enquiry endpoints (issue 12, a contract): another council's or a school's system answers
the enquiries sent to it, and the officer's system sends CME3a, CME4 and CME5a.

- `POST /cases/{id}/enquiries/`: `kind` (`cme3a`, `cme4`, `cme5a`), `recipient_laestab` for a
  school or `recipient_la_code` for a council, optional `due_on` (and `recipient_email`).
- `GET /enquiries/`: what the token's organisation has been sent, and has sent.
- `GET /enquiries/{id}/`: one of those; 404 to anyone else.
- `POST /enquiries/{id}/response/`: the answer, once; a second answer is refused (409).
- `GET /enquiries/{id}/letter.pdf`: the letter kept with the enquiry.

Shapes here, decisions in cme.enquiries (services and selectors), as for the referrals.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
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
from cme.enquiries.models import OUTCOMES, AnsweredVia, Enquiry, Kind, Outcome, State
from cme.enquiries.selectors import api_enquiries, api_enquiry_get
from cme.enquiries.services import Answer, Recipient, enquiry_answer, enquiry_letter, enquiry_send
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


class EnquirySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    case_id = serializers.IntegerField()
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

    @extend_schema_field(OpenApiTypes.STR)
    def get_letter(self, enquiry: Enquiry) -> str:
        return reverse("api:enquiry-letter", args=[enquiry.pk])


class EnquiryPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EnquirySerializer(many=True)


def _audited(user: Any, enquiries: list[Enquiry]) -> None:
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="enquiry",
        rows=[(e.pk, e.case.child_id) for e in enquiries],
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
        operation_id="enquiries_list",
        summary="Enquiries your organisation has been sent, and has sent, newest first",
        parameters=[PAGE],
        responses={200: EnquiryPage, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = Paginator(api_enquiries(user=request.user), settings.CME_PAGE_SIZE).get_page(
            request.query_params.get("page", 1)
        )
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
            EnquirySerializer(api_enquiry_get(user=request.user, enquiry_id=enquiry_id)).data
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
        enquiry = api_enquiry_get(user=request.user, enquiry_id=enquiry_id)
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
