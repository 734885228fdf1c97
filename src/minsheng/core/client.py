"""The client's address (客户端地址) for lockout, rate limits and audit rows.

`REMOTE_ADDR` unless the connection comes from a proxy listed in MINSHENG_TRUSTED_PROXIES: then the
right-most hop of X-Forwarded-For that is not itself a trusted proxy. The left-most entries are whatever
the client wrote, so they are never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [v6]:port
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # v4:port
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address to key locks and limits on and to record (at most 45 characters)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(getattr(settings, "MINSHENG_TRUSTED_PROXIES", ()) or ()))
    peer = _parse(remote)
    if not networks or peer is None or not _trusted(peer, networks):
        return remote[:45]
    chosen = peer
    hops = str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage: keep the last address a trusted proxy vouched for
        chosen = address
        if not _trusted(address, networks):
            break
    return str(chosen)[:45]
