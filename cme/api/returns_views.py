"""The school returns of SI 2024/208 reg 13: a school's MIS posts them, and reads back what
its school has sent. The CME team may read every school's. Parse, call one service, serialise.

The four returns differ only in their shapes and their service, so one view serves them all
(`ReturnsView`); `returns_view` makes each one's class, named in the OpenAPI document as it
always was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.core.paginator import Paginator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
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
    reinstatement_confirm,
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


@dataclass(frozen=True)
class ReturnKind:
    """One return: what it is listed as (`cme.roll.selectors.returns_sent`), the shape posted
    and the shape shown, and the service that records it. The posted fields are the
    service's keyword arguments, so the service, not the view, decides what each means."""

    kind: str
    given: type[Any]
    shown: type[Any]
    record: Callable[..., Any]


def _body(request: Request, serializer: Any) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError("Send the return as a JSON object.")
    given = serializer(data=request.data)
    if not given.is_valid():
        raise exceptions.ValidationError(given.errors)
    return dict(given.validated_data)


def _school(request: Request) -> Any:
    school = own_school(request.user)
    if school is None:  # ReturnsAccess lets only a school's staff post
        raise exceptions.PermissionDenied
    return school


# GET: the returns of one kind the reader may see, a page at a time, each pupil shown audited.
# POST: one return, from the token's school. (A comment, not a docstring: the schema would
# show a docstring as every operation's description.)
class ReturnsView(APIView):
    permission_classes = [ReturnsAccess]
    returns: ClassVar[ReturnKind]

    def get(self, request: Request) -> Response:
        kind = self.returns.kind
        qs = returns_sent(user=request.user, kind=kind).order_by("-received_at", "-id")
        page = Paginator(qs, settings.CME_PAGE_SIZE).get_page(request.query_params.get("page", 1))
        audit_listed(user=request.user, kind=kind, rows=list(page.object_list))
        return _page_response(request, page, self.returns.shown)

    @idempotent
    def post(self, request: Request) -> Response:
        data = _body(request, self.returns.given)
        record = self.returns.record(
            school=_school(request), by=request.user, channel=Channel.API, **data
        )
        return Response(self.returns.shown(record).data, status=status.HTTP_201_CREATED)


def returns_view(
    name: str, returns: ReturnKind, *, path: str, page: str, listed: str, made: str
) -> type[ReturnsView]:
    """The view class for one return; `path` names its operations (returns_<path>_list and
    _create), `page` its page schema, `listed` and `made` their summaries."""
    view = type(name, (ReturnsView,), {"returns": returns})
    documented = extend_schema_view(
        get=extend_schema(
            operation_id=f"returns_{path}_list",
            summary=listed,
            parameters=[PAGE],
            responses={200: page_serializer(returns.shown, page), **ERRORS},
        ),
        post=extend_schema(
            operation_id=f"returns_{path}_create",
            summary=made,
            request=returns.given,
            parameters=[IDEMPOTENCY_KEY],
            responses={201: returns.shown, 400: ErrorSerializer, **ERRORS, **KEY_REUSED},
        ),
    )
    return documented(view)


NewPupilReturns = returns_view(
    "NewPupilReturns",
    ReturnKind(
        "new_pupil", rs.NewPupilReturnInput, rs.NewPupilReturnShown, new_pupil_return_record
    ),
    path="new_pupils",
    page="NewPupilReturnPage",
    listed="The new pupil returns your school has sent",
    made="Make a new pupil return (reg 13(1))",
)
DeletionReturns = returns_view(
    "DeletionReturns",
    ReturnKind("deletion", rs.DeletionReturnInput, rs.DeletionReturnShown, deletion_return_record),
    path="deletions",
    page="DeletionReturnPage",
    listed="The deletion returns your school has sent, each with its assessment",
    made="Make a deletion return (reg 13(4)); the answer says whether it was lawful",
)
AttendanceReturns = returns_view(
    "AttendanceReturns",
    ReturnKind(
        "attendance_return",
        rs.AttendanceReturnInput,
        rs.AttendanceReturnShown,
        attendance_return_record,
    ),
    path="attendance",
    page="AttendanceReturnPage",
    listed="The attendance returns your school has sent",
    made="Make an attendance return (reg 13(7)); no pupils is a nil return",
)
SicknessReturns = returns_view(
    "SicknessReturns",
    ReturnKind("sickness", rs.SicknessReturnInput, rs.SicknessReturnShown, sickness_return_record),
    path="sickness",
    page="SicknessReturnPage",
    listed="The sickness returns your school has sent",
    made="Make a sickness return (reg 13(9))",
)


# The school confirms it has put back on roll a pupil whose deletion the council assessed
# unlawful (the reinstatement direction). `deletion_id` is the deletion return's `id`.
class DeletionReinstated(APIView):
    permission_classes = [ReturnsAccess]

    @extend_schema(
        operation_id="returns_deletions_reinstated_create",
        summary="Confirm a pupil is back on roll after a reinstatement direction",
        request=rs.ReinstatedInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: rs.DeletionReturnShown,
            400: ErrorSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="The deletion was lawful (no direction), or the direction is closed",
            ),
            **ERRORS,
            **KEY_REUSED,
        },
    )
    @idempotent
    def post(self, request: Request, deletion_id: int) -> Response:
        record = returns_sent(user=request.user, kind="deletion").filter(pk=deletion_id).first()
        if record is None:
            raise exceptions.NotFound("Your school sent no deletion return with that id.")
        direction = getattr(record, "direction", None)
        if direction is None:
            return Response(
                {
                    "detail": "This deletion was assessed as lawful: there is no reinstatement "
                    "direction to confirm."
                },
                status=status.HTTP_409_CONFLICT,
            )
        if not direction.awaiting:
            return Response(
                {
                    "detail": "This reinstatement direction is already closed: "
                    f"{direction.get_status_display().lower()}."
                },
                status=status.HTTP_409_CONFLICT,
            )
        data = _body(request, rs.ReinstatedInput)
        reinstatement_confirm(
            direction=direction,
            by=request.user,
            reinstated_on=data["reinstated_on"],
            channel=Channel.API,
            note=data.get("note", ""),
        )
        fresh = returns_sent(user=request.user, kind="deletion").get(pk=record.pk)
        return Response(rs.DeletionReturnShown(fresh).data)
