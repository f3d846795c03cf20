"""The address check behind every request the server makes on a user's behalf: which
addresses `dashboard.outbound` may connect to. Decisions only; nothing here opens a
connection (these addresses may route off the machine)."""

import ipaddress
import socket

import pytest

from dashboard.outbound import Limits, Refused, address_allowed, resolve_allowed, send


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "::ffff:127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "fd00:ec2::254",
        "100.100.100.200",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "fe80::1",
        "224.0.0.1",
        "255.255.255.255",
        "64:ff9b::a00:1",
        "2002:7f00:1::1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        # Forms of IPv6 that carry a private IPv4 address, and non-global IPv6 (issue 20)
        "::127.0.0.1",
        "::169.254.169.254",
        "::10.0.0.1",
        "::ffff:0:127.0.0.1",
        "::ffff:0:169.254.169.254",
        "::ffff:10.0.0.1",
        "64:ff9b::169.254.169.254",
        "64:ff9b:1::a9fe:a9fe",
        "2002:a9fe:a9fe::",
        "2002:c0a8:101::1",
        "fec0::1",
        "fec0::127.0.0.1",
        "feff::1",
        "fc00::1",
        "ff02::1",
        "100::1",
        "2001:db8::1",
        "2001:10::1",
        "::2",
        "4000::1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert not address_allowed(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "93.184.216.34",
        "2606:2800:220:1:248:1893:25c8:1946",
        "::ffff:8.8.8.8",
        "2a00:1450:4009:81f::200e",
        "2002:5db8:d822::1",  # 6to4 of a public address
    ],
)
def test_public_addresses_are_allowed(address):
    assert address_allowed(ipaddress.ip_address(address))


def test_allowing_loopback_allows_loopback_and_nothing_else_private():
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("::1"), allow_loopback=True)
    assert address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), allow_loopback=True)
    assert not address_allowed(ipaddress.ip_address("10.0.0.1"), allow_loopback=True)
    assert not address_allowed(ipaddress.ip_address("169.254.169.254"), allow_loopback=True)


@pytest.mark.parametrize(
    "host", ["0x7f000001", "2130706433", "0177.0.0.1", "127.1", "localhost", "::1"]
)
def test_other_spellings_of_loopback_are_refused_once_resolved(host):
    with pytest.raises(Refused) as caught:
        resolve_allowed(host, 80)
    assert caught.value.kind == "not_allowed"


def test_no_connection_is_opened_to_a_refused_address(monkeypatch):
    def connect(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", connect)
    limits = Limits(timeout=5, max_bytes=1000)
    for url in ("http://[::127.0.0.1]/", "http://[fec0::1]/", "http://[::ffff:0:a00:1]/"):
        with pytest.raises(Refused) as refused:
            send("POST", url, limits=limits, data={"code": "x"})
        assert refused.value.kind == "not_allowed"
