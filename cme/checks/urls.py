from django.urls import path

from . import views

app_name = "checks"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_checks, name="case"),
    path("cases/<int:case_id>/run/", views.run, name="run"),
    path("cases/<int:case_id>/paews/", views.refer_to_paews, name="paews"),
    path("candidates/<int:candidate_id>/decide/", views.decide, name="decide"),
    path("home-education/", views.home_education, name="home-education"),
    path("home-education/new/", views.home_education_new, name="home-education-new"),
    path(
        "home-education/<int:entry_id>/end/", views.home_education_stop, name="home-education-end"
    ),
]
