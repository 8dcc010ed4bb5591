"""Read log records as production writes them: through the stdout handler's filter and the
JSON formatter of settings.LOGGING."""

import copy
import json
import logging

from django.conf import settings
from django.utils.module_loading import import_string


def json_formatter() -> logging.Formatter:
    # Built from the settings, so a LOG_FORMAT=plain test run still checks the JSON lines.
    options = dict(settings.LOGGING["formatters"]["json"])
    return import_string(options.pop("()"))(**options)


def as_logged(record: logging.LogRecord) -> str:
    """The JSON line production writes for `record`."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "stdout")
    record = copy.copy(record)
    assert handler.filter(record)
    return json_formatter().format(record)


def logged(caplog) -> list[dict]:
    """Every captured record as the JSON object production writes."""
    return [json.loads(as_logged(record)) for record in caplog.records]
