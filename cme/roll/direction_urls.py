from django.urls import path

from . import direction_views

app_name = "reinstatements"
urlpatterns = [
    path("", direction_views.queue, name="queue"),
    path("<int:direction_id>/", direction_views.detail, name="detail"),
    path("<int:direction_id>/letter.pdf", direction_views.letter, name="letter"),
    path("<int:direction_id>/reinstated/", direction_views.reinstated, name="reinstated"),
]
