from django.urls import path

from . import views

app_name = "provision"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("<int:placement_id>/start/", views.start, name="start"),
    path("<int:placement_id>/review/", views.review, name="review"),
    path("<int:placement_id>/withdraw/", views.withdraw, name="withdraw"),
]
