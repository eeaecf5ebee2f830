"""站内通知: the header's bell, the list of a user's notices, opening one (marks it
read and goes to its link) and 全部标为已读. A user only ever sees and marks their
own notices."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from org import outbound

PAGE_SIZE = 30


def local_url(request: HttpRequest, url: str) -> str | None:
    """``url`` when it stays on this site (a path such as /report/…), else None: a
    notice's link never sends its reader elsewhere."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else None


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(outbound.notices_of(request.user).select_related("actor"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "org/notices.html", {"page": page})


@login_required
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go where it points (its list when it points nowhere
    or off the site). Another user's notice is not found, and stays as it was."""
    message = outbound.open_notice(request.user, pk)
    if message is None:
        raise Http404("没有这条通知。")
    return redirect(local_url(request, message.link) or reverse("notices"))


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    outbound.mark_read(request.user)
    back = local_url(request, request.POST.get("next") or "")
    return redirect(back or reverse("notices"))
