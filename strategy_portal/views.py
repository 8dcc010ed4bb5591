"""Project-wide error pages."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger("strategy_portal.errors")

RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """500 handler: a lost database connection is a temporary outage, so answer 503.

    Django calls this inside its exception handler, so the exception is still current. With
    CONN_HEALTH_CHECKS the next request reconnects by itself once the database is back.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, (OperationalError, InterfaceError)):
        logger.error("database unavailable", extra={"error": str(exception).strip()[:200]})
        response = HttpResponse(
            loader.render_to_string("503.html"), status=503, content_type="text/html"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"), content_type="text/html")
