from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("ma-xac-thuc/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/", views.otp_enrol, name="otp_enrol"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
]
