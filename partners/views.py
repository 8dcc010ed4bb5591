from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import BilateralPartner, Organisation


def partner_list(request: HttpRequest) -> HttpResponse:
    ctx = {
        "partners": BilateralPartner.objects.filter(active=True),
        "organisations": Organisation.objects.active().select_related("via"),
    }
    return render(request, "partners/partner_list.html", ctx)
