from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("reference-data/", views.reference_data, name="reference-data"),
    path("children/<int:child_id>/audit/", views.child_audit, name="child-audit"),
]
