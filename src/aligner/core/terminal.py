"""The one filter between untrusted text and the user's terminal.

File names, document text, project files and caches may hold C0 controls
(ESC, BEL, CR, backspace…), DEL and C1 controls (U+0080–U+009F, which some
terminals obey as 8-bit escape sequences).  Anything aligner draws on a
terminal — the CLI's consoles, argparse's messages, log lines, the reader's
header, status line and notifications — passes through :func:`safe_text`
first, so no byte from outside can set the title, clear the screen or move the
cursor.  Each control character becomes one U+FFFD, so widths and offsets into
the text are unchanged.
"""

from __future__ import annotations

import re

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderResult
from rich.console import RenderHook as _RenderHook
from rich.segment import Segment
from rich.text import Text

REPLACEMENT = "\ufffd"
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
"""C0 controls except tab and line feed, DEL, and C1 controls (a regex class body)."""
_UNSAFE = re.compile(f"[{CONTROL_CHARS}]")
_UNSAFE_LINE = re.compile(f"[\t\n{CONTROL_CHARS}]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")


def safe_text(text: str) -> str:
    """``text`` with every control character (but tab and newline) replaced by U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, text)


def safe_line(text: str) -> str:
    """``text`` as one displayable line: runs of line breaks and tabs become one space,
    other control characters U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, _BREAKS.sub(" ", text))


def is_safe(text: str) -> bool:
    """True if ``text`` holds no control character other than tab and newline."""
    return _UNSAFE.search(text) is None


def safe_rich(text: Text | str, *, one_line: bool = False) -> Text:
    """A rich ``Text`` (a ``str`` is taken literally, never as markup) with every control
    character of its plain text replaced (and, if ``one_line``, tabs and newlines too);
    styles keep their places, one character standing for one."""
    rich_text = text if isinstance(text, Text) else Text(text)
    pattern = _UNSAFE_LINE if one_line else _UNSAFE
    if pattern.search(rich_text.plain) is None:
        return rich_text
    rich_text = rich_text.copy()
    rich_text.plain = pattern.sub(REPLACEMENT, rich_text.plain)
    return rich_text


class _Safe:
    """A renderable that renders ``inner`` and filters the text of every segment.

    Segments rich marks as control (its own cursor moves for live displays) pass
    through; every other segment's text is made safe, so markup, tables and
    ``Text`` alike are covered."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for seg in console.render(self.inner, options):
            if seg.control or is_safe(seg.text):
                yield seg
            else:
                yield Segment(safe_text(seg.text), seg.style)


class SafeRenderHook(_RenderHook):
    """Wraps everything a console prints in :class:`_Safe`."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [r if isinstance(r, _Safe) else _Safe(r) for r in renderables]


def safe_console(**kwargs: object) -> Console:
    """A rich Console that never writes a control character taken from its content."""
    console = Console(**kwargs)  # type: ignore[arg-type]
    console.push_render_hook(SafeRenderHook())
    return console


