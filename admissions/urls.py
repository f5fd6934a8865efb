from django.urls import path

from . import print_views, views

app_name = "admissions"
urlpatterns = [
    path("", views.index, name="index"),
    path("to-chuc/<int:pk>/", views.board, name="board"),
    path("to-chuc/<int:pk>/han/", views.deadlines_panel, name="deadlines_panel"),
    path("to-chuc/<int:pk>/ke-hoach/", views.plan_panel, name="plan_panel"),
    path("to-chuc/<int:pk>/ke-hoach/sua/", views.plan_edit, name="plan_edit"),
    path("nguon/them/", views.candidate_create, name="candidate_create"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/in/", print_views.print_dossier, name="print_dossier"),
    path("ho-so/<int:pk>/in/<slug:form>/", print_views.print_form, name="print_form"),
    path("ho-so/<int:pk>/<slug:action>/", views.dossier_action, name="dossier_action"),
]
