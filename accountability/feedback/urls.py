from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.queue, name="queue"),
    path("feedback/new/", views.feedback_new, name="new"),
    path("feedback/mine/", views.mine, name="mine"),
    path("feedback/bulk-assign/", views.bulk_assign, name="bulk-assign"),
    path("feedback/<int:pk>/", views.detail, name="detail"),
    path("feedback/<int:pk>/assign/", views.assign, name="assign"),
    path("feedback/<int:pk>/reply/", views.reply, name="reply"),
    path("feedback/<int:pk>/note/", views.note, name="note"),
    path("feedback/<int:pk>/status/", views.move, name="move"),
    path("feedback/<int:pk>/message/", views.sender_message, name="sender-message"),
    path("feedback/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("feedback/<int:pk>/messages/<int:message_pk>/attachment/", views.attachment, name="message-attachment"),
    # The public channel: no account needed.
    path("report/", views.report, name="report"),
    path("report/follow-up/", views.follow_up, name="report-follow-up"),
]
