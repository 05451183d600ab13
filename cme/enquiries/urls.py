from django.urls import path

from . import inbox_views, incoming_views, views

app_name = "enquiries"
urlpatterns = [
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/send/<str:kind>/", views.send, name="send"),
    path("<int:enquiry_id>/", views.detail, name="detail"),
    path("<int:enquiry_id>/answer/", views.answer, name="answer"),
    path("<int:enquiry_id>/chase/", views.chase, name="chase"),
    path("<int:enquiry_id>/escalate/", views.escalate, name="escalate"),
    path("<int:enquiry_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:enquiry_id>/close-on-roll/", views.close_case_on_roll, name="close-on-roll"),
    path("<int:enquiry_id>/letter.pdf", views.letter, name="letter"),
    path("<int:enquiry_id>/emails/<int:email_id>/resend/", views.resend_email, name="resend-email"),
    path("inbox/", inbox_views.inbox_page, name="inbox"),
    path("inbox/<int:enquiry_id>/", inbox_views.inbox_detail, name="inbox-detail"),
    path("inbox/<int:enquiry_id>/letter.pdf", inbox_views.inbox_letter, name="inbox-letter"),
    path("incoming/", incoming_views.incoming_list, name="incoming"),
    path("incoming/<int:incoming_id>/", incoming_views.incoming_detail, name="incoming-detail"),
    path("incoming/<int:incoming_id>/check/", incoming_views.incoming_check, name="incoming-check"),
    path("sent/", incoming_views.sent_list, name="sent"),
    path("sent/new/", incoming_views.sent_new, name="sent-new"),
    path("sent/<int:incoming_id>/", incoming_views.sent_detail, name="sent-detail"),
    path("letters/", inbox_views.letters, name="letters"),
    path("letters/<str:kind>/", inbox_views.letter_edit, name="letter-edit"),
]
