from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/thanh-lap/", views.organization_create_child, name="create_child"),
    path("<int:pk>/chuyen/", views.organization_move, name="move"),
    path("<int:pk>/hop-nhat/", views.organization_merge, name="merge"),
]
