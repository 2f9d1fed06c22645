"""Writing and sending newsletters. The same views serve the national desk
(/nyhetsbrev/redaksjon/..., slug None) and a district office's desk
(/distriktskontor/<slug>/nyhetsbrev/...), whose issues go to its region only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from newsletter.access import get_desk_for_user, get_issue_for_user
from newsletter.forms import IssueForm, ScheduleForm
from newsletter.models import Issue
from newsletter.rendering import markdown_to_html, render_issue
from newsletter.services import issues as issue_services
from newsletter.services.sending import issue_audience, issue_counts
from selvhjelp.mfa import staff_page


def _url(name: str, office, *args) -> str:
    if office is None:
        return reverse(f"newsletter:{name}", args=args)
    return reverse(f"district:newsletter-{name}", args=[office.slug, *args])


def _context(office, **extra) -> dict:
    layout = "district/layout.html" if office else "newsletter/desk_layout.html"
    return {"office": office, "layout": layout, **extra}


@staff_page
@login_required
@never_cache
def issue_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    office = get_desk_for_user(request, slug)
    issues = Issue.objects.visible_to(office=office).only(
        "pk", "subject", "status", "scheduled_at", "sent_at", "newsletter_list", "created_at"
    )[:200]
    return render(
        request,
        "newsletter/desk/issue_list.html",
        _context(office, issues=issues, new_url=_url("issue-create", office)),
    )


@staff_page
@login_required
@never_cache
def issue_edit(request: HttpRequest, slug: str | None = None, pk: int | None = None):
    if pk is None:
        office = get_desk_for_user(request, slug)
        issue = Issue(office=office)
    else:
        issue, office = get_issue_for_user(request, pk, slug)
        if not issue.is_editable:
            return redirect(_url("issue-detail", office, issue.pk))
    form = IssueForm(request.POST or None, instance=issue, office=office)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.office = office  # never from the form: a desk writes to its own region only
        issue_services.issue_save(issue=issue, user=request.user)
        return redirect(_url("issue-detail", office, issue.pk))
    context = _context(office, form=form, issue=issue)
    return render(request, "newsletter/desk/issue_form.html", context)


def _detail_context(issue: Issue, office, schedule_form: ScheduleForm) -> dict:
    counts = None if issue.is_editable else issue_counts(issue)
    names = ["issue-update", "issue-text", "issue-test", "issue-schedule", "issue-cancel",
             "issue-pause", "issue-resume", "issue-progress"]  # fmt: skip
    return _context(
        office,
        issue=issue,
        # The body exactly as it will be sent: rendered and sanitised (rendering.py).
        preview_body=markdown_to_html(issue.body_markdown),
        schedule_form=schedule_form,
        audience=issue_audience(issue).count() if issue.is_editable else None,
        counts=counts,
        minutes_left=(eta_seconds(issue, counts) + 59) // 60 if counts else None,
        urls={name.replace("-", "_"): _url(name, office, issue.pk) for name in names},
    )


@staff_page
@login_required
@never_cache
def issue_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """The preview, and what can be done with the issue now."""
    issue, office = get_issue_for_user(request, pk, slug)
    return render(
        request, "newsletter/desk/issue_detail.html", _detail_context(issue, office, ScheduleForm())
    )


@staff_page
@login_required
@never_cache
def issue_text(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    issue, office = get_issue_for_user(request, pk, slug)
    _html, text = render_issue(issue).for_recipient(
        preferences_url="(lenke)", unsubscribe_url="(lenke)"
    )
    return render(
        request,
        "newsletter/desk/issue_text.html",
        _context(office, issue=issue, text=text, back=_url("issue-detail", office, issue.pk)),
    )


@staff_page
@login_required
def issue_test(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    issue, office = get_issue_for_user(request, pk, slug)
    if request.method != "POST":  # after the access check: outsiders get 404, not 405
        return HttpResponseNotAllowed(["POST"])
    issue_services.issue_test_send(issue=issue, user=request.user)
    messages.success(request, _("En prøve er sendt til %(email)s.") % {"email": request.user.email})
    return redirect(_url("issue-detail", office, issue.pk))


@staff_page
@login_required
def issue_schedule(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    issue, office = get_issue_for_user(request, pk, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            issue_services.issue_schedule(issue=issue, send_at=form.cleaned_data["send_at"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(_url("issue-detail", office, issue.pk))
        issue.refresh_from_db()
    return render(
        request,
        "newsletter/desk/issue_detail.html",
        _detail_context(issue, office, form),
        status=400,
    )


def _action(service):
    @staff_page
    @login_required
    def view(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
        issue, office = get_issue_for_user(request, pk, slug)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not service(issue=issue):
            messages.info(request, _("Nyhetsbrevet var endret i mellomtiden. Slik er det nå."))
        return redirect(_url("issue-detail", office, issue.pk))

    return view


issue_cancel = _action(issue_services.issue_cancel)
issue_pause = _action(issue_services.issue_pause)
issue_resume = _action(issue_services.issue_resume)


@staff_page
@login_required
@never_cache
def issue_progress(request: HttpRequest, pk: int, slug: str | None = None) -> JsonResponse:
    """For the progress bar's script (static/js/newsletter-progress.js)."""
    issue, _office = get_issue_for_user(request, pk, slug)
    counts = issue_counts(issue)
    return JsonResponse({"status": issue.status, **counts, **_eta(issue, counts)})


def _eta(issue: Issue, counts: dict) -> dict:
    """Seconds left at the rate so far (or the configured rate before anything went out)."""
    done = counts["sent"] + counts["failed"]
    rate = settings.NEWSLETTER_RATE_PER_SECOND
    if issue.started_at and done:
        elapsed = (timezone.now() - issue.started_at).total_seconds()
        if elapsed > 0:
            rate = min(rate, done / elapsed) or rate
    return {"seconds_left": int(counts["remaining"] / rate) if counts["remaining"] else 0}


def eta_seconds(issue: Issue, counts: dict) -> int:
    return _eta(issue, counts)["seconds_left"]
