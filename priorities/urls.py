from django.urls import include, path

from . import feeds, imports, reports, search, views, workspace

app_name = "priorities"

# The pages of one strategy. Registered twice under the same names: at today's addresses for
# the current strategy, and under strategier/<slug>/ for any strategy. reverse() picks the
# pattern by the arguments given; Strategy.url() and priorities.models.strategy_url() give
# the right one for a strategy. A new page of a strategy (the action plan, …) is added here,
# its view decorated with views.strategy_page.
STRATEGY_PAGES = [
    path("", views.overview, name="overview"),
    path("prioriteringer/<slug:slug>/", views.priority, name="priority"),
    path("prioriteringer/<slug:slug>/<int:number>/", views.commitment, name="commitment"),
    # Yearly report and downloads, search and feeds (issue 6)
    path("rapport/", reports.report_index, name="report_index"),
    path("rapport/<int:year>/", reports.report, name="report"),
    path("rapport/<int:year>/aktiviteter.csv", reports.report_csv, name="report_csv"),
    path("rapport/<int:year>/aktiviteter.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("aktiviteter/", search.search, name="search"),
    path("feed/", feeds.latest_activities, name="feed"),
    path(
        "prioriteringer/<slug:slug>/<int:number>/feed/",
        feeds.commitment_activities,
        name="commitment_feed",
    ),
    path("mitt-arbeid/", workspace.my_work, name="my_work"),
]

urlpatterns = [
    *STRATEGY_PAGES,
    path("strategier/", views.strategy_list, name="strategies"),
    path("strategier/<slug:strategy>/", include(STRATEGY_PAGES)),
    path("aktiviteter/<int:pk>/", views.activity, name="activity"),
    path("tilgjengelighetserklaering/", views.accessibility, name="accessibility"),
    path("import/", imports.import_activities, name="import"),
    # Staff workspace (priorities/workspace.py)
    path(
        "prioriteringer/<slug:slug>/<int:number>/aktiviteter/ny/",
        workspace.activity_create,
        name="activity_create",
    ),
    path("aktiviteter/<int:pk>/endre/", workspace.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/slett/", workspace.activity_delete, name="activity_delete"),
    path("aktiviteter/<int:pk>/historikk/", workspace.activity_history, name="activity_history"),
    path(
        "prioriteringer/<slug:slug>/<int:number>/status/",
        workspace.status_create,
        name="status_create",
    ),
]
