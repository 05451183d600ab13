from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/identity/", views.identity, name="identity"),
    path("<int:child_id>/addresses/add/", views.address_add, name="address-add"),
    path(
        "<int:child_id>/addresses/<int:address_id>/",
        views.address_correct,
        name="address-correct",
    ),
    path("<int:child_id>/addresses/<int:address_id>/end/", views.address_end, name="address-end"),
    path("<int:child_id>/carers/add/", views.carer_add, name="carer-add"),
    path("<int:child_id>/carers/<int:carer_id>/", views.carer_correct, name="carer-correct"),
    path("<int:child_id>/carers/<int:carer_id>/end/", views.carer_end, name="carer-end"),
]
