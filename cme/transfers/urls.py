from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:transfer_id>/", views.detail, name="detail"),
    path("<int:transfer_id>/sent/", views.mark_sent, name="mark-sent"),
    path("<int:transfer_id>/upload/", views.upload, name="upload"),
    path("<int:transfer_id>/confirm/", views.confirm, name="confirm"),
    path("<int:transfer_id>/return/", views.send_back, name="return"),
    path("<int:transfer_id>/cancel/", views.cancel, name="cancel"),
    path("<int:transfer_id>/file/", views.file_download, name="file"),
    path("cases/<int:case_id>/left-roll/", views.left_roll, name="left-roll"),
    path("children/<int:child_id>/ctf/", views.child_export, name="child-export"),
]
