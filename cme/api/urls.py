from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import children, enquiries, returns_views, views

app_name = "api"
urlpatterns = [
    path("referrals/", views.ReferralList.as_view(), name="referrals"),
    path("referrals/<int:referral_id>/", views.ReferralDetail.as_view(), name="referral"),
    path("cases/", views.CaseList.as_view(), name="cases"),
    path("cases/<int:case_id>/", views.CaseDetail.as_view(), name="case"),
    path("children/<int:child_id>/", views.ChildDetail.as_view(), name="child"),
    path(
        "children/<int:child_id>/addresses/",
        children.ChildAddresses.as_view(),
        name="child-addresses",
    ),
    path(
        "children/<int:child_id>/addresses/<int:address_id>/",
        children.ChildAddress.as_view(),
        name="child-address",
    ),
    path("children/<int:child_id>/carers/", children.ChildCarers.as_view(), name="child-carers"),
    path(
        "children/<int:child_id>/carers/<int:carer_id>/",
        children.ChildCarer.as_view(),
        name="child-carer",
    ),
    path(
        "children/<int:child_id>/risk-factors/",
        children.ChildRiskFactors.as_view(),
        name="child-risk-factors",
    ),
    path(
        "children/<int:child_id>/risk-factors/<int:risk_factor_id>/",
        children.ChildRiskFactorDetail.as_view(),
        name="child-risk-factor",
    ),
    path("returns/new-pupils/", returns_views.NewPupilReturns.as_view(), name="returns-new-pupils"),
    path("returns/deletions/", returns_views.DeletionReturns.as_view(), name="returns-deletions"),
    path(
        "returns/deletions/<int:deletion_id>/reinstated/",
        returns_views.DeletionReinstated.as_view(),
        name="returns-deletion-reinstated",
    ),
    path(
        "returns/attendance/", returns_views.AttendanceReturns.as_view(), name="returns-attendance"
    ),
    path("returns/sickness/", returns_views.SicknessReturns.as_view(), name="returns-sickness"),
    path(
        "cases/<int:case_id>/enquiries/",
        enquiries.CaseEnquiries.as_view(),
        name="case-enquiries",
    ),
    path("enquiries/", enquiries.EnquiryList.as_view(), name="enquiries"),
    path("enquiries/<int:enquiry_id>/", enquiries.EnquiryDetail.as_view(), name="enquiry"),
    path(
        "enquiries/<int:enquiry_id>/response/",
        enquiries.EnquiryResponse.as_view(),
        name="enquiry-response",
    ),
    path(
        "enquiries/<int:enquiry_id>/letter.pdf",
        enquiries.EnquiryLetter.as_view(),
        name="enquiry-letter",
    ),
    # The schema says nothing about any child, so it is public: integrators read it first.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    re_path(r"^", views.NotFound.as_view(), name="not-found"),
]
