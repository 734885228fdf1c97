"""The product's URLs plus `/_trivial` (`HttpResponse("ok")`), the yardstick of `make loadtest`."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("_trivial", trivial), path("", include("minsheng.urls"))]
