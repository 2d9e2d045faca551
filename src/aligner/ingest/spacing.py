"""Spaces that text extraction invents: before Korean particles after Latin letters or
digits ("ICT 를", "4 차"), and before closing punctuation ("있다 .")."""

from __future__ import annotations

import re

_PARTICLES = (
    "을|를|은|는|이|가|의|에|에서|에게|와|과|도|만|로|으로|로서|으로서|로부터|으로부터|까지|부터|보다|처럼|"
    "이다|이며|이나|이라는|라는|란|와의|과의|에의|에서의|로의|으로의|에는|에도|과는|와는|이고|이라고|"
    "차|년|월|일|개|개국|명|위|배|억|만|조|원|달러|위안|세기|대|층|호|권|건|곳|회"
)
_PARTICLE_RE = re.compile(rf"(?<=[A-Za-z0-9%)\]’”'\"])[ ](?:{_PARTICLES})(?=[\s.,;:!?)\]’”'\"·]|$)")
_PUNCT_RE = re.compile(r"(?<=[\w\u3131-\ud7a3)\]’”])[ ]+(?=[.,;:!?](?:\s|$))")
_OPENER_RE = re.compile(r"(?<=[‘“(\[「『《〈])[ ]+")
# After a number: counters that are always attached ("2022년까지의"), and short ones
# only when they stand as a word of their own ("20개", not "20 개발").
_COUNTER_RE = re.compile(
    r"(?<=\d)[ ](?=(?:년|월|일|차|개국|명|번째|분기|주년|퍼센트|세기)"
    r"|(?:위|개|여|장|절|조|억|만|배|건|회)(?![가-힣]{3}))"
)
_ORDINAL_RE = re.compile(r"(?:^|(?<=[\s(]))제[ ](?=\d)")
_PLUS_RE = re.compile(r"(?<=[가-힣A-Za-z]\+)[ ](?=[가-힣])")


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e"


def fix_spacing(text: str) -> str:
    """Remove the spaces PDF extraction puts before particles, counters ("20 년간"),
    closing punctuation, after opening quotes/brackets, in "제 2장" and "인터넷+ 교통"."""
    text = _PARTICLE_RE.sub(lambda m: m.group(0)[1:], text)
    for pattern in (_PUNCT_RE, _OPENER_RE, _COUNTER_RE, _ORDINAL_RE):
        text = pattern.sub(lambda m: m.group(0).rstrip(" "), text)
    return _PLUS_RE.sub("", text)
