from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Refusals go to the audit trail (paths carry ids only), not as tracebacks to the log."""
    from cme.audit.services import audit_refusal

    audit_refusal(
        actor=getattr(request, "user", None),
        path=request.path,
        method=request.method or "",
        status=403,
        api=False,
    )
    return render(request, "core/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A record outside the user's scope or missing: someone may be probing for records, so it
    goes to the audit trail. Only for paths that matched a route (ids, not typed words); a path
    that matches nothing is noise from crawlers and is not recorded."""
    if request.resolver_match is not None:
        from cme.audit.services import audit_refusal

        audit_refusal(
            actor=getattr(request, "user", None),
            path=request.path,
            method=request.method or "",
            status=404,
            api=False,
        )
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app can reach its database; 503 otherwise. Says nothing more."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
