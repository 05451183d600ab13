from django.urls import path

from . import contact_views, health, views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", health.ready, name="ready"),
    path("contact-details/", contact_views.contact_details, name="contact-details"),
]
