from django.urls import path

from . import school_views

app_name = "school-returns"
urlpatterns = [
    path("", school_views.school_returns, name="list"),
    path("upload/", school_views.returns_upload_page, name="upload"),
    *(
        path(f"{kind}/new/", school_views.school_return_new, {"kind": kind}, name=kind)
        for kind in school_views.RETURNS
    ),
]
