"""Customer HTML made safe to show, and its plain-text alternative.

:func:`sanitize_html` runs nh3 (ammonia) with an allowlist: no scripts, styles sheets,
frames, forms, SVG/MathML or event handlers; links keep only ``http``/``https``/``mailto``
targets; images keep only ``cid:`` sources (inline parts of the same message) and every
other image becomes a short placeholder text; relative and protocol-relative URLs are
removed, so nothing can make the viewer load a remote or ``file:`` resource. The result
carries the link list for "real target on hover" and the warning for links whose text
shows another host than the one they lead to (``<a href="https://evil.example">
https://bank.example</a>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

import nh3

from .addresses import ascii_domain

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "big", "blockquote", "br", "caption", "center", "cite", "code", "col",
    "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
})
_TABLE_CELL = {"align", "valign", "colspan", "rowspan", "width", "height", "bgcolor"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "dir", "lang", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "face", "size"},
    "table": {"align", "border", "cellpadding", "cellspacing", "width", "bgcolor"},
    "td": _TABLE_CELL, "th": _TABLE_CELL, "tr": {"align", "valign", "bgcolor"},
    "col": {"span", "width"}, "colgroup": {"span", "width"},
    "ol": {"start", "type"}, "li": {"value"},
    "p": {"align"}, "div": {"align"}, "h1": {"align"}, "h2": {"align"}, "h3": {"align"},
}
#: Elements removed together with everything inside them.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "title", "template", "noscript", "iframe", "frame", "frameset",
    "noframes", "noembed", "object", "embed", "applet", "svg", "math", "textarea", "select",
    "xmp",
})
URL_SCHEMES = frozenset({"http", "https", "mailto", "cid"})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family",
    "text-decoration", "text-align",
})
_BAD_STYLE = ("url(", "\\", "/*", "expression", "@import", "image")
_FILE_EXTENSIONS = frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "png", "jpg", "jpeg",
    "gif", "htm", "html", "json", "xml", "eml", "msg", "odt", "ods",
})
_VOID = frozenset({"br", "hr", "img", "col", "wbr"})
#: Deeper nesting than this is shown as plain text: the HTML parser under nh3 needs time
#: proportional to depth x tags for block elements (50,000 nested <div>s take seconds).
MAX_NESTING = 512
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]{0,30})")
_NOT_NESTING = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "h1", "h2", "h3", "h4",
    "h5", "h6",
})
_TOKEN_TRIM = "()[]{}<>,;:!?'\"“”‘’«»"


class Link(NamedTuple):
    """A link as the viewer must present it (the href never navigates the viewer)."""

    text: str
    href: str
    real_host: str  # ASCII (punycode) form, so look-alike hosts stay visible
    text_shows_other_host: bool


@dataclass(frozen=True, slots=True)
class SafeHtml:
    """Sanitised HTML plus what the viewer needs to know about it."""

    html: str
    links: tuple[Link, ...] = ()
    cid_images: tuple[str, ...] = ()  # content ids referenced by <img src="cid:...">
    remote_images: tuple[str, ...] = ()  # http(s) image sources removed (never loaded)
    images_not_loaded: int = 0  # images replaced by the placeholder text (any reason)
    as_text: bool = False  # too deeply nested to render: shown as escaped plain text

    @property
    def suspicious_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.text_shows_other_host)


def _scheme(url: str) -> str:
    head, sep, _ = url.partition(":")
    return head.strip().lower() if sep else ""


def link_host(href: str) -> str:
    """The host a link really leads to (ASCII form), or ``""``."""
    scheme = _scheme(href)
    if scheme == "mailto":
        addr = unquote(href.split(":", 1)[1].split("?", 1)[0]).split(",")[0]
        return ascii_domain(addr.rpartition("@")[2]) or ""
    try:
        host = urlsplit(href.strip()).hostname or ""
    except ValueError:
        return ""
    return ascii_domain(host) or host.lower()


def hosts_in_text(text: str) -> list[str]:
    """Host names that a link's visible text shows (URLs, addresses, ``www.x.example``)."""
    hosts: list[str] = []
    for raw in text.split():
        token = raw.strip(_TOKEN_TRIM).rstrip(".")
        if "." not in token:
            continue
        if "://" in token:
            host = link_host(token)
        elif "@" in token:
            host = ascii_domain(token.rpartition("@")[2]) or ""
        else:
            candidate = re.split(r"[/?#:]", token, maxsplit=1)[0]
            host = ascii_domain(candidate) or ""
            if host and host.rsplit(".", 1)[-1] in _FILE_EXTENSIONS:
                host = ""
        if host:
            hosts.append(host)
    return hosts


def _bare(host: str) -> str:
    return host[4:] if host.startswith("www.") else host


def shows_other_host(text: str, real_host: str) -> bool:
    """True when the text shows a host that is neither the real one nor a parent of it."""
    real = _bare(real_host)
    for shown in map(_bare, hosts_in_text(text)):
        if not real or (shown != real and not real.endswith("." + shown)):
            return True
    return False


def nesting_depth(html: str) -> int:
    """The deepest element nesting in ``html``, estimated in one linear scan."""
    depth = peak = 0
    for m in _TAG.finditer(html):
        if m.group(2).lower() in _NOT_NESTING:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            peak = max(peak, depth)
    return peak


def _strip_tags(html: str) -> str:
    """Text of any markup in linear time (for input too deeply nested to parse)."""
    text = unescape(re.sub(r"<[^<>]*>", " ", html))
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def _filter(blocked: list[str]) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            if _scheme(value) == "cid" and len(value) > 4:
                return value
            blocked.append(value)
            return None
        if attr == "href":
            return value if _scheme(value) in LINK_SCHEMES else None
        if attr == "style":
            low = value.lower()
            return None if any(bad in low for bad in _BAD_STYLE) else value
        return value
    return attribute_filter


def _clean(html: str, blocked: list[str]) -> str:
    return nh3.clean(
        html, tags=set(ALLOWED_TAGS), clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter(blocked), strip_comments=True,
        url_schemes=set(URL_SCHEMES), url_relative="deny",
        filter_style_properties=set(STYLE_PROPERTIES), link_rel="noopener noreferrer")


class _Rewriter(HTMLParser):
    """Second pass over nh3's output: placeholders for removed images, link list."""

    def __init__(self, placeholder: str) -> None:
        super().__init__(convert_charrefs=True)
        self.placeholder = placeholder
        self.out: list[str] = []
        self.links: list[Link] = []
        self.cids: list[str] = []
        self.not_loaded = 0
        self._anchors: list[tuple[str, list[str]]] = []  # (href, text parts) of open <a>s

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "img" and "src" not in values:
            alt = " ".join(values.get("alt", "").split())
            text = f"[{self.placeholder}: {alt}]" if alt else f"[{self.placeholder}]"
            self.not_loaded += 1
            self.handle_data(text)
            return
        if tag == "img":
            self.cids.append(unquote(values["src"].split(":", 1)[1]).strip("<>"))
        if tag == "a":
            self._anchors.append((values.get("href", ""), []))
        rendered = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in values.items())
        self.out.append(f"<{tag}{rendered}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "a" and self._anchors:
            href, parts = self._anchors.pop()
            if href:
                text = " ".join("".join(parts).split())[:300]
                host = link_host(href)
                self.links.append(Link(text, href, host, shows_other_host(text, host)))
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        for _, parts in self._anchors:
            parts.append(data)
        self.out.append(escape(data, quote=False))


def sanitize_html(html: str, *, image_placeholder: str = "image not loaded") -> SafeHtml:
    """Safe HTML for the viewer (see the module doc). ``image_placeholder`` is the
    (translated) text shown instead of an image that was not loaded."""
    if nesting_depth(html) > MAX_NESTING:
        text = _strip_tags(html)
        return SafeHtml("<p>" + escape(text).replace("\n", "<br>") + "</p>", as_text=True)
    blocked: list[str] = []
    first = _clean(html, blocked)
    rewriter = _Rewriter(image_placeholder)
    rewriter.feed(first)
    rewriter.close()
    final = _clean("".join(rewriter.out), [])
    return SafeHtml(final, tuple(rewriter.links), tuple(dict.fromkeys(rewriter.cids)),
                    tuple(blocked), rewriter.not_loaded)


# ---- plain text ---------------------------------------------------------------------------
_SKIP = DROP_WITH_CONTENT | {"head"}  # (nh3 removed them already; kept as a second net)
_BLOCK = frozenset({
    "p", "div", "table", "tr", "ul", "ol", "dl", "blockquote", "pre", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "address", "article", "aside", "section", "header", "footer", "form",
    "center", "dt", "dd", "caption", "figure", "nav", "main",
})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0  # inside <pre>: keep line breaks
        self.hrefs: list[tuple[str, int]] = []  # (href, len(out) at <a>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self.out.append(f"[{alt.strip()}]")
        elif tag in _BLOCK:
            self.out.append("\n\n" if tag not in ("tr", "dt", "dd") else "\n")
            self.pre += tag == "pre"
        if tag == "a":
            self.hrefs.append((dict(attrs).get("href") or "", len(self.out)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.out.append("\n\n" if tag not in ("tr", "dt", "dd") else "\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag == "a" and self.hrefs:
            href, start = self.hrefs.pop()
            text = "".join(self.out[start:]).strip()
            if _scheme(href) in ("http", "https") and href.strip() not in (text, text + "/"):
                self.out.append(f" <{href.strip()}>")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.out.append(data if self.pre else re.sub(r"[ \t\r\n\f\v]+", " ", data))


def html_to_text(html: str) -> str:
    """A readable plain-text rendering (the alternative shown when the agent prefers text,
    and the source of quotes in replies). Scripts and styles are skipped; http(s) link
    targets are written after the link text when they differ from it."""
    if nesting_depth(html) > MAX_NESTING:
        return _strip_tags(html)
    # nh3 first: it turns any input into well-formed HTML in linear time, which keeps
    # HTMLParser away from its slow paths on hostile markup (e.g. thousands of "</a")
    normal = nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags=set(DROP_WITH_CONTENT),
                       attributes={"a": {"href"}, "img": {"alt"}}, url_schemes=set(URL_SCHEMES),
                       url_relative="deny", link_rel=None)
    parser = _Text()
    parser.feed(normal)
    parser.close()
    lines = [re.sub(r"[ \t]+", " ", line).strip()
             for line in "".join(parser.out).replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
