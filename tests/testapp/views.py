import swapper
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.html import escape

Page = swapper.load_model("wagtailcore", "Page")


def stock_search(request):
    """The search view of a site made by ``wagtail start``, reduced to its query.

    Like the stock view it searches ``Page.objects.live()`` without ``.public()``.
    """
    query = request.GET.get("query")
    results = Page.objects.live().search(query) if query else Page.objects.none()
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return HttpResponse(
        "<ul>" + "".join(f"<li>{escape(result.title)}</li>" for result in page) + "</ul>"
    )
