from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(request) -> int:
    """How many queries one request (a zero-argument callable) makes; it must succeed."""
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries)
