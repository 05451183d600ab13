from django.urls import path

from . import watch_views

app_name = "watch"
urlpatterns = [
    path("", watch_views.watch_list_page, name="list"),
    path("<int:watched_id>/end/", watch_views.watch_end_view, name="end"),
    path("new-pupil-matches/", watch_views.matches_page, name="matches"),
    path("new-pupil-matches/<int:match_id>/", watch_views.match_decide, name="match-decide"),
]
