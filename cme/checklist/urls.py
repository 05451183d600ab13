from django.urls import path

from . import views

app_name = "checklist"
urlpatterns = [
    path("", views.checklist_list, name="list"),
    path("new/", views.checklist_new, name="new"),
    path("<int:pk>/", views.checklist_detail, name="detail"),
    path("<int:pk>/steps/", views.checklist_step, name="step"),
    path("<int:pk>/send/", views.checklist_submit, name="submit"),
    path("<int:pk>/decision/", views.checklist_decide, name="decide"),
]
