from django.urls import path

from . import health, views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", health.ready, name="ready"),
]
