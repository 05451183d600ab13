from django.urls import path

from . import key_work_views, second_factor, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-in/second-factor/", second_factor.verify, name="second-factor"),
    path("sign-in/second-factor/set-up/", second_factor.setup, name="second-factor-setup"),
    path("organisations/key-work/", key_work_views.organisations, name="key-work"),
]
