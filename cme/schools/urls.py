"""Schools as reference data: establishments are loaded with `cme import-establishments`; a
CME manager names each school's PAEWS officer here."""

from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("paews-officers/", views.paews_list, name="paews"),
    path("<int:establishment_id>/paews-officer/", views.paews_officer, name="paews-officer"),
]
