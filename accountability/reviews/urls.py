from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="list"),
    path("reviews/new/", views.review_open, name="open"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/score/", views.review_score, name="score"),
    path("reviews/<int:pk>/propose/", views.review_propose, name="propose"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="approve"),
    path("reviews/<int:pk>/return/", views.review_return, name="return"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/report/", views.campaign_report, name="campaign-report"),
]
