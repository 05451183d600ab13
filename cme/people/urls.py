from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/identity/", views.identity, name="identity"),
    path("<int:child_id>/siblings/", views.siblings, name="siblings"),
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
urlpatterns += [
    path("<int:child_id>/risk-factors/add/", views.risk_factor_add, name="risk-factor-add"),
    path(
        "<int:child_id>/risk-factors/<int:link_id>/correct/",
        views.risk_factor_correct,
        name="risk-factor-correct",
    ),
    path(
        "<int:child_id>/risk-factors/<int:link_id>/end/",
        views.risk_factor_end,
        name="risk-factor-end",
    ),
    path("<int:child_id>/needs/", views.needs, name="needs"),
    path("<int:child_id>/child-protection/", views.child_protection, name="child-protection"),
]
