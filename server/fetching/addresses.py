"""Which IP addresses the server may connect to when it fetches on a caller's behalf.

`refusal(address, allow_loopback=False) -> str | None` takes one IP address (a string,
IPv4 or IPv6, optionally with a `%zone`) and returns None when it is a public unicast
address, else a short reason ("loopback", "private", "link-local (cloud metadata)",
...). IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
IPv4-translated ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside them, so
`::ffff:127.0.0.1` is as loopback as `127.0.0.1`.

The tables are spelled out rather than left to `ipaddress.is_global`, whose answers
have changed between Python releases; `is_global` is still consulted last as a net.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

_V4 = [(IPv4Network(net), why) for net, why in (
    ("0.0.0.0/8", "unspecified ('this network')"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "carrier-grade NAT (shared address space)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local (cloud metadata lives here)"),
    # A public-looking address every Azure VM reaches as its host's control endpoint
    # (configuration, certificates): a metadata service outside 169.254/16.
    ("168.63.129.16/32", "cloud host endpoint (Azure wireserver)"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved (IETF protocol assignments)"),
    ("192.0.2.0/24", "reserved (documentation)"),
    ("192.88.99.0/24", "reserved (6to4 relay anycast)"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "reserved (benchmarking)"),
    ("198.51.100.0/24", "reserved (documentation)"),
    ("203.0.113.0/24", "reserved (documentation)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # includes 255.255.255.255, the broadcast address
)]

_V6 = [(IPv6Network(net), why) for net, why in (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b:1::/48", "local-use NAT64"),
    ("100::/64", "reserved (discard-only)"),
    ("2001::/23", "reserved (IETF protocol assignments, Teredo)"),
    ("2001:db8::/32", "reserved (documentation)"),
    ("3fff::/20", "reserved (documentation)"),
    ("fc00::/7", "private (unique local)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "private (site-local)"),
    ("ff00::/8", "multicast"),
)]

_NAT64 = IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = IPv6Network("::/96")
# IPv4-translated addresses (SIIT, RFC 2765): `::ffff:0:a.b.c.d`, distinct from IPv4-mapped.
_IPV4_TRANSLATED = IPv6Network("::ffff:0:0:0/96")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_LOOPBACK_REASON = "loopback"


def parse(address: str) -> IPv4Address | IPv6Address:
    """The address without any IPv6 zone (`fe80::1%eth0`); ValueError when it is not one."""
    return ipaddress.ip_address(address.split("%", 1)[0].strip("[]"))


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, in the forms a network may translate."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or ip in _IPV4_TRANSLATED or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    return None


def refusal(address: str, allow_loopback: bool = False) -> str | None:
    """None when `address` is public; otherwise why it may not be reached."""
    try:
        ip = parse(address)
    except ValueError:
        return "not an IP address"
    if isinstance(ip, IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            why = _reason(inner)
            if why is None or (allow_loopback and why == _LOOPBACK_REASON):
                return None
            return f"{why}, inside an IPv6 address"
    why = _reason(ip)
    if why == _LOOPBACK_REASON and allow_loopback:
        return None
    return why


def _reason(ip: IPv4Address | IPv6Address) -> str | None:
    table = _V4 if isinstance(ip, IPv4Address) else _V6
    for network, why in table:
        if ip in network:
            return why
    if ip.is_multicast:
        return "multicast"
    if not ip.is_global:
        return "not globally routable"
    return None
