"""Reading rendered pages as documents, not as strings: assertions name an element, a link or a
field, so markup that keeps its structure does not break them, and text inside an attribute or
a comment does not pass them. (That a secret is absent stays a check on the raw bytes.)"""

from bs4 import BeautifulSoup, Tag


def parse(page) -> BeautifulSoup:
    """A response (of Django's test client) or an HTML string, as a document."""
    html = page if isinstance(page, str) else page.content.decode()
    return BeautifulSoup(html, "html.parser")


def text(node: Tag) -> str:
    """The node's text as a reader sees it: whitespace runs become one space."""
    return " ".join(node.get_text(" ").split())


def texts(doc: Tag, selector: str) -> list[str]:
    """The text of every element `selector` matches."""
    return [text(node) for node in doc.select(selector)]


def one(doc: Tag, selector: str) -> Tag:
    """The one element `selector` matches (fails on none or several)."""
    found = doc.select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def hrefs(doc: Tag) -> set[str]:
    """Every link target (`&amp;` already read as `&`)."""
    return {node["href"] for node in doc.select("a[href]")}


def field_value(doc: Tag, name: str) -> str:
    """What the form field `name` holds: a textarea's text, an input's value, a select's
    selected option."""
    node = one(doc, f'[name="{name}"]')
    if node.name == "textarea":
        return node.get_text().removeprefix("\n")
    if node.name == "select":
        return ", ".join(option["value"] for option in node.select("option[selected]"))
    return node.get("value", "")


def sentence(node: Tag) -> str:
    """The node's text with inline markup run in, as a sentence reads (`<code>x</code>: y` is
    "x: y", where text() gives "x : y"); whitespace runs become one space."""
    return " ".join(node.get_text().split())
