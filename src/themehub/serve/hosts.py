"""Who can reach the preview: the address to print, and the Host names it answers to.

Answering only Host names of this machine is the defence against DNS rebinding: a web page on
evil.example whose name is re-pointed at this machine still sends `Host: evil.example`, and gets 403.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})

# A UDP socket "connected" to these picks the interface of the route to them without sending anything:
# a private address (IPv4) and the documentation prefix (IPv6), neither of which is ever reached.
_PROBES = ((socket.AF_INET, "10.255.255.255"), (socket.AF_INET6, "2001:db8::1"))


@dataclass(frozen=True)
class Exposure:
    public: bool
    """Bound to an address other machines can reach."""
    url_host: str
    """The host of the URL to print: the LAN address when bound to every interface."""
    allowed_hosts: frozenset[str]
    """Host header names (lower case, no port) that are answered; others get 403."""


def exposure_for(bind_host: str) -> Exposure:
    host = bind_host.strip().lower()
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if bare not in WILDCARDS and _is_loopback(bare):
        return Exposure(False, _bracketed(bare), LOOPBACK_NAMES | {host, _bracketed(bare)})
    lan = lan_addresses()
    names = set(LOOPBACK_NAMES)
    hostname = socket.gethostname().lower().rstrip(".")
    if hostname:
        names |= {hostname, f"{hostname.split('.')[0]}.local"}
        with contextlib.suppress(OSError, UnicodeError):
            names.add(socket.getfqdn(hostname).lower().rstrip("."))
        with contextlib.suppress(OSError, UnicodeError):
            names |= {_bracketed(str(info[4][0]).split("%")[0]) for info in socket.getaddrinfo(hostname, None)}
    names |= {_bracketed(ip) for ip in lan}
    names |= {host, _bracketed(bare)} - {""}  # the bound address, as typed (http://0.0.0.0:8000 too)
    url_host = (_bracketed(lan[0]) if lan else "127.0.0.1") if bare in WILDCARDS else _bracketed(bare)
    return Exposure(True, url_host, frozenset(names))


def lan_addresses() -> list[str]:
    """This machine's addresses on its default routes (IPv4 first), found without sending a packet."""
    found = []
    for family, probe in _PROBES:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = str(s.getsockname()[0]).split("%")[0]
        except OSError:  # no route of that family: not on a network
            continue
        with contextlib.suppress(ValueError):
            ip = ipaddress.ip_address(address)
            if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
                found.append(address)
    return found


def host_allowed(allowed: frozenset[str], value: str) -> bool:
    """Whether a Host header (or an absolute-form request's authority) names this server."""
    host = value.strip().lower()
    # Without the port: "[::1]:8000" -> "[::1]", "example.com:8000" -> "example.com".
    name = host[: host.find("]") + 1] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
    return name.rstrip(".") in allowed


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(ipaddress.ip_address(str(i[4][0]).split("%")[0]).is_loopback for i in infos)


def _bracketed(address: str) -> str:
    """The form an address takes in a Host header: IPv6 literals in brackets."""
    return f"[{address}]" if ":" in address else address
