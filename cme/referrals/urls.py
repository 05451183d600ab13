from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/sent/", views.sent, name="sent"),
    path("<int:referral_id>/open-case/", views.open_case, name="open-case"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
]
