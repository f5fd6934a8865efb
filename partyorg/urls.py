from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from organizations import views as organization_views

if settings.ADMIN_REQUIRE_OTP:
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

admin.site.site_header = "Quản trị partyorg"
admin.site.site_title = "partyorg"

urlpatterns = [
    path("", organization_views.home, name="home"),
    path("dang-nhap/", account_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("accounts.urls")),
    path("to-chuc/", include("organizations.urls")),
    path("dang-vien/", include("members.urls")),
    path("ket-nap/", include("admissions.urls")),
    path("admin/", admin.site.urls),
]
