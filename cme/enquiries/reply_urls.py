"""The secure link page for recipients with no account: outside sign-in, rate-limited."""

from django.urls import path

from . import inbox_views

app_name = "enquiry_reply"
urlpatterns = [
    path("<str:token>/", inbox_views.reply, name="reply"),
]
