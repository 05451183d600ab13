from django.urls import path

from . import matching_views, views

app_name = "checks"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_checks, name="case"),
    path("cases/<int:case_id>/run/", views.run, name="run"),
    path("cases/<int:case_id>/paews/", views.refer_to_paews, name="paews"),
    path("candidates/<int:candidate_id>/decide/", views.decide, name="decide"),
    path("candidates/<int:candidate_id>/on-roll/", views.on_roll, name="on-roll"),
    path("cases/<int:case_id>/lost-pupils/", views.lost_pupils, name="lost-pupils"),
    path("lost-pupils/<int:match_id>/decide/", views.lost_pupil_decide, name="lost-pupil-decide"),
    path(
        "lost-pupils/<int:match_id>/forward/",
        views.lost_pupil_forward_view,
        name="lost-pupil-forward",
    ),
    path("home-education/", views.home_education, name="home-education"),
    path("home-education/new/", views.home_education_new, name="home-education-new"),
    path(
        "home-education/<int:entry_id>/end/", views.home_education_stop, name="home-education-end"
    ),
    path("matching-models/", matching_views.matching_models, name="matching-models"),
    path(
        "matching-models/switch/",
        matching_views.matching_model_switch_view,
        name="matching-model-switch",
    ),
]
