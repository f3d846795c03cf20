"""The environment colours in static/css/environments.css: each carries the band's white text
(4.5:1), and no two are near enough in hue to be mistaken for each other at a glance (the
band is how an engineer tells production from staging)."""

import colorsys
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.html import one, parse

CSS = Path(settings.BASE_DIR) / "static" / "css" / "environments.css"


def colours() -> dict[str, str]:
    found = re.findall(
        r"\.environment--(\w+) \{ --environment: #([0-9a-f]{6}); \}", CSS.read_text()
    )
    return dict(found)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def hue(hex_colour: str) -> float:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return colorsys.rgb_to_hsv(red, green, blue)[0] * 360


def test_every_colour_carries_white_text():
    assert set(colours()) == {"red", "amber", "green", "blue", "purple", "grey"}
    for name, value in colours().items():
        assert 1.05 / (luminance(value) + 0.05) >= 4.5, name


def test_no_two_coloured_environments_are_close_in_hue():
    coloured = {name: hue(value) for name, value in colours().items() if name != "grey"}
    for (a, hue_a), (b, hue_b) in itertools.combinations(coloured.items(), 2):
        apart = min(abs(hue_a - hue_b), 360 - abs(hue_a - hue_b))
        assert apart >= 25, f"{a} and {b} are {apart:.0f}° apart"


def test_every_colour_has_a_tab_icon_of_its_own():
    icons = Path(settings.BASE_DIR) / "static" / "favicons"
    for name, hex_colour in colours().items():
        assert f'fill="#{hex_colour}"' in (icons / f"{name}.svg").read_text(), name


@pytest.mark.django_db
def test_each_environment_s_pages_wear_its_colour_in_the_tab_icon(ops_client, both):
    production = parse(ops_client.get("/connectors/").content.decode())
    staging = parse(ops_client.get("/env/staging/connectors/").content.decode())
    login = parse(Client().get(reverse("login")).content.decode())

    assert one(production, "link[rel=icon]")["href"].startswith("/static/favicons/red.")
    assert one(staging, "link[rel=icon]")["href"].startswith("/static/favicons/amber.")
    assert one(login, "link[rel=icon]")["href"].startswith("/static/favicons/")
