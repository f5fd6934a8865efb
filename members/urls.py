from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.member_create, name="create"),
    path("xuat-excel/", views.member_export, name="export"),
    path("xuat-excel/cua-toi/", views.member_export_list, name="export_list"),
    path("xuat-excel/<int:pk>/", views.member_export_detail, name="export_detail"),
    path("xuat-excel/<int:pk>/tien-do/", views.member_export_status, name="export_status"),
    path("xuat-excel/<int:pk>/tai-ve/", views.member_export_download, name="export_download"),
    path("nhap-excel/", views.roster_import, name="import"),
    path("nhap-excel/<int:pk>/", views.roster_import_detail, name="import_detail"),
    path("nhap-excel/<int:pk>/tien-do/", views.roster_import_status, name="import_status"),
    path("nhap-excel/<int:pk>/xac-nhan/", views.roster_import_confirm, name="import_confirm"),
    path("nhap-excel/<int:pk>/kiem-tra-lai/", views.roster_import_retry, name="import_retry"),
    path("to-chuc/<int:pk>/", views.organization_members_panel, name="organization_panel"),
    path("du-bi/to-chuc/<int:pk>/", views.probation_panel, name="probation_panel"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/sua/", views.member_edit, name="edit"),
    path("<int:pk>/tinh-trang/", views.member_change_status, name="change_status"),
    path("<int:pk>/chuyen-sinh-hoat/", views.member_transfer, name="transfer"),
    path("<int:pk>/xem-cccd/", views.member_reveal_personal_id, name="reveal_personal_id"),
    path("<int:pk>/doi-cccd/", views.member_change_personal_id, name="change_personal_id"),
]
