from django.urls import path

from . import views

app_name = "worklist"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/<str:bucket>/", views.queue, name="queue"),
    path("referrals-made/", views.referrals_made_list, name="referrals-made"),
]
