"""Find personal data in Chinese and English text before it is published.

One line in a post can undo everything Momo hides: a phone number in a rental
ad, an ID number in a complaint, a plate in a parking story. The scanner finds
such spans so the composer can warn. It favours precision on look-alikes
(order and tracking numbers, prices, dates, versions, meeting ids): a warning
that cries wolf gets ignored.

Every pattern is bounded (no nested unbounded repetition), and long texts are
refused above ``MAX_CHARS``, so scanning time is linear in the input.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date

from momo.privacy import names_and_places
from momo.translation import N_, translate

MAX_CHARS = 1_000_000

KINDS = (
    "phone",
    "cn_id",
    "email",
    "bank_card",
    "qq",
    "wechat",
    "plate",
    "address",
    "ip_address",
    "affiliation",
    "person_name",
    "postcode",
)

# Why each kind gives a person away; English msgids, translated where shown.
EXPLANATIONS = {
    "phone": N_("A phone number reaches you directly and links this post to your real identity."),
    "cn_id": N_("A resident ID number identifies exactly one person."),
    "email": N_("An email address is usually tied to your name or other accounts."),
    "bank_card": N_("A bank card number identifies you and can be misused."),
    "qq": N_("A QQ number leads straight to your QQ profile."),
    "wechat": N_("A WeChat ID leads straight to your WeChat account."),
    "plate": N_("A licence plate identifies your car, and through it you."),
    "address": N_("A street address, building or room number shows where you live or work."),
    "ip_address": N_("An IP address can reveal your network and rough location."),
    "affiliation": N_("Naming your school or employer narrows down who you are."),
    "person_name": N_(
        "A real name identifies someone: you, or a person who did not agree to be named."
    ),
    "postcode": N_("A postcode narrows a place down to a few streets."),
}


def explain(kind: str, locale: str) -> str:
    return translate(locale, EXPLANATIONS[kind])


class TextTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# -- shared pieces -------------------------------------------------------------
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])(?<!\d[ -])"  # not the tail of a longer number
_NOT_DIGIT_AFTER = r"(?![0-9])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_SP = r"[ \t\u00a0\u3000]"  # spaces inside a number, never a line break

Starts = list[int]

# Where a number may begin: a digit, "+" or "(" not glued to a letter or digit
# before it. The charset comes first so the regex engine can skip ahead fast;
# the lookbehinds then look past the consumed character.
_NUMBER_START = re.compile(r"[+(0-9](?<![0-9A-Za-z].)(?<![0-9][ -].)(?=[0-9 ()+.\t-]{4})")


def _number_starts(text: str) -> Starts:
    return [match.start() for match in _NUMBER_START.finditer(text)]


def _anchored(pattern: re.Pattern[str], text: str, starts: Starts) -> Iterator[re.Match[str]]:
    """Like finditer, but a match may only begin at one of ``starts``: every numeric
    pattern is tried at a few dozen places instead of at every character."""
    consumed = -1
    for start in starts:
        if start < consumed:
            continue
        match = pattern.match(text, start)
        if match is not None:
            consumed = match.end()
            yield match


# Words that mark a number as an order, parcel, meeting or similar: not personal.
_NEGATIVE_CONTEXT = re.compile(
    r"(订单|单号|运单|快递|物流|包裹|取件|取餐|编号|流水|工单|会议|房间号|验证码|序列号|型号|批次|发票|票号"
    r"|航班|车次|座位|学号|工号|商品|货号|条码|邮编|尾号|金额|余额|价格|合计|总计|￥|¥|\$|元"
    r"|order|tracking|track|invoice|meeting|zoom|webex|ref(?:erence)?|confirmation|receipt"
    r"|serial|sku|isbn|item|ticket|flight|booking|transaction|txn|id\s*(?:no|number|#)|#)",
    re.IGNORECASE,
)
_NEGATIVE_WINDOW = 20


_POSITIVE_CONTEXT = re.compile(
    r"(手机|电话|号码|座机|联系|致电|身份证|证件|银行卡|卡号|储蓄卡|信用卡"
    r"|call|phone|tel|mobile|cell|text|card|contact)",
    re.IGNORECASE,
)


def _negative_context(text: str, start: int) -> bool:
    """True when an order/parcel/meeting word labels the number, and no word that
    names personal data ("手机号", "card") stands between it and the number."""
    window = text[max(0, start - _NEGATIVE_WINDOW) : start]
    negative = [m.end() for m in _NEGATIVE_CONTEXT.finditer(window)]
    if not negative:
        return False
    positive = [m.end() for m in _POSITIVE_CONTEXT.finditer(window)]
    return not positive or negative[-1] > positive[-1]


# -- phone ---------------------------------------------------------------------
_CN_MOBILE = re.compile(
    _NOT_ALNUM_BEFORE
    + rf"(?:(?:\+|00){_SP}?86[ \t-]?|\(\+?86\){_SP}?)?1[3-9]\d(?:[ \t-]?\d{{4}}){{2}}"
    + _NOT_DIGIT_AFTER
)
_CN_LANDLINE = re.compile(
    _NOT_ALNUM_BEFORE + r"(?:(?:\+|00) ?86[ -]?(?:0?(?:10|2\d|[3-9]\d{2}))[ -]?"
    r"|\(0(?:10|2\d|[3-9]\d{2})\) ?|0(?:10|2\d|[3-9]\d{2})[ -])"
    r"\d{3,4}[ -]?\d{4}(?:(?: ?(?:转|ext\.?|x) ?)\d{1,5})?" + _NOT_DIGIT_AFTER
)
_NANP = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:(?:\+?1|001)[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}"
    r"(?: ?(?:x|ext\.?|extension) ?\d{1,5})?" + _NOT_DIGIT_AFTER
)
_INTERNATIONAL = re.compile(
    r"(?<![A-Za-z0-9_+])\+(?!86)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,5}\)?){2,5}" + _NOT_DIGIT_AFTER
)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _phones(text: str, starts: Starts) -> list[Finding]:
    found = []
    for pattern in (_CN_MOBILE, _CN_LANDLINE, _NANP, _INTERNATIONAL):
        for match in _anchored(pattern, text, starts):
            value = match.group()
            digits = _digits(value)
            if pattern is _INTERNATIONAL and not 8 <= len(digits) <= 15:
                continue
            if _negative_context(text, match.start()):
                continue
            found.append(Finding(match.start(), match.end(), "phone", value))
    return found


# -- resident ID -----------------------------------------------------------------
_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
    "91",
}
_ID18 = re.compile(_NOT_ALNUM_BEFORE + r"\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx]" + _NOT_ALNUM_AFTER)
_ID15 = re.compile(_NOT_ALNUM_BEFORE + r"\d{15}" + _NOT_ALNUM_AFTER)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def valid_cn_id(value: str) -> bool:
    raw = re.sub(r"[\s-]", "", value).upper()
    if raw[:2] not in _PROVINCES:
        return False
    if len(raw) == 18:
        if not _valid_birth(int(raw[6:10]), int(raw[10:12]), int(raw[12:14])):
            return False
        total = sum(int(d) * w for d, w in zip(raw[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == raw[17]
    if len(raw) == 15 and raw.isdigit():
        return _valid_birth(1900 + int(raw[6:8]), int(raw[8:10]), int(raw[10:12]))
    return False


_ID_WORDS = re.compile(r"(身份证|证件|身份号|\bID\b|identity)", re.I)


def _cn_ids(text: str, starts: Starts) -> list[Finding]:
    found = []
    for match in _anchored(_ID18, text, starts):
        if valid_cn_id(match.group()):
            found.append(Finding(match.start(), match.end(), "cn_id", match.group()))
    for match in _anchored(_ID15, text, starts):
        value = match.group()
        # Fifteen digits pass the legacy rules by chance too often; ask for a hint.
        context = _ID_WORDS.search(text[max(0, match.start() - 16) : match.start()])
        plausible = valid_cn_id(value) and (context or not _luhn(value))
        if plausible and not _negative_context(text, match.start()):
            found.append(Finding(match.start(), match.end(), "cn_id", value))
    return found


# -- email -----------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})[@＠]"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9-])"
)


def _emails(text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), "email", m.group()) for m in _EMAIL.finditer(text)]


# -- bank card -------------------------------------------------------------------
_CARD = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{5}|\d{12,19})"
    + _NOT_ALNUM_AFTER
)
_CARD_PREFIX = re.compile(r"^(?:[3-6]|2[2-7]|1800|2131|9558|9559|9555|9588|9400)")
# Twelve digits is a card only for Maestro's issuer ranges; elsewhere it is far more
# often an invoice, order or meeting number.
_TWELVE_DIGIT_PREFIX = re.compile(r"^(?:5018|5020|5038|5893|6304|6759|676[1-3])")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _cards(text: str, starts: Starts) -> list[Finding]:
    found = []
    for match in _anchored(_CARD, text, starts):
        digits = _digits(match.group())
        if not 12 <= len(digits) <= 19 or not _luhn(digits):
            continue
        if len(digits) == 12 and not _TWELVE_DIGIT_PREFIX.match(digits):
            continue
        if not _CARD_PREFIX.match(digits) or _negative_context(text, match.start()):
            continue
        found.append(Finding(match.start(), match.end(), "bank_card", match.group()))
    return found


# -- QQ and WeChat ------------------------------------------------------------------
_QQ = re.compile(
    r"(?:(?<![A-Za-z])[Qq]{2}(?![A-Za-z])|企鹅|扣扣|[Qq]号|(?<![A-Za-z])[Qq](?=[ \t]*[:：]))"
    r"(?:[ \t]*(?:号码|号|群|账号|ID|id))?[ \t]*(?:是|为|:|：|-|=|is)?[ \t]*(?:[:：])?[ \t]*([1-9]\d{4,11})"
    + _NOT_DIGIT_AFTER
)
_WECHAT = re.compile(
    r"(?:微信号?|威信|薇信|维信|v信|V信|微信|(?:加|\+|➕)[vV](?![A-Za-z])"
    r"|(?<![A-Za-z])(?:vx|VX|Vx|vX|wx|WX|Wx|weixin|Weixin|WeChat|wechat|Wechat|WECHAT)(?![A-Za-z])"
    r"|(?<![A-Za-z])[vV](?=[ \t]*[:：]))"
    r"(?:[ \t]*(?:号|ID|id|账号))?[ \t]*(?P<sep>是|为|:|：|-|=|同号|is)?[ \t]*(?:[:：])?[ \t]*"
    r"(?P<id>[A-Za-z][A-Za-z0-9_-]{5,19}|\+?\d[\d -]{4,16}\d)"
    r"(?![A-Za-z0-9_-])"
)


_QQ_HINT = re.compile(r"[Qq]{2}|企鹅|扣扣|[Qq]号|[Qq][ \t]*[:：]")
_WECHAT_HINT = re.compile(
    r"微信|威信|薇信|维信|[vV]信|[vVwW][xX]|[Ww]eixin|[Ww]e[Cc]hat|WECHAT|[加+➕][vV]|[vV][ \t]*[:：]"
)


def _qq(text: str) -> list[Finding]:
    if not _QQ_HINT.search(text):
        return []
    return [Finding(m.start(1), m.end(1), "qq", m.group(1)) for m in _QQ.finditer(text)]


def _wechat(text: str) -> list[Finding]:
    if not _WECHAT_HINT.search(text):
        return []
    found = []
    for match in _WECHAT.finditer(text):
        value = match.group("id")
        plain_word = value.isalpha()
        # "WeChat messages" is prose; an id after a colon, or one with digits, is an id.
        if (
            plain_word
            and not match.group("sep")
            and not re.match(r"[\u4e00-\u9fff]", match.group())
        ):
            continue
        # "vx同号 138…": a mobile number given as a WeChat id is still a phone number.
        if _CN_MOBILE.fullmatch(value) or _CN_MOBILE.fullmatch(re.sub(r"[ -]", "", value)):
            continue
        found.append(Finding(match.start("id"), match.end("id"), "wechat", value))
    return found


# -- licence plates -------------------------------------------------------------------
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
    r"[A-Za-z] ?[·•・.\- ]? ?"
    r"(?:[DFdf][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DFdf]?|[A-HJ-NP-Z0-9]{4}[挂学警港澳])"
    r"(?![A-Za-z0-9])"
)


def _plates(text: str) -> list[Finding]:
    found = []
    for match in _PLATE.finditer(text):
        tail = re.sub(r"[^A-Za-z0-9]", "", match.group())[1:]
        if sum(ch.isdigit() for ch in tail) >= 2:
            found.append(Finding(match.start(), match.end(), "plate", match.group()))
    return found


# -- IP addresses -------------------------------------------------------------------------
_IPV4 = re.compile(
    r"(?<![A-Za-z0-9_.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}"
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![A-Za-z0-9_]|\.\d)"
)
_IPV6 = re.compile(
    r"(?<![A-Za-z0-9_:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[A-Za-z0-9]+)?(?![A-Za-z0-9_:])"
)
_IPV6_HINT = re.compile(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:")
_VERSION_WORDS = re.compile(r"(v|ver|version|版本|版本号|release)\s*$", re.I)


def _ips(text: str, starts: Starts) -> list[Finding]:
    found = []
    for match in _anchored(_IPV4, text, starts):
        if _VERSION_WORDS.search(text[max(0, match.start() - 10) : match.start()]):
            continue
        found.append(Finding(match.start(), match.end(), "ip_address", match.group()))
    for match in _IPV6.finditer(text) if _IPV6_HINT.search(text) else ():
        value = match.group()
        if value.count(":") < 2 or sum(c in "0123456789abcdefABCDEF" for c in value) < 3:
            continue
        try:
            ipaddress.IPv6Address(value.split("%")[0])
        except ValueError:
            continue
        found.append(Finding(match.start(), match.end(), "ip_address", value))
    return found


# -- addresses ----------------------------------------------------------------------------
# A Chinese address is found from its anchor (a road name followed by a number, or a
# building, unit or room number), then widened: forward with a bounded regex, backward
# over the run of place-name characters. Each anchor costs a bounded amount of work,
# so scanning stays linear however the text is built.
_STOP = set("我你他她们的了住在于是到去从往把被给让这那址吗呢吧啊哦嗯啦")
_NAME = r"[\u4e00-\u9fff]"
_ROAD_SUFFIX = r"(?:大街|大道|胡同|路|街|道|巷|弄)"
_NUMBER = (
    r"(?:[东西南北中一二三四五六七八九十]段)?[甲乙丙丁]?"
    r"(?:\d{1,5}(?:-\d{1,5})?|[A-Za-z])(?:号楼|号院|号(?![线店机位床车])|座|栋|幢|弄)"
)
# "号" not followed by 线/店/机…: "2号线" is a metro line, not a house number.
_BUILDING = (
    r"(?:\d{1,4}(?:号楼|栋|幢|座|单元|楼|层|室|户|号(?![线店机位床车])|组)"
    r"|[A-Za-z]座|[A-Za-z]\d{1,4}室?)"
)
_ESTATE_SUFFIX = r"(?:小区|花园|公寓|大厦|广场|家园|新村|中心|苑|院|园|城|村)"
_ESTATE = rf"(?:[A-Za-z0-9]{{0,12}}{_NAME}{{1,10}}{_ESTATE_SUFFIX})?"
_ROOM = r"(?:\d{2,5}(?:室|房|号)?(?!\d))?"
_POSTCODE = r"(?: ?\d{6}(?!\d))?"
_ROAD_ANCHOR = re.compile(rf"{_ROAD_SUFFIX}(?={_NUMBER})")
_ESTATE_ANCHOR = re.compile(
    rf"{_ESTATE_SUFFIX}(?=\d{{1,4}}(?:号楼|栋|幢|座|单元|组|号(?![线店机位床车])))"
)
_AFTER_ROAD = re.compile(rf"{_NUMBER}{_ESTATE}(?:{_BUILDING}){{0,4}}{_ROOM}{_POSTCODE}")
_AFTER_ESTATE = re.compile(rf"(?:{_BUILDING}){{1,4}}{_ROOM}")
_MAX_NAME_RUN = 30


def _name_run_start(text: str, end: int) -> int:
    """Walk back from ``end`` over place-name characters (CJK, not particles)."""
    start = end
    while start > 0 and end - start < _MAX_NAME_RUN:
        char = text[start - 1]
        if not "\u4e00" <= char <= "\u9fff" or char in _STOP:
            break
        start -= 1
    return start


def _chinese_addresses(text: str) -> list[Finding]:
    found: list[Finding] = []
    last_end = 0
    anchors = sorted(
        [(m.start(), m.end(), _AFTER_ROAD) for m in _ROAD_ANCHOR.finditer(text)]
        + [(m.start(), m.end(), _AFTER_ESTATE) for m in _ESTATE_ANCHOR.finditer(text)]
    )
    for anchor_start, anchor_end, tail in anchors:
        if anchor_start < last_end:
            continue
        rest = tail.match(text, anchor_end)
        if rest is None:
            continue
        start = max(_name_run_start(text, anchor_start), last_end)
        if anchor_start - start < 1:
            continue  # a bare "路12号" with no name is not an address
        found.append(Finding(start, rest.end(), "address", text[start : rest.end()]))
        last_end = rest.end()
    return found


_EN_SUFFIXES = (
    "Alley|Avenue|Ave|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|Camp|Canyon|Cape|Causeway|"
    "Center|Centers|Circle|Cir|Circles|Cliff|Cliffs|Club|Common|Corner|Corners|Course|Court|Ct|"
    "Courts|Cove|Coves|Creek|Crescent|Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drive|Dr|"
    "Drives|Estate|Estates|Expressway|Extension|Extensions|Fall|Falls|Ferry|Field|Fields|Flat|"
    "Flats|Ford|Fords|Forest|Forge|Forges|Fork|Forks|Fort|Freeway|Garden|Gardens|Gateway|Glen|"
    "Glens|Green|Greens|Grove|Groves|Harbor|Harbors|Haven|Heights|Highway|Hwy|Hill|Hills|Hollow|"
    "Inlet|Island|Islands|Isle|Junction|Junctions|Key|Keys|Knoll|Knolls|Lake|Lakes|Land|Landing|"
    "Lane|Ln|Light|Lights|Loaf|Lock|Locks|Lodge|Loop|Mall|Manor|Manors|Meadow|Meadows|Mews|Mill|"
    "Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval|Overpass|Park|Parks|"
    "Parkway|Pkwy|Parkways|Pass|Passage|Path|Pike|Pine|Pines|Place|Pl|Plain|Plains|Plaza|Point|"
    "Points|Port|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|Ridges|River|Road|Rd|"
    "Roads|Route|Row|Rue|Run|Shoal|Shoals|Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Square|"
    "Sq|Squares|Station|Stravenue|Stream|Street|St|Streets|Summit|Terrace|Ter|Throughway|Trace|"
    "Track|Trafficway|Trail|Tunnel|Turnpike|Underpass|Union|Unions|Valley|Valleys|Via|Viaduct|"
    "View|Views|Village|Villages|Ville|Vista|Walk|Walks|Wall|Way|Ways|Well|Wells|Boulevard|Blvd"
)
_EN_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9_-])\d{1,6}[A-Za-z]?(?:\s+(?:[NSEW]\.?|North|South|East|West))?"
    r"(?:\s+[A-Z][A-Za-z'.-]{0,20}){1,4}\s+(?:" + _EN_SUFFIXES + r")\b\.?"
    r"(?:\s+(?:NW|NE|SW|SE)\b)?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm|#)\.?\s*#?[A-Za-z0-9-]{1,6})?"
    r"(?:,?\s*\n?\s*[A-Z][A-Za-z.'-]{1,20}(?:\s[A-Z][A-Za-z.'-]{1,20}){0,3},\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
)


_MILITARY_ADDRESS = re.compile(
    r"(?:(?:USNS|USNV|USS|USCGC)\s+[A-Z][A-Za-z]+|PSC\s+\d{4},\s+Box\s+\d{4}|Unit\s+\d{4}\s+Box\s+\d{4})"
    r",\s+(?:FPO|APO|DPO)\s+(?:AE|AA|AP)\s+\d{5}"
)


def _addresses(text: str) -> list[Finding]:
    found = _chinese_addresses(text)
    for pattern in (_EN_ADDRESS, _MILITARY_ADDRESS):
        for match in pattern.finditer(text):
            found.append(Finding(match.start(), match.end(), "address", match.group()))
    return _merge_adjacent(text, sorted(found, key=lambda f: f.start))


def _merge_adjacent(text: str, found: list[Finding]) -> list[Finding]:
    """A road-and-number followed straight away by an estate and room is one address."""
    merged: list[Finding] = []
    for finding in found:
        if (
            merged
            and 0 <= finding.start - merged[-1].end <= 1
            and not text[merged[-1].end : finding.start].strip(" ")
        ):
            start = merged[-1].start
            merged[-1] = Finding(start, finding.end, "address", text[start : finding.end])
        else:
            merged.append(finding)
    return merged


# -- affiliation ---------------------------------------------------------------------------
_ORG_NAME = r"(?:(?![我你他她们的了在是])[\u4e00-\u9fff])"
_INSTITUTION = (
    r"(?:大学|学院|中学|小学|高中|初中|附中|公司|集团|银行|医院|研究所|研究院|事务所|中心|局|厂)"
)
_ZH_AFFILIATION = re.compile(
    rf"(?:我|本人|俺)(?:现在|目前|现)?(?:在|是|就读于|毕业于|任职于|就职于|供职于|来自)"
    rf"(?P<org>{_ORG_NAME}{{2,14}}?{_INSTITUTION})"
    rf"|我们(?:公司|学校|单位|医院|学院|大学|厂)(?:是|叫)?"
    rf"(?P<org2>{_ORG_NAME}{{0,8}}?{_INSTITUTION}|[A-Za-z][A-Za-z0-9&-]{{1,20}})"
    rf"|在(?P<org3>{_ORG_NAME}{{2,12}}?{_INSTITUTION})(?:上班|工作|实习|读书|上学|读研|读博|任职|当)"
)
_EN_AFFILIATION = re.compile(
    r"\bI(?:'m| am)?\s+(?:work(?:ing)?|study(?:ing)?|teach(?:ing)?|an? (?:student|intern|engineer|"
    r"nurse|doctor|teacher|professor|researcher|employee)|employed)\s+(?:at|for|in)\s+"
    r"(?P<org>(?:the\s+)?[A-Z][A-Za-z0-9&'-]*(?:\s+(?:of\s+)?[A-Z][A-Za-z0-9&'-]*){0,5})"
)


def _affiliations(text: str) -> list[Finding]:
    found = []
    for match in _ZH_AFFILIATION.finditer(text):
        group = next(name for name in ("org", "org2", "org3") if match.group(name))
        found.append(
            Finding(match.start(group), match.end(group), "affiliation", match.group(group))
        )
    for match in _EN_AFFILIATION.finditer(text):
        found.append(
            Finding(match.start("org"), match.end("org"), "affiliation", match.group("org"))
        )
    return found


# -- the scanner -----------------------------------------------------------------------------
# When findings overlap: kinds found through explicit context or syntax first,
# then the bare numbers (longest wins, so a card is not read as a phone inside it),
# then plates, addresses and affiliations.
_TIER = {
    "email": 0,
    "ip_address": 0,
    "qq": 1,
    "wechat": 1,
    "cn_id": 2,
    "phone": 2,
    "bank_card": 2,
    "plate": 3,
    "postcode": 4,
    "address": 4,
    "affiliation": 5,
    "person_name": 5,
}
_ORDER = {kind: index for index, kind in enumerate(("cn_id", "bank_card", "phone"))}


def _names_and_places(text: str) -> list[Finding]:
    spans = names_and_places.person_names(text) + names_and_places.postcodes(text)
    return [Finding(s.start, s.end, s.kind, s.text) for s in spans]


_TEXT_DETECTORS = (
    _emails,
    _qq,
    _wechat,
    _plates,
    _addresses,
    _affiliations,
    _names_and_places,
)


def scan(text: str) -> list[Finding]:
    """All personal-data findings in ``text``, without overlaps, in order."""
    if len(text) > MAX_CHARS:
        raise TextTooLong(f"text is longer than {MAX_CHARS} characters")
    if not text:
        return []
    starts = _number_starts(text)
    candidates: list[Finding] = []
    for numeric in (_phones, _cn_ids, _cards, _ips):
        candidates.extend(numeric(text, starts))
    for detector in _TEXT_DETECTORS:
        if detector is _emails and "@" not in text and "＠" not in text:
            continue
        candidates.extend(detector(text))
    candidates.sort(
        key=lambda f: (_TIER[f.kind], -(f.end - f.start), _ORDER.get(f.kind, 0), f.start)
    )
    # Chosen spans never overlap, so a new one need only be checked against its
    # neighbours in start order: linear-logarithmic even with many findings.
    chosen_starts: list[int] = []
    chosen: list[Finding] = []
    for finding in candidates:
        index = bisect.bisect_left(chosen_starts, finding.start)
        if index > 0 and chosen[index - 1].end > finding.start:
            continue
        if index < len(chosen) and chosen[index].start < finding.end:
            continue
        chosen_starts.insert(index, finding.start)
        chosen.insert(index, finding)
    return chosen
