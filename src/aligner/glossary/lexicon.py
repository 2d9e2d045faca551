"""Word lists the term extractors consult, and the word-class tests built on them.

Korean: general-language nouns that never make a term, suffixes that end one,
ordinal counters. English: stop words, verbs (inflected forms derived from
their lemmas), nouns that look like adverbs or verbs, and ``looks_adjectival``.
"""

from __future__ import annotations

from collections.abc import Iterable

# Plural / distributive / positional suffixes end a term instead of joining it.
KO_DETACHED_XSN = frozenset({"들", "별", "간", "상", "여", "씩", "째", "쯤", "경"})
KO_ORDINAL_COUNTERS = frozenset({"차", "세대", "기", "호", "단계", "번째"})
# General-language nouns that never start, end or form a term on their own.
KO_STOP_NOUNS = frozenset(
    """관련 등 중 내 외 간 이후 이전 경우 측면 차원 대상 이상 이하 가운데 전반 현재 당시 최근 향후 이번
    기타 일부 다양 여러 각 전 본 해당 일환 자체 정도 부분 시점 주요 기존 우선 더 바로 직접 과정 결과 내용
    방안 방향 필요 가능 중요 통해 위해 대해 관해 따라 경우 사이 이외 자신 모두 모든 다수 소수 일 점 바 때
    함께 이때 그때 이제 무엇 이것 그것 여기 거기 지난 올해 작년 내년 기간 동안 이래 초기 말 초 후반 전후
    사례 현황 정책적 적극 수준 부문 분야 영역 기반 역할 측 만큼 대로 뿐 만 위 아래 앞 뒤 밖""".split()
)

# The vocabulary of report writing: a compound headed by one of these ("발전 전략", "필수적 요소",
# "데이터 분석") names an aspect of the subject, not a concept of it; likewise after a generic
# modifier ("세부 기술") or an adjectival noun in -적 ("제도적 환경").
KO_REPORT_HEADS = frozenset(
    """전략 요소 요인 환경 변화 목표 기회 확장 분석 선택 수집 효과 파급효과 특성 특징 과제 동향 배경 측면
    문제 수요 방식 방법 형태 유형 구성 개선 강화 확대 제고 증가 감소 성과 영향 의의 시사점 한계 전망 추세
    계기 여건 실태 조사 검토 평가 논의 이해 점검 활용 도입 구축 마련 추진 수립 육성 발전 건설 조성""".split()
)
KO_REPORT_MODIFIERS = frozenset("세부 기본 전반 일반 주요".split())


# --------------------------------------------------------------------------- English

EN_STOPWORDS = frozenset(
    """a an the this that these those its their his her our my your it they we you he she i me us them him
    itself themselves ourselves which who whom whose what where when why how and or but nor so yet as if
    than then also of in on at to for with by from into onto about over under between among through during
    before after above below up down out off around within without toward towards across against along via
    per upon beyond behind despite throughout is are was were be been being am has have had having do does
    did done will would shall should can could may might must not no all any some each every both either
    neither such other others another more most much many few fewer less least very only just even still
    already there here thus therefore however while whereas although though because since until unless
    whether too quite rather own same etc one two three four five six seven eight nine ten first second third
    last next further furthermore moreover meanwhile namely like unlike including include includes included
    well often always never sometimes now currently recently nearly almost about approximately around
    something anything everything nothing someone anyone everyone via e.g i.e vs among amongst whereby
    thereby hence else ever let lets let's get gets got make makes made making take takes took taken taking
    give gives gave given giving see seen seeing saw say says said become becomes became becoming seem
    seems seemed go goes went going come comes came coming put puts keep keeps kept yes onward onwards""".split()
)
# Capitalised multi-word names may continue through these ("Institute of X and Y").
NAME_LINKS = frozenset({"of", "and", "for", "in", "on", "&", "de"})
# Verbs that are (almost) never nouns or noun modifiers; inflected forms are derived.
_VERB_LEMMAS = """accelerate accept achieve acquire act adapt add address adopt affect aim allow analyze analyse
    announce apply appear argue arise assess assist attempt attract attribute become begin believe belong
    boost bring build carry cause choose claim collaborate combine commission compete consider consist
    constitute construct contain continue contribute convert converge cope cover create deal decide decline
    define deliver depend derive describe design designate determine develop devote discuss drive emerge
    emphasize employ enable encourage enhance enjoy ensure enter establish estimate evaluate examine exist
    expand expect explain explore express facilitate find focus follow form formulate foster gain generate
    grow guide happen help highlight identify implement improve incorporate increase indicate induce inform
    intend introduce involve join lead learn leave lie look lose maintain manage meet mention mitigate
    move need note nurture obtain occur offer operate optimize own participate perform pioneer plan
    play pose possess predict prepare present prevent proceed produce promote propose prove provide pursue
    raise rank reach realize realise receive recognize reduce reflect regard relate release rely remain
    represent require respond result reveal review rush secure seek seem serve set share show solidify
    solve spur start strengthen strive struggle study submit succeed suggest suit summarize supply support
    suppose surge sustain take tend transform turn undergo understand unfold use utilize view want
    achieve become carry occupy conduct stand attain""".split()
_IRREGULAR_VERBS = """is are was were been being be has have had do does did done made went gone got given
    taken brought built began begun chose chosen drew drawn drove driven found grew grown held kept knew
    known led left lost met paid put ran read said saw seen sent set shown sought spent stood thought told
    took understood undergone underwent won wrote written seemed become became""".split()
# Nouns in -ly that are not adverbs.
LY_NOUNS = frozenset(
    "supply family italy july assembly monopoly oligopoly anomaly ally rally reply apply early daily weekly "
    "monthly quarterly yearly friendly poly jelly belly bully holy".split()
)
NOUNISH_SUFFIXES = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship", "ure", "ogy", "ics")
HYPHEN_HEADS = frozenset(
    "related based oriented led driven owned sized specific friendly centric focused intensive type level wide".split()
)
# Heads of organisations' names ("National Health Commission", "Alibaba Group").
ORGANISATION_HEADS = frozenset(
    """commission committee ministry council bureau department institute institution agency administration
    office authority association federation group company corporation corp inc ltd bank university
    academy foundation organization organisation party government court assembly congress""".split()
)
DETERMINERS = frozenset("the a an its their this these those our his her your my each every".split())
AUX = frozenset("will would can could should must may might shall to do does did".split())
BE_HAVE = frozenset("is are was were be been being has have had am".split())


def _verb_forms(lemmas: Iterable[str]) -> frozenset[str]:
    forms: set[str] = set()
    for v in lemmas:
        forms.add(v)
        if v.endswith("y") and v[-2:-1] not in "aeiou":
            forms.update({v[:-1] + "ies", v[:-1] + "ied", v + "ing"})
        elif v.endswith("e"):
            forms.update({v + "s", v + "d", v[:-1] + "ing"})
        elif v.endswith(("s", "x", "z", "ch", "sh")):
            forms.update({v + "es", v + "ed", v + "ing"})
        else:
            forms.update({v + "s", v + "ed", v + "ing"})
    return frozenset(forms)


VERBS = _verb_forms(_VERB_LEMMAS) | frozenset(_IRREGULAR_VERBS)
# -ing forms of the lemmas above that are nouns in practice ("manufacturing", "planning").
ING_NOUNS = frozenset(
    "planning funding training marketing manufacturing processing housing building spending lending "
    "offering understanding driving learning setting meeting opening pricing sharing rating ranking "
    "networking engineering computing accounting programming".split()
)
# Verbs used as often as nouns ("the response plan", "policy support"): nouns after a determiner
# or another noun unless an object follows ("governments support startups").
NOUN_VERBS = frozenset(
    "plan plans support supports use uses need needs study studies review reviews share shares".split()
)
# Participles that stand before a noun as its modifier ("operating systems", "added value").
PARTICIPLE_MODIFIERS = frozenset(
    "operating added advanced emerging leading existing developing developed integrated automated connected".split()
)


# --------------------------------------------------------------------------- adjectives

_ADJ_SUFFIXES = ("ous", "ive", "al", "ic", "ful", "able", "ible", "less", "ese", "ish", "ary")
_ADJ_SUFFIX_NOUNS = frozenset(
    """hospital capital signal proposal approval potential rental arrival material terminal portal journal
    individual professional principal animal rival festival survival interval total official traffic clinic
    logic music topic republic mechanic fabric critic characteristic initiative incentive executive
    representative objective alternative collective perspective directive narrative relative native motive
    archive drive library summary boundary salary dictionary commentary beneficiary subsidiary secretary
    anniversary itinerary glossary diary military sanctuary plant giant tenant consultant assistant agent
    student president resident client patient component department government management environment
    development investment agreement parliament equipment employment content talent event segment element
    statement treatment payment settlement establishment implementation""".split()
)


_PLAIN_ADJECTIVES = frozenset(
    """new old high low large small big great good bad main major minor long short recent current certain
    various several different similar important significant relevant specific general overall whole entire
    free full common real true national international domestic foreign own""".split()
)


def looks_adjectival(word: str) -> bool:
    """A heuristic: "autonomous", "artificial", "new" but not "hospital", "government"."""
    w = word.lower()
    if w in _PLAIN_ADJECTIVES:
        return True
    if not w.isalpha() or word[:1].isupper() or w in _ADJ_SUFFIX_NOUNS:
        return False
    if w.endswith(("ment", "ence", "ance", "ency", "ancy")):
        return False
    return w.endswith(_ADJ_SUFFIXES)
