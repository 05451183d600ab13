"""The CME manager's page of schools and their PAEWS officers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from .forms import PaewsOfficerForm, SchoolSearchForm
from .selectors import council_school_get, council_schools, paews_officers
from .services import establishment_set_paews_officer


@login_required
def paews_list(request: AuthedRequest) -> HttpResponse:
    search = SchoolSearchForm(request.GET or None)
    name = search.cleaned_data["name"] if search.is_valid() else ""
    page = council_schools(user=request.user, name=name, page_number=request.GET.get("page", 1))
    query = f"name={name}" if name else ""
    return render(
        request, "schools/paews_list.html", {"page": page, "search": search, "query": query}
    )


@login_required
def paews_officer(request: AuthedRequest, establishment_id: int) -> HttpResponse:
    school = council_school_get(user=request.user, establishment_id=establishment_id)
    if request.method == "POST":
        form = PaewsOfficerForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["officer"]
            officer = paews_officers().filter(pk=chosen).first() if chosen else None
            try:
                establishment_set_paews_officer(
                    establishment=school,
                    officer=officer,
                    expected_officer_id=form.cleaned_data["shown"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                # Show the latest: the officer named now, for the next attempt.
                school.refresh_from_db()
                latest = request.POST.copy()
                latest["shown"] = str(school.paews_officer_id or "")
                form.data = latest
            else:
                named = officer.get_full_name() if officer else "No one"
                messages.success(request, f"{named} is now the PAEWS officer for {school}")
                return redirect("schools:paews")
    else:
        form = PaewsOfficerForm(
            initial={"officer": school.paews_officer_id, "shown": school.paews_officer_id}
        )
    return render(request, "schools/paews_officer.html", {"school": school, "form": form})
