from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/example.csv", views.ImportExampleView.as_view(), name="import_example"),
    path("employers/import/", views.ImportUploadView.as_view(
        importer=views.EMPLOYERS), name="employer_import_upload"),
    path("employers/import/confirm/", views.ImportConfirmView.as_view(
        importer=views.EMPLOYERS), name="employer_import_confirm"),
    path("employers/import/example.csv", views.ImportExampleView.as_view(
        importer=views.EMPLOYERS), name="employer_import_example"),
]
