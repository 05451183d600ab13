from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("cases/<int:case_id>/", views.plan, name="plan"),
    path("cases/<int:case_id>/start/", views.start, name="start"),
    path("cases/<int:case_id>/actions/", views.add_action, name="add-action"),
    path("cases/<int:case_id>/actions/<int:action_id>/done/", views.complete, name="complete"),
]
