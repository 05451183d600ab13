from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.register, name="register"),
    path("cases/<int:case_id>/", views.detail, name="detail"),
    path("cases/<int:case_id>/move/", views.transition, name="transition"),
    path("cases/<int:case_id>/workers/", views.assign, name="assign"),
    path("cases/<int:case_id>/notes/", views.add_note, name="add-note"),
    path("cases/<int:case_id>/close/", views.close, name="close"),
    path("cases/<int:case_id>/reopen/", views.reopen, name="reopen"),
    path("cases/<int:case_id>/flags/", views.raise_flag, name="raise-flag"),
    path(
        "cases/<int:case_id>/flags/<int:flag_id>/resolve/", views.resolve_flag, name="resolve-flag"
    ),
    path("cases/<int:case_id>/dates/", views.clock_starts, name="clock-starts"),
]
