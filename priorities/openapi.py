"""The OpenAPI 3.1 description of the open data API (priorities/api.py), served as JSON.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the tests check every response against them.
The document says exactly which query values the API accepts: those of the search form
(priorities/search.py), whose slugs, codes and years come from the database, so the served
document lists them (tests/test_api_contract.py; Schemathesis in tests/test_api_schemathesis.py).
"""

import copy

from django import forms
from django.conf import settings

from partners.models import Organisation, Seat

from .models import Activity, Participant, Status, Visit
from .search import ActivitySearchForm

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URI = {"type": "string", "format": "uri"}
INTEGER = {"type": "integer"}
YEAR = {"type": ["integer", "null"], "minimum": 1900, "maximum": 2200}


def _object(properties: dict, description: str = "") -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


HELD_BY = {
    "type": "array",
    "items": STRING,
    "description": "Slugs of the county authorities that hold the relation now and follow it "
    "up (after the 2024 split, Vestfold and/or Telemark); empty when not recorded.",
}

SCHEMAS = {
    "Translated": {
        "type": "object",
        "description": "A text in bokmål (nb), nynorsk (nn) and English (en); a missing "
        "translation falls back to bokmål, as on the site.",
        "properties": dict.fromkeys(LANGUAGES, STRING),
        "required": LANGUAGES,
        "additionalProperties": False,
    },
    "Label": _object({"value": STRING, "label": _ref("Translated")}),
    "Status": _object(
        {
            "value": {"type": "string", "enum": list(Status.values)},
            "assessment": STRING,
            "date": DATE_TIME,
            "is_example": {
                "type": "boolean",
                "description": "Invented demo content: the assessment is an example.",
            },
            "county": {
                "type": ["string", "null"],
                "description": "The slug of the county authority that made the assessment.",
            },
        },
        "The commitment's latest status update.",
    ),
    "Commitment": _object(
        {
            "code": {"type": "string", "examples": ["3.1"]},
            "number": INTEGER,
            "text": _ref("Translated"),
            "url": URI,
            "status": {"oneOf": [_ref("Status"), {"type": "null"}]},
            "public_activity_count": INTEGER,
            "last_public_activity_on": _nullable(DATE),
        }
    ),
    "Priority": _object(
        {
            "number": INTEGER,
            "slug": STRING,
            "title": _ref("Translated"),
            "url": URI,
            "commitments": {"type": "array", "items": _ref("Commitment")},
        }
    ),
    "StrategySummary": _object(
        {
            "slug": STRING,
            "title": _ref("Translated"),
            "county": {"type": ["string", "null"], "description": "The county authority's slug."},
            "period_start": INTEGER,
            "period_end": INTEGER,
            "is_current": {
                "type": "boolean",
                "description": "The portal's current strategy, at the site's front page.",
            },
            "is_archived": {
                "type": "boolean",
                "description": "Ended: readable, but no new activities are logged against it.",
            },
            "url": URI,
        },
        "One of the portal's strategies.",
    ),
    "Strategy": _object(
        {
            "slug": STRING,
            "title": _ref("Translated"),
            "county": {"type": ["string", "null"], "description": "The county authority's slug."},
            "period_start": INTEGER,
            "period_end": INTEGER,
            "is_current": {"type": "boolean"},
            "is_archived": {"type": "boolean"},
            "adopted_by": _ref("Translated"),
            "adopted_on": DATE,
            "purpose": _ref("Translated"),
            "sdg_statement": _ref("Translated"),
            "decision": _object(
                {
                    "body": STRING,
                    "date": _nullable(DATE),
                    "case_number": STRING,
                    "url": _nullable(URI),
                }
            ),
            "url": URI,
            "statuses": {"type": "array", "items": _ref("Label")},
            "activity_kinds": {"type": "array", "items": _ref("Label")},
            "priorities": {"type": "array", "items": _ref("Priority")},
        },
        "The strategy with its priority areas, commitments and their current status.",
    ),
    "Activity": _object(
        {
            "id": INTEGER,
            "url": URI,
            "title": STRING,
            "kind": {"type": "string", "enum": list(Activity.Kind.values)},
            "start_date": DATE,
            "end_date": _nullable(DATE),
            "place": STRING,
            "country": {"type": ["string", "null"], "description": "ISO 3166 code, e.g. BE."},
            "description": STRING,
            "outcome": STRING,
            "commitment": {"type": "string", "description": "The commitment's code."},
            "priority": {"type": "string", "description": "The priority area's slug."},
            "partners": {"type": "array", "items": STRING, "description": "Partner slugs."},
            "organisations": {
                "type": "array",
                "items": STRING,
                "description": "Organisation slugs.",
            },
            "programme": {"type": ["string", "null"], "description": "Programme slug."},
            "county": {
                "type": ["string", "null"],
                "description": "Slug of the county authority the activity is attributed to.",
            },
            "measure": {
                "type": ["string", "null"],
                "description": "The title of the action plan's measure the activity carries "
                "out, if that measure is public.",
            },
            "link": _nullable(URI),
            "is_example": {
                "type": "boolean",
                "description": "Invented demo content: the activity is an example.",
            },
            "visit": {
                "oneOf": [_ref("Visit"), {"type": "null"}],
                "description": "A delegation visit's facts; null for other kinds.",
            },
            "created_at": DATE_TIME,
            "updated_at": DATE_TIME,
        },
        "A public activity.",
    ),
    "Visit": _object(
        {
            "direction": {"type": "string", "enum": list(Visit.Direction.values)},
            "purpose": STRING,
            "follow_up": STRING,
            "cost": {
                "type": ["string", "null"],
                "pattern": r"^\d+\.\d{2}$",
                "description": "In NOK, as a decimal string; null when not recorded or "
                "internal (costs are internal unless marked public).",
            },
            "participants": {"type": "array", "items": _ref("Participant")},
        },
        "The facts of a delegation visit (an activity of the kind delegation_visit).",
    ),
    "Participant": _object(
        {
            "role": {"type": "string", "enum": list(Participant.Role.values)},
            "name": {
                "type": ["string", "null"],
                "description": "Politicians and staff by name; null for others.",
            },
            "title": STRING,
            "organisation": STRING,
        },
        "Someone who took part in a visit: others are given by their organisation only.",
    ),
    "ActivityPage": _object(
        {
            "count": INTEGER,
            "page": INTEGER,
            "pages": INTEGER,
            "page_size": INTEGER,
            "next": _nullable(URI),
            "previous": _nullable(URI),
            "results": {"type": "array", "items": _ref("Activity")},
        }
    ),
    "Partner": _object(
        {
            "slug": STRING,
            "name": _ref("Translated"),
            "country": STRING,
            "cooperation_since": YEAR,
            "themes": _ref("Translated"),
            "agreement": _ref("Translated"),
            "agreement_signed": _nullable(DATE),
            "agreement_expires": _nullable(DATE),
            "coordinated_through": {"type": ["string", "null"]},
            "website": _nullable(URI),
            "active": {"type": "boolean"},
            "held_by": HELD_BY,
            "url": URI,
            "public_activity_count": INTEGER,
        },
        "A bilateral partner region.",
    ),
    "Organisation": _object(
        {
            "slug": STRING,
            "name": _ref("Translated"),
            "short_name": STRING,
            "kind": {"type": "string", "enum": list(Organisation.Kind.values)},
            "via": {"type": ["string", "null"], "description": "Slug, for indirect membership."},
            "member_since": YEAR,
            "member_until": YEAR,
            "seats_and_role": _ref("Translated"),
            "purpose": _ref("Translated"),
            "website": _nullable(URI),
            "active": {"type": "boolean"},
            "held_by": HELD_BY,
            "url": URI,
            "public_activity_count": INTEGER,
            "seats": {"type": "array", "items": _ref("Seat")},
        },
        "A member organisation, network or arena.",
    ),
    "Seat": _object(
        {
            "body": _ref("Translated"),
            "role": {"type": "string", "enum": list(Seat.Role.values)},
            "representative": STRING,
            "deputy": STRING,
            "term_start": DATE,
            "term_end": _nullable(DATE),
            "current": {"type": "boolean", "description": "False once the term has ended."},
            "is_example": {"type": "boolean"},
        },
        "A seat the county holds in one of the organisation's bodies.",
    ),
    "Programme": _object(
        {
            "slug": STRING,
            "name": _ref("Translated"),
            "short_name": STRING,
            "period_start": YEAR,
            "period_end": YEAR,
            "website": _nullable(URI),
            "public_activity_count": INTEGER,
        },
        "An EU cooperation programme.",
    ),
    "Error": {
        "type": "object",
        "properties": {
            "detail": STRING,
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": STRING},
            },
        },
        "required": ["detail"],
        "additionalProperties": False,
    },
}


def _list_of(name: str) -> dict:
    return _object({"results": {"type": "array", "items": _ref(name)}})


SCHEMAS["StrategyList"] = _list_of("StrategySummary")
SCHEMAS["PartnerList"] = _list_of("Partner")
SCHEMAS["OrganisationList"] = _list_of("Organisation")
SCHEMAS["ProgrammeList"] = _list_of("Programme")


def _response(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


RESPONSES = {
    "BadRequest": _response("A query parameter's value is not valid.", "Error"),
    "NotFound": _response("No such path, or nothing at it.", "Error"),
    "MethodNotAllowed": {
        **_response("The API is read-only: only GET and HEAD are served.", "Error"),
        "headers": {
            "Allow": {
                "description": "The methods served.",
                "schema": {"type": "string", "const": "GET, HEAD"},
            }
        },
    },
}


def _or_empty(schema: dict) -> dict:
    # As in the search page's form (a select's first option), an empty value is no filter.
    return {"anyOf": [schema, {"const": ""}]}


def _query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


FORM = ActivitySearchForm.base_fields
# Django's CharField refuses a NUL character.
NO_NUL = "^[^\\u0000]*$"
# Filters on a slug or code: the values come from the database (openapi_document(form)), an
# empty value is no filter, as in the search page's form. So do the years.
CHOICE_FILTERS = {
    "priority": "Priority area slug.",
    "commitment": "Commitment code, e.g. 3.1.",
    "partner": "Bilateral partner slug.",
    "organisation": "Organisation slug.",
    "programme": "EU programme slug.",
    "county": "County authority slug: only the activities attributed to it.",
}
# Every strategy-scoped answer takes it; the values come from the database.
STRATEGY_PARAMETER = _query(
    "strategy",
    "A strategy's slug (see /api/strategies/); empty or left out: the current strategy. "
    "Only that strategy's data is given.",
    STRING,
)
ACTIVITY_FILTERS = [
    STRATEGY_PARAMETER,
    _query(
        "q",
        'Full-text search (Norwegian stemming; "phrase", or, -word).',
        {"type": "string", "maxLength": FORM["q"].max_length, "pattern": NO_NUL},
    ),
    *(_query(name, description, STRING) for name, description in CHOICE_FILTERS.items()),
    _query(
        "kind",
        "Kind of activity; empty for every kind.",
        {"type": "string", "enum": ["", *Activity.Kind.values]},
    ),
    _query(
        "year",
        "Year of the activity's start date, from the strategy's first to this one; empty: all.",
        _or_empty(INTEGER),
    ),
    _query(
        "page",
        "Page number, from 1 (empty: 1); a page past the last is a 404.",
        _or_empty(
            {
                "type": "integer",
                "minimum": FORM["page"].min_value,
                "maximum": FORM["page"].max_value,
            }
        ),
    ),
]

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Strategiportalen open data",
        "version": "1.0.0",
        "description": "Read-only open data from Vestfold og Telemark County's follow-up of its "
        "international strategy: the strategy with the current status of each commitment, "
        "public activities, partners, organisations and programmes. Only public data is "
        "served, whoever asks. Texts in several languages are objects keyed nb, nn and en. "
        "Every answer is JSON: a method other than GET or HEAD is refused with "
        "MethodNotAllowed (405, with Allow), a path under /api/ that is not listed here with "
        "NotFound (404), an invalid query parameter with BadRequest (400).",
        "license": {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/no/2.0"},
    },
    "paths": {
        "/api/strategies/": {
            "get": {
                "operationId": "listStrategies",
                "summary": "The portal's strategies, the current one first",
                "responses": {"200": _response("Every strategy.", "StrategyList")},
            }
        },
        "/api/strategy/": {
            "get": {
                "operationId": "getStrategy",
                "summary": "A strategy's tree with current statuses",
                "parameters": [STRATEGY_PARAMETER],
                "responses": {
                    "200": _response("The strategy asked for, or the current one.", "Strategy"),
                    "400": RESPONSES["BadRequest"],
                    "404": _response("No strategy is loaded.", "Error"),
                },
            }
        },
        "/api/activities/": {
            "get": {
                "operationId": "listActivities",
                "summary": "Public activities, paginated, with the search page's filters",
                "description": "Newest first; with q, best match first.",
                "parameters": ACTIVITY_FILTERS,
                "responses": {
                    "200": _response("A page of activities.", "ActivityPage"),
                    "400": RESPONSES["BadRequest"],
                    "404": _response("The page is beyond the last page.", "Error"),
                },
            }
        },
        "/api/partners/": {
            "get": {
                "operationId": "listPartners",
                "summary": "Bilateral partners",
                "responses": {"200": _response("All bilateral partners.", "PartnerList")},
            }
        },
        "/api/organisations/": {
            "get": {
                "operationId": "listOrganisations",
                "summary": "Organisations and arenas",
                "responses": {"200": _response("All organisations.", "OrganisationList")},
            }
        },
        "/api/programmes/": {
            "get": {
                "operationId": "listProgrammes",
                "summary": "EU cooperation programmes",
                "responses": {"200": _response("All programmes.", "ProgrammeList")},
            }
        },
        "/api/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    },
    "components": {"schemas": SCHEMAS, "responses": RESPONSES},
}


# Paths and schemas of apps above priorities (the project register), which register them
# from their AppConfig.ready(): this module never imports them.
EXTRA_PATHS: dict = {}
EXTRA_SCHEMAS: dict = {}


def register_paths(paths: dict, schemas: dict) -> None:
    """Add an app's API paths (under /api/) and their schemas to the document."""
    EXTRA_PATHS.update(paths)
    EXTRA_SCHEMAS.update(schemas)


def openapi_document(form: ActivitySearchForm | None = None, strategies=None) -> dict:
    """The document; with the search form, its filters list the values the form accepts (those
    of the current strategy), and with the strategies, the `strategy` parameter theirs."""
    document = copy.deepcopy(DOCUMENT)
    document["paths"].update(copy.deepcopy(EXTRA_PATHS))
    document["components"]["schemas"].update(copy.deepcopy(EXTRA_SCHEMAS))
    if strategies is not None:
        schema = _or_empty({"type": "string", "enum": [s.slug for s in strategies]})
        for operation in ("/api/strategy/", "/api/activities/"):
            for parameter in document["paths"][operation]["get"]["parameters"]:
                if parameter["name"] == "strategy":
                    parameter["schema"] = schema
    if form is not None:
        parameters = document["paths"]["/api/activities/"]["get"]["parameters"]
        for parameter in parameters:
            if parameter["name"] in CHOICE_FILTERS or parameter["name"] == "year":
                parameter["schema"] = _choice_schema(form.fields[parameter["name"]])
    return document


def _choice_schema(field) -> dict:
    values = [str(value) for value, _label in field.choices]
    if not isinstance(field, forms.TypedChoiceField):
        return {"type": "string", "enum": values}
    # The years of the strategy's period up to this one (report_years); none without one.
    years = sorted(int(value) for value in values if value)
    if not years:
        return _or_empty({"type": "integer", "enum": []})
    return _or_empty({"type": "integer", "minimum": years[0], "maximum": years[-1]})
