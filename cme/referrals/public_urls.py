"""/refer/: the public online referral. Every page works for someone with no account."""

from django.urls import path

from . import public_views as views

app_name = "public_referral"
urlpatterns = [
    path("", views.start, name="start"),
    path("check-your-answers/", views.check, name="check"),
    path("sent/", views.sent, name="sent"),
    path("<slug:slug>/", views.question, name="question"),
]
