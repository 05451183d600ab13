"""The API's views: parse, call one selector or service, serialise. Permission is decided in
cme.accounts.permissions; a record outside the caller's scope is a 404, an endpoint their role
may not use a 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from cme.accounts.permissions import Action, Part, can
from cme.cases.models import CaseStatus
from cme.cases.record_view import accesses
from cme.cases.selectors import RegisterFilters, case_get, register_page
from cme.core.errors import StaleEdit
from cme.people.selectors import child_for_edit, child_record_get
from cme.people.services import (
    IdentityChange,
    NeedsChange,
    SafeguardingChange,
    child_identity_update,
    needs_update,
    safeguarding_update,
)
from cme.referrals.selectors import referral_get

from . import serializers as s
from .errors import ErrorSerializer
from .selectors import referral_page
from .services import api_referral_record, more_child_problems

CASE_STATUS_FILTERS = ["all", "open", *CaseStatus.values]

ERRORS = {
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1.")


def allowed_to(action: Action) -> type[permissions.BasePermission]:
    """A DRF permission that asks cme.accounts.permissions.can() about `action`."""

    class Allowed(permissions.BasePermission):
        message = "Your account may not use this part of the API."

        def has_permission(self, request: Any, view: Any) -> bool:
            return can(request.user, action)

    Allowed.__name__ = f"Allowed_{action.value}"
    return Allowed


def _page_response(request: Request, page: Page[Any], serializer: Any, **context: Any) -> Response:
    url = request.build_absolute_uri()
    previous = None
    if page.has_previous():
        number = page.previous_page_number()
        previous = (
            remove_query_param(url, "page")
            if number == 1
            else replace_query_param(url, "page", number)
        )
    return Response(
        {
            "count": page.paginator.count,
            "next": replace_query_param(url, "page", page.next_page_number())
            if page.has_next()
            else None,
            "previous": previous,
            "results": serializer(
                page.object_list, many=True, context={"request": request, **context}
            ).data,
        }
    )


class ReferralList(APIView):
    permission_classes = [allowed_to(Action.RECORD_REFERRAL)]

    @property
    def throttle_scope(self) -> str | None:
        return "referral_create" if self.request.method == "POST" else None

    @extend_schema(
        operation_id="referrals_list",
        summary="Referrals you or your organisation made (the CME team: all)",
        parameters=[PAGE],
        responses={200: s.ReferralPage, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = referral_page(user=request.user, page_number=request.query_params.get("page", 1))
        return _page_response(request, page, s.ReferralSerializer)

    @extend_schema(
        operation_id="referrals_create",
        summary="Refer a child (CME2)",
        request=s.ReferralInput,
        responses={201: s.ReferralCreated, 400: ErrorSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError("Send the referral as a JSON object.")
        given = s.ReferralInput(data=request.data)
        if not given.is_valid():
            found = dict(given.errors)
            raise exceptions.ValidationError(
                {**found, **more_child_problems(request.data, found=found)}
            )
        referral = api_referral_record(
            by=request.user, data=given.validated_data, described=given.described()
        )
        return Response(
            s.ReferralCreated(referral).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:referral", args=[referral.pk])},
        )


class ReferralDetail(APIView):
    permission_classes = [allowed_to(Action.RECORD_REFERRAL)]

    @extend_schema(
        operation_id="referrals_retrieve",
        summary="One referral, if you may see it",
        responses={200: s.ReferralSerializer, **ERRORS},
    )
    def get(self, request: Request, referral_id: int) -> Response:
        referral = referral_get(user=request.user, referral_id=referral_id)
        return Response(s.ReferralSerializer(referral, context={"request": request}).data)


class CaseList(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="cases_list",
        summary="The cases you may see, newest first",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=CASE_STATUS_FILTERS,
                description="A case status, 'open' (any but closed) or 'all' (the default).",
            ),
            PAGE,
        ],
        responses={200: s.CasePage, 400: ErrorSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status", "all")
        if wanted not in CASE_STATUS_FILTERS:
            raise exceptions.ValidationError(
                {"status": [f"Choose a status: one of {', '.join(CASE_STATUS_FILTERS)}"]}
            )
        page = register_page(
            user=request.user,
            filters=RegisterFilters(status=wanted),
            page_number=request.query_params.get("page", 1),
            today=timezone.localdate(),
        )
        cases = list(page.object_list)
        return _page_response(
            request, page, s.CaseSerializer, accesses=accesses(user=request.user, cases=cases)
        )


class CaseDetail(APIView):
    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case, if you may see it",
        responses={200: s.CaseSerializer, **ERRORS},
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(user=request.user, case_id=case_id)
        return Response(s.CaseSerializer(case, context={"request": request}).data)


class ChildDetail(APIView):
    """A child's own record (`id` is the number in the child's page address, /children/{id}/):
    what the caller may read of it, and PATCH to correct the identity, needs and child
    protection status. Its rows (addresses, carers, risk factors): cme.api.children."""

    permission_classes = [allowed_to(Action.VIEW_REGISTER)]

    @extend_schema(
        operation_id="children_retrieve",
        summary="A child's record: the parts you may read, former names too",
        responses={200: s.ChildSerializer, **ERRORS},
    )
    def get(self, request: Request, child_id: int) -> Response:
        record = child_record_get(user=request.user, child_id=child_id)
        return Response(s.ChildSerializer(record).data)

    @extend_schema(
        operation_id="children_partial_update",
        summary="Correct a child's identity, needs or child protection status (send the "
        "version you read)",
        request=s.ChildPatch,
        responses={
            200: s.ChildSerializer,
            400: ErrorSerializer,
            409: s.ChildConflict,
            **ERRORS,
        },
    )
    def patch(self, request: Request, child_id: int) -> Response:
        child, record = child_for_edit(user=request.user, child_id=child_id)
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError("Send the changes as a JSON object.")
        given = s.ChildPatch(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        sections = [name for name in s.PATCH_SECTIONS if data.get(name)]
        # Every part sent must be the caller's to write, before anything is written.
        for name in sections:
            if not record.access.writes(PATCH_PARTS[name]):
                raise exceptions.PermissionDenied(
                    f"Your account may not change the child's {PATCH_WORDS[name]}."
                )
        try:
            with transaction.atomic():  # identity, needs and safeguarding: all or none
                self._write(child, data, sections, request.user)
        except StaleEdit as error:
            _, now = child_for_edit(user=request.user, child_id=child_id)
            return Response(
                {"detail": " ".join(error.messages), "current": s.ChildSerializer(now).data},
                status=status.HTTP_409_CONFLICT,
            )
        _, now = child_for_edit(user=request.user, child_id=child_id)
        return Response(s.ChildSerializer(now).data)

    def _write(self, child: Any, data: dict[str, Any], sections: list[str], by: Any) -> None:
        """Each part through its service; the first checks the version, and the rest run in
        the same transaction on the row it locked."""
        version: int | None = data["version"]
        for name in sections:
            try:
                changed = self._write_one(child, name, data, by, version)
            except StaleEdit:
                raise
            except DjangoValidationError as error:
                problems = (
                    error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                )
                raise exceptions.ValidationError(
                    {(k if k in ("reason", "") else f"{name}.{k}"): v for k, v in problems.items()}
                ) from None
            child.refresh_from_db()
            if changed is not None:
                version = None

    def _write_one(
        self, child: Any, name: str, data: dict[str, Any], by: Any, version: int | None
    ) -> Any:
        if name == "identity":
            return child_identity_update(
                child=child,
                change=IdentityChange.of(child, **data["identity"]),
                reason=data.get("reason", ""),
                by=by,
                expected_version=version,
            )
        if name == "needs":
            return needs_update(
                child=child,
                change=NeedsChange.of(child, **data["needs"]),
                by=by,
                expected_version=version,
            )
        return safeguarding_update(
            child=child,
            change=SafeguardingChange.of(child, **data["safeguarding"]),
            by=by,
            expected_version=version,
        )


PATCH_PARTS = {"identity": Part.IDENTITY, "needs": Part.NEEDS, "safeguarding": Part.SAFEGUARDING}
PATCH_WORDS = {
    "identity": "identity",
    "needs": "needs",
    "safeguarding": "child protection status",
}


@extend_schema(exclude=True)
class NotFound(APIView):
    """Any other path under /api/v1/: a JSON 404, not the web site's page."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise exceptions.NotFound

    def get(self, request: Request) -> Response:
        raise exceptions.NotFound
