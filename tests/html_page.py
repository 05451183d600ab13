"""Reading a rendered page in a test: CSS selectors over the page as a browser parses it.

tinyhtml5 and cssselect2 are already installed (WeasyPrint, which renders the PDFs, uses
them), so a test can ask "is the textarea this error links to inside an open <details>?"
without a new dependency.
"""

from __future__ import annotations

from typing import Any

import cssselect2
import tinyhtml5


class Node:
    def __init__(self, wrapper: Any) -> None:
        self._wrapper = wrapper

    @property
    def tag(self) -> str:
        return str(self._wrapper.local_name)

    @property
    def text(self) -> str:
        return " ".join("".join(self._wrapper.etree_element.itertext()).split())

    def attr(self, name: str) -> str | None:
        value = self._wrapper.etree_element.get(name)
        return None if value is None else str(value)

    def has_attr(self, name: str) -> bool:
        return self.attr(name) is not None

    def classes(self) -> set[str]:
        return set((self.attr("class") or "").split())

    def select_all(self, css: str) -> list[Node]:
        return [Node(found) for found in self._wrapper.query_all(css)]

    def select(self, css: str) -> Node | None:
        found = self.select_all(css)
        return found[0] if found else None

    def ancestor(self, *, tag: str = "", cls: str = "") -> Node | None:
        """The nearest enclosing element with this tag and/or class."""
        for wrapper in reversed(list(self._wrapper.ancestors)):
            node = Node(wrapper)
            if (not tag or node.tag == tag) and (not cls or cls in node.classes()):
                return node
        return None

    def follows(self, other: Node) -> bool:
        """Whether this element comes after `other` in the page."""
        order = [w.etree_element for w in self.root()._wrapper.iter_subtree()]
        return order.index(self._wrapper.etree_element) > order.index(other._wrapper.etree_element)

    def root(self) -> Node:
        ancestors = list(self._wrapper.ancestors)
        return Node(ancestors[0]) if ancestors else self


def page(content: bytes | str) -> Node:
    html = content.decode() if isinstance(content, bytes) else content
    return Node(cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html)))
