from jobcenters.models import Jobcenter

from .models import ExportRecord


def export_record(*, jobcenter: Jobcenter, user, kind: str, parameters: dict) -> ExportRecord:
    """Record that social data left or entered the application (kinds: ExportRecord)."""
    return ExportRecord.objects.create(jobcenter=jobcenter, user=user, kind=kind,
                                       parameters=parameters)
