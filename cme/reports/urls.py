from django.urls import path, register_converter

from . import views


class IsoDate:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDate, "isodate")

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("pack/", views.pack_page, name="pack"),
    path("pack.<str:output>", views.pack_download, name="pack-download"),
    path("extracts/", views.extracts_page, name="extracts"),
    path("extracts/<slug:slug>.csv", views.extract_csv, name="extract-csv"),
    path("not-in-school/", views.not_in_school_page, name="not-in-school"),
    path("dfe-return/", views.dfe_return_page, name="dfe-return"),
    path("dfe-return/<isodate:census>.csv", views.dfe_return_csv, name="dfe-return-csv"),
    path(
        "dfe-return/<isodate:census>/figures/<str:slug>/",
        views.figure_page,
        name="dfe-figure",
    ),
]
