"""How the tests read HTML: BeautifulSoup on the stdlib "html.parser" backend, queried by CSS selectors.

One module instead of a hand-written `html.parser.HTMLParser` subclass per test file (issue 19).
Not named `html.py`: tests/ is on sys.path, and that name would hide the standard library's `html`.

    page = soup(html)
    text(by_id(page, "summary"))          # the text a reader sees under #summary (no script/style)
    hrefs(page.select_one("#findings"))   # the links under it, in page order
    page.select("tr[data-row]")           # any CSS selector (soupsieve)
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

__all__ = ["BeautifulSoup", "Tag", "soup", "text", "by_id", "ids", "hrefs", "links", "classes", "nearest_id", "text_of",
           "attributes"]


def soup(html: str | BeautifulSoup | Tag) -> BeautifulSoup | Tag:
    """The parsed page (or fragment); an already parsed node is returned as it is."""
    if isinstance(html, Tag):
        return html
    return BeautifulSoup(html, "html.parser")


def text(node: str | Tag) -> str:
    """The text a reader sees under `node`: entities decoded, tags, comments, script and style dropped."""
    return soup(node).get_text()


def text_of(html: str | Tag) -> str:
    """`text`, by the name the content tests use."""
    return text(html)


def by_id(page: str | Tag, element_id: str) -> Tag:
    """The (first) element with this id; a clear failure when the page has none."""
    el = soup(page).find(id=element_id)
    assert el is not None, f"#{element_id} がページにありません"
    return el


def ids(page: str | Tag) -> list[str]:
    """Every element id of the page, in document order (duplicates kept, so they can be found)."""
    return [el["id"] for el in soup(page).find_all(id=True) if el["id"]]


def classes(el: Tag) -> str:
    """The element's class attribute as written (space-separated)."""
    return " ".join(el.get("class") or [])


def links(node: str | Tag) -> list[tuple[str, str]]:
    """(href, class) of every `<a href>` at or under `node`, in page order."""
    n = soup(node)
    found = n.select("a[href]")
    if isinstance(n, Tag) and n.name == "a" and n.has_attr("href"):
        found = [n, *found]
    return [(a["href"], classes(a)) for a in found]


def hrefs(node: str | Tag) -> list[str]:
    """The href of every `<a href>` at or under `node`, in page order."""
    return [h for h, _ in links(node)]


def nearest_id(el: Tag) -> str | None:
    """The id of `el` or, failing that, of its closest ancestor that has one."""
    if el.get("id"):
        return el["id"]
    parent = el.find_parent(id=True)
    return parent["id"] if parent is not None else None


def attributes(html: str) -> list[tuple[str, str]]:
    """Every (name, value) of every tag's attributes, a repeated attribute included: a browser keeps the first
    and BeautifulSoup would keep only one, but a test that looks for injected attributes must see them all."""
    repeated: list[tuple[str, str]] = []
    page = BeautifulSoup(html, "html.parser", on_duplicate_attribute=lambda _attrs, key, value: repeated.append((key, value)))
    found = [(k, v if isinstance(v, str) else " ".join(v)) for el in page.find_all(True) for k, v in el.attrs.items()]
    return found + repeated
