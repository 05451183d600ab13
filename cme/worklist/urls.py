from django.urls import path

from . import views

app_name = "worklist"
urlpatterns = [
    path("", views.home, name="home"),
    path("referrals-made/", views.referrals_made_list, name="referrals-made"),
]
