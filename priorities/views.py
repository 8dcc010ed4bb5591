from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Commitment, Strategy


def overview(request: HttpRequest) -> HttpResponse:
    strategy = Strategy.objects.current()
    priorities = []
    if strategy is not None:
        priorities = strategy.priorities.prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.with_public_stats())
        )
    ctx = {"strategy": strategy, "priorities": priorities}
    return render(request, "priorities/overview.html", ctx)
