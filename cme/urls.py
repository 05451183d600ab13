from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cme.core.urls")),
    path("", include("cme.worklist.urls")),
    path("", include("cme.accounts.urls")),
    path("register/", include("cme.cases.urls")),
    path("children/", include("cme.people.urls")),
    path("referrals/", include("cme.referrals.urls")),
    path("schools/", include("cme.schools.urls")),
    path("checks/", include("cme.checks.urls")),
    path("plans/", include("cme.plans.urls")),
    path("transfers/", include("cme.transfers.urls")),
    path("reports/", include("cme.reports.urls")),
    path("enquiries/", include("cme.enquiries.urls")),
    path("school-returns/", include("cme.roll.school_urls")),
    path("watch-list/", include("cme.roll.watch_urls")),
    path("cme1/", include("cme.checklist.urls")),
    path("reinstatements/", include("cme.roll.direction_urls")),
    path("provision/", include("cme.provision.urls")),
    path("enquiry-reply/", include("cme.enquiries.reply_urls")),
    path("refer/", include("cme.referrals.public_urls")),
    path("api/v1/", include("cme.api.urls")),
    path("", include("cme.notices.urls")),
    path("", include("cme.oversight.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "cme.core.views.forbidden"
handler404 = "cme.core.views.not_found"
handler500 = "cme.core.views.server_error"
