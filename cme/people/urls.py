from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<int:child_id>/", views.detail, name="detail"),
    path("<int:child_id>/identity/", views.identity, name="identity"),
    path("<int:child_id>/siblings/", views.siblings, name="siblings"),
]
