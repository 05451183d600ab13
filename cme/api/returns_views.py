"""The school returns of SI 2024/208 reg 13: a school's MIS posts them, and reads back what
its school has sent. The CME team may read every school's. Parse, call one service, serialise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cme.roll.models import Channel
from cme.roll.selectors import audit_listed, is_cme_team, may_make_returns, own_school, returns_sent
from cme.roll.services import (
    attendance_return_record,
    deletion_return_record,
    new_pupil_return_record,
    sickness_return_record,
)

from . import returns_serializers as rs
from .errors import ErrorSerializer
from .idempotency import IDEMPOTENCY_KEY, idempotent
from .serializers import page_serializer
from .views import ERRORS, KEY_REUSED, PAGE, _page_response


class ReturnsAccess(permissions.BasePermission):
    """A school's staff send and read their own school's returns; the CME team reads all."""

    message = "Only a school's staff make returns; the CME team may read them."

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "POST":
            return may_make_returns(request.user)
        return may_make_returns(request.user) or is_cme_team(request.user)


def _body(request: Request, serializer: Any) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError("Send the return as a JSON object.")
    given = serializer(data=request.data)
    if not given.is_valid():
        raise exceptions.ValidationError(given.errors)
    return dict(given.validated_data)


def _list(request: Request, kind: str, shown: Any) -> Response:
    qs = returns_sent(user=request.user, kind=kind).order_by("-received_at", "-id")
    page = Paginator(qs, settings.CME_PAGE_SIZE).get_page(request.query_params.get("page", 1))
    audit_listed(user=request.user, kind=kind, rows=list(page.object_list))
    return _page_response(request, page, shown)


def _school(request: Request) -> Any:
    school = own_school(request.user)
    if school is None:  # ReturnsAccess lets only a school's staff post
        raise exceptions.PermissionDenied
    return school


class NewPupilReturns(APIView):
    permission_classes = [ReturnsAccess]

    @extend_schema(
        operation_id="returns_new_pupils_list",
        summary="The new pupil returns your school has sent",
        parameters=[PAGE],
        responses={200: page_serializer(rs.NewPupilReturnShown, "NewPupilReturnPage"), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return _list(request, "new_pupil", rs.NewPupilReturnShown)

    @extend_schema(
        operation_id="returns_new_pupils_create",
        summary="Make a new pupil return (reg 13(1))",
        request=rs.NewPupilReturnInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: rs.NewPupilReturnShown, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _body(request, rs.NewPupilReturnInput)
        record = new_pupil_return_record(
            school=_school(request),
            by=request.user,
            channel=Channel.API,
            pupil=data["pupil"],
            admitted_on=data["admitted_on"],
            parents=data.get("parents", []),
            name_used=data.get("name_used", ""),
            last_school=data.get("last_school", ""),
            boarder=data.get("boarder", False),
        )
        return Response(rs.NewPupilReturnShown(record).data, status=status.HTTP_201_CREATED)


class DeletionReturns(APIView):
    permission_classes = [ReturnsAccess]

    @extend_schema(
        operation_id="returns_deletions_list",
        summary="The deletion returns your school has sent, each with its assessment",
        parameters=[PAGE],
        responses={200: page_serializer(rs.DeletionReturnShown, "DeletionReturnPage"), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return _list(request, "deletion", rs.DeletionReturnShown)

    @extend_schema(
        operation_id="returns_deletions_create",
        summary="Make a deletion return (reg 13(4)); the answer says whether it was lawful",
        request=rs.DeletionReturnInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: rs.DeletionReturnShown, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _body(request, rs.DeletionReturnInput)
        record = deletion_return_record(
            school=_school(request),
            by=request.user,
            channel=Channel.API,
            pupil=data["pupil"],
            parents=data.get("parents", []),
            ground=data["ground"],
            deleted_on=data["deleted_on"],
            admitted_on=data.get("admitted_on"),
            future_address=data.get("future_address") or {},
            future_school=data.get("future_school") or {},
            facts=data.get("facts") or {},
            safeguarding_context=data.get("safeguarding_context", ""),
        )
        return Response(rs.DeletionReturnShown(record).data, status=status.HTTP_201_CREATED)


class AttendanceReturns(APIView):
    permission_classes = [ReturnsAccess]

    @extend_schema(
        operation_id="returns_attendance_list",
        summary="The attendance returns your school has sent",
        parameters=[PAGE],
        responses={
            200: page_serializer(rs.AttendanceReturnShown, "AttendanceReturnPage"),
            **ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        return _list(request, "attendance_return", rs.AttendanceReturnShown)

    @extend_schema(
        operation_id="returns_attendance_create",
        summary="Make an attendance return (reg 13(7)); no pupils is a nil return",
        request=rs.AttendanceReturnInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: rs.AttendanceReturnShown, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _body(request, rs.AttendanceReturnInput)
        record = attendance_return_record(
            school=_school(request),
            by=request.user,
            channel=Channel.API,
            period_from=data["period_from"],
            period_to=data["period_to"],
            pupils=[dict(p) for p in data["pupils"]],
        )
        return Response(rs.AttendanceReturnShown(record).data, status=status.HTTP_201_CREATED)


class SicknessReturns(APIView):
    permission_classes = [ReturnsAccess]

    @extend_schema(
        operation_id="returns_sickness_list",
        summary="The sickness returns your school has sent",
        parameters=[PAGE],
        responses={200: page_serializer(rs.SicknessReturnShown, "SicknessReturnPage"), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return _list(request, "sickness", rs.SicknessReturnShown)

    @extend_schema(
        operation_id="returns_sickness_create",
        summary="Make a sickness return (reg 13(9))",
        request=rs.SicknessReturnInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: rs.SicknessReturnShown, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = _body(request, rs.SicknessReturnInput)
        record = sickness_return_record(
            school=_school(request),
            by=request.user,
            channel=Channel.API,
            pupil=data["pupil"],
            absent_from=data["absent_from"],
            basis=data["basis"],
            expected_back_on=data.get("expected_back_on"),
        )
        return Response(rs.SicknessReturnShown(record).data, status=status.HTTP_201_CREATED)
