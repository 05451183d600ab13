"""Deployment checks for sign-in (`cme check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def trusted_proxies_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Behind a load balancer with no trusted proxies, every client has the balancer's
    address: one person's wrong passwords would lock everyone out of the same address."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.CME_TRUSTED_PROXIES:
        return [
            Warning(
                "CME_TRUSTED_PROXIES is empty, so X-Forwarded-For is ignored and every client "
                "appears to come from the proxy's address.",
                hint="Set CME_TRUSTED_PROXIES to your load balancers' addresses or networks.",
                id="cme.W001",
            )
        ]
    return []
