from django.urls import path

from . import agency_views, key_work_views, manage_views, second_factor, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("sign-in/second-factor/", second_factor.verify, name="second-factor"),
    path("sign-in/second-factor/set-up/", second_factor.setup, name="second-factor-setup"),
    # Under /sign-in/ so that it opens before the second factor is set up.
    path("sign-in/set-up/<str:token>/", second_factor.enrol, name="enrol"),
    path("accounts/", manage_views.user_list, name="users"),
    path("accounts/locked/", manage_views.locked_list, name="locked"),
    path("accounts/locked/unlock/", manage_views.unlock, name="unlock"),
    path("accounts/<int:pk>/role/", manage_views.role_change, name="role-change"),
    path("accounts/<int:pk>/set-up-link/", manage_views.set_up_link, name="set-up-link"),
    path("organisations/key-work/", key_work_views.organisations, name="key-work"),
    path("organisations/agencies/", agency_views.agency_list, name="agencies"),
    path("organisations/agencies/new/", agency_views.agency_new, name="agency-new"),
    path("organisations/agencies/<int:organisation_id>/", agency_views.agency_edit, name="agency"),
]
