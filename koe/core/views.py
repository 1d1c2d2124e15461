from django.conf import settings
from django.contrib.auth import logout
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/privacy.html",
        {"policy_version": settings.KOE_PRIVACY_POLICY_VERSION},
    )


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and every migration is applied, 503 otherwise."""
    try:
        connection.ensure_connection()
        pending = _pending_migrations()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    if pending:
        return JsonResponse({"status": "migrations pending", "pending": pending}, status=503)
    return JsonResponse({"status": "ok"})


@csrf_exempt  # leaving must never fail, and it changes nothing but the visitor's own session
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Ends the session and asks the browser to forget Koe, then shows a neutral site."""
    logout(request)
    response = HttpResponseRedirect(settings.KOE_QUICK_EXIT_URL)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response.headers["Cache-Control"] = "no-store"
    return response
