"""The HTML of the problem pages: self-contained (inline style, no external reference).

Only catalog text and URLs the service builds itself reach these pages, and all of it is escaped:
the code a client puts in the path is looked up in the catalog before anything is written.
"""

import re
from collections.abc import Iterable
from html import escape
from http import HTTPStatus

from app.problems.models import ProblemEntry

_LITERAL = re.compile(r"`([^`]+)`")
_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
.status { color: #555; margin-top: 0; }
code { font: .9em ui-monospace, monospace; background: #f1f1f1; padding: 0 .2em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
a { color: #0b57d0; }
@media (prefers-color-scheme: dark) {
  body { color: #e6e6e6; background: #161616; } .status { color: #aaa; }
  code { background: #2a2a2a; } th, td { border-color: #333; } a { color: #8ab4f8; }
}
"""


def _text(plain: str) -> str:
    """Catalog text as HTML: escaped, with `backticked` names set as code."""
    return _LITERAL.sub(r"<code>\1</code>", escape(plain))


def _document(title: str, favicon_url: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{escape(favicon_url)}">\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _status(status: int) -> str:
    return f"HTTP {status} {escape(HTTPStatus(status).phrase)}"


def entry_page(entry: ProblemEntry, *, index_url: str, favicon_url: str) -> str:
    """The page of one problem type."""
    body = (
        f"<main>\n<h1>{escape(entry.title)}</h1>\n"
        f'<p class="status"><code>{escape(entry.code)}</code> · {_status(entry.status)}</p>\n'
        f"<h2>What it means</h2>\n<p>{_text(entry.meaning)}</p>\n"
        f"<h2>What to do</h2>\n<p>{_text(entry.action)}</p>\n"
        "<p>Problem documents carry this code in <code>code</code>; compare that, not "
        "<code>type</code>, whose host follows the address the request was sent to.</p>\n"
        f'<p><a href="{escape(index_url)}">All problem types</a></p>\n</main>\n'
    )
    return _document(f"{entry.code} — {entry.title}", favicon_url, body)


def index_page(entries: Iterable[tuple[ProblemEntry, str]], *, favicon_url: str) -> str:
    """The list of every problem type, each (entry, its page's URL) linked."""
    rows = "".join(
        f'<tr><td><a href="{escape(url)}"><code>{escape(entry.code)}</code></a></td>'
        f"<td>{entry.status}</td><td>{escape(entry.title)}</td></tr>\n"
        for entry, url in entries
    )
    body = (
        "<main>\n<h1>Problem types</h1>\n"
        "<p>Every error is an <code>application/problem+json</code> document (RFC 9457) with a "
        "stable <code>code</code>; its <code>type</code> links to the page below that says what "
        "the code means and what to do.</p>\n"
        "<table>\n<thead><tr><th>code</th><th>status</th><th>title</th></tr></thead>\n"
        f"<tbody>\n{rows}</tbody>\n</table>\n</main>\n"
    )
    return _document("Problem types", favicon_url, body)
