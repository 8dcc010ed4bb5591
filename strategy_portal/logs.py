"""Request logging and the filter that keeps secrets out of the structured logs."""

import logging
import time

request_logger = logging.getLogger("strategy_portal.request")


class DropRequestObject(logging.Filter):
    """Django attaches the request to some records (django.request, django.security).

    Never serialise it: it carries cookies, the session id and the CSRF token. Keep only
    what helps to read the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.pop("request", None)
        if request is not None:
            record.method = getattr(request, "method", None)
            record.path = getattr(request, "path", None)
        return True


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration and user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                # META, not request.headers: that builds a dict of every header (cached pages
                # are logged too, and cost little more than this line).
                "htmx": request.META.get("HTTP_HX_REQUEST") == "true",
            },
        )
        return response
