from django.urls import path

from . import views

app_name = "rules"

urlpatterns = [
    path("rules/", views.register, name="register"),
    path("rules/board/", views.board, name="board"),
    path("rules/new/", views.rule_create, name="create"),
    path("rules/consultations/", views.consultation_list, name="consultations"),
    path("rules/consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("rules/consultations/<int:pk>/close/", views.consultation_close, name="consultation-close"),
    path("rules/comments/<int:pk>/decide/", views.comment_decide, name="comment-decide"),
    path("rules/<str:code>/", views.detail, name="detail"),
    path("rules/<str:code>/amend/", views.amend, name="amend"),
    path("rules/<str:code>/abolish/", views.abolish, name="abolish"),
    path("rules/<str:code>/compare/", views.compare, name="compare"),
    path("rules/<str:code>/history/", views.history, name="history"),
    path("rules/<str:code>/v/<int:number>/", views.version_detail, name="version"),
    path("rules/<str:code>/v/<int:number>/edit/", views.version_edit, name="edit"),
    path("rules/<str:code>/v/<int:number>/consult/", views.consultation_open, name="consult"),
    path("rules/<str:code>/v/<int:number>/submit/", views.version_submit, name="submit"),
    path("rules/<str:code>/v/<int:number>/approve/", views.version_approve, name="approve"),
    path("rules/<str:code>/v/<int:number>/send-back/", views.version_send_back, name="send-back"),
    path("rules/<str:code>/v/<int:number>/withdraw/", views.version_withdraw, name="withdraw"),
]
