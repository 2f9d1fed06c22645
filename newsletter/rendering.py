"""An issue's Markdown as sanitised HTML and as plain text, and the message one recipient gets.

The HTML is rendered with Markdown and then cleaned with nh3 (a maintained binding of the Rust
`ammonia` sanitiser): raw HTML in the Markdown is allowed only as far as the allow-list goes, so a
<script> or an onclick never reaches a mailbox or the archive. The preview shows this same HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from selvhjelp.emails import absolute_url

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "hr", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Placeholders replaced per recipient, so the message is rendered once per issue, not per person.
PREFERENCES_PLACEHOLDER = "__SELVHJELP_PREFERENCES_URL__"
UNSUBSCRIBE_PLACEHOLDER = "__SELVHJELP_UNSUBSCRIBE_URL__"


def markdown_to_html(text: str) -> str:
    rendered = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


class _TextMaker(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "ol", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "a" and self.href:
            self.parts.append(f" ({self.href})")
            self.href = None
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):  # noqa: ANN001
        self.parts.append(data)


def html_to_text(safe_html: str) -> str:
    maker = _TextMaker()
    maker.feed(safe_html)
    text = "".join(maker.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str  # with placeholders for the per-recipient links
    text: str

    def for_recipient(self, *, preferences_url: str, unsubscribe_url: str) -> tuple[str, str]:
        def fill(body: str, escape: bool) -> str:
            prefs = html.escape(preferences_url) if escape else preferences_url
            unsub = html.escape(unsubscribe_url) if escape else unsubscribe_url
            return body.replace(PREFERENCES_PLACEHOLDER, prefs).replace(
                UNSUBSCRIBE_PLACEHOLDER, unsub
            )

        return fill(self.html, True), fill(self.text, False)


def render_issue(issue, *, for_archive: bool = False) -> RenderedIssue:
    """The email as every recipient gets it (their own links filled in later)."""
    body_html = markdown_to_html(issue.body_markdown)
    context = {
        "issue": issue,
        "body_html": body_html,
        "body_text": html_to_text(body_html),
        "preferences_url": PREFERENCES_PLACEHOLDER,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "archive_url": absolute_url(reverse("newsletter:archive")),
        "for_archive": for_archive,
    }
    with translation.override("nb"):
        return RenderedIssue(
            subject=issue.subject,
            html=render_to_string("emails/newsletter-issue-body.html", context),
            text=str.__str__(render_to_string("emails/newsletter-issue-body.txt", context)),
        )
