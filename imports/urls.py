from django.urls import path

from . import views

app_name = "imports"


def list_urls(prefix: str, name: str, importer):
    """One list's pages; a run's pages without an id show the member's latest run."""
    kw = {"importer": importer}
    return [
        path(f"{prefix}", views.ImportUploadView.as_view(**kw), name=f"{name}upload"),
        path(f"{prefix}confirm/", views.ImportConfirmView.as_view(**kw), name=f"{name}confirm"),
        path(f"{prefix}example.csv", views.ImportExampleView.as_view(**kw),
             name=f"{name}example"),
        path(f"{prefix}run/", views.ImportRunView.as_view(**kw), name=f"{name}run"),
        path(f"{prefix}run/<int:run>/", views.ImportRunView.as_view(**kw), name=f"{name}run"),
        path(f"{prefix}run/status/", views.ImportRunStatusView.as_view(**kw),
             name=f"{name}run_status"),
        path(f"{prefix}run/<int:run>/status/", views.ImportRunStatusView.as_view(**kw),
             name=f"{name}run_status"),
        path(f"{prefix}run/errors.txt", views.ImportRunErrorsView.as_view(**kw),
             name=f"{name}run_errors"),
        path(f"{prefix}run/<int:run>/errors.txt", views.ImportRunErrorsView.as_view(**kw),
             name=f"{name}run_errors"),
    ]


urlpatterns = [
    *list_urls("import/", "import_", views.ENROLMENTS),
    *list_urls("employers/import/", "employer_import_", views.EMPLOYERS),
]
