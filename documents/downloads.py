"""A file of the private documents' storage handed out as a response, by a view that has
checked who asks (staff through the reach table, an employer through a live card link)."""

import logging

from django.http import FileResponse

logger = logging.getLogger(__name__)


def stored_file_response(stored, *, filename: str, content_type: str,
                         download: bool) -> FileResponse | None:
    """None if the file cannot be read (gone from the storage)."""
    try:
        file = stored.open("rb")
    except OSError:
        logger.warning("stored document not readable", exc_info=True)
        return None
    response = FileResponse(file, as_attachment=download, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
