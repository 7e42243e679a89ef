"""Person names and postcodes, in Chinese and English.

Names are the hardest: almost any word can be one. So a name is only found where
something says it is a name: a Chinese surname after "我叫 / 联系人 / 收件人 …" or
before a title (老师, 先生, 女士 …); an English honorific (Mr, Dr …) before a
capitalised word, or a common English given name followed by a capitalised
surname. Postcodes need their shape and their place: a UK postcode, a US state
before a ZIP code, a Chinese six-digit code after 邮编. Each detector is one
linear regex pass; ``momo.privacy.pii`` merges their findings with the rest.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    text: str


# The most common Chinese surnames (single and compound), covering most people.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|司徒|公孙|夏侯|尉迟|长孙|宇文|轩辕|端木"
_CN_NAME = rf"(?:{_COMPOUND}|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}"
_CN_BEFORE = r"(?:我叫|名叫|叫做|本名|真名|姓名[:：]?\s*|联系人[:：]?\s*|收件人[:：]?\s*|收货人[:：]?\s*|负责人[:：]?\s*|签名[:：]?\s*)"
_CN_TITLE = r"(?:老师|先生|女士|小姐|同学|经理|医生|大夫|律师|主任|教授|师傅|阿姨|总监)"
_CN_CUED = re.compile(
    rf"{_CN_BEFORE}({_CN_NAME}?)(?=$|[^\u4e00-\u9fff]|{_CN_TITLE}|[和跟与的是在])"
)
# Before a titled name: not a Chinese character (so not the middle of a word), or a
# word that introduces a person (谢谢, 和, 找, 问 …).
_CN_TITLED = re.compile(
    rf"(?:(?<![\u4e00-\u9fff])|(?<=[谢和跟找问给是请向对被让见了]))({_CN_NAME}?)(?={_CN_TITLE})"
)

_HONORIFIC = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Madam|Dame)\.?\s+"
    r"([A-Z][a-z]+(?:[-'][A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)?)"
)
# Common English given names (US and UK birth records): a cue that the capitalised
# word after it is a surname.
_GIVEN = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy "
    "Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse "
    "Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy "
    "Vincent Ralph Eugene Russell Bobby Mason Philip Louis Harry Oliver Charlie Oscar Leo Alfie "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah "
    "Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma "
    "Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria "
    "Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan "
    "Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison "
    "Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn "
    "Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori "
    "Amelia Isla Ava Mia Ella Lily Sophie Chloe Jessica Lucy Ruby Poppy Freya Zoe Kate Jane Tom"
)
_GIVEN_NAME = re.compile(
    rf"\b(?:{'|'.join(sorted(set(_GIVEN.split()), key=len, reverse=True))})"
    r"\s+(?:[A-Z]\.\s+)?[A-Z](?:[a-z]+|'[A-Z][a-z]+)(?:[-'][A-Z][a-z]+)?\b"
)
# Capitalised words after a given name that are not surnames.
_NOT_SURNAME = re.compile(
    r"\s(?:The|And|But|Or|Is|Was|Street|Road|Avenue|Park|University|College|School|Street|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|I|It|He|She|We|They)$"
)

_UK_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)
_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
)
_US_ZIP = re.compile(rf"\b(?:{'|'.join(_US_STATES.split())}),?\s+\d{{5}}(?:-\d{{4}})?\b")
_CN_POSTCODE = re.compile(r"(?:邮编|邮政编码|postcode|zip)\s*[:：]?\s*(\d{6})(?!\d)", re.I)


def person_names(text: str) -> list[Span]:
    found: list[Span] = []
    for pattern in (_CN_CUED, _CN_TITLED):
        for match in pattern.finditer(text):
            if match.group(1):
                found.append(Span(match.start(1), match.end(1), "person_name", match.group(1)))
    for match in _HONORIFIC.finditer(text):
        found.append(Span(match.start(), match.end(), "person_name", match.group()))
    for match in _GIVEN_NAME.finditer(text):
        if _NOT_SURNAME.search(match.group()):
            continue
        found.append(Span(match.start(), match.end(), "person_name", match.group()))
    return found


def postcodes(text: str) -> list[Span]:
    found = [Span(m.start(), m.end(), "postcode", m.group()) for m in _UK_POSTCODE.finditer(text)]
    found += [Span(m.start(), m.end(), "postcode", m.group()) for m in _US_ZIP.finditer(text)]
    found += [
        Span(m.start(1), m.end(1), "postcode", m.group(1)) for m in _CN_POSTCODE.finditer(text)
    ]
    return found
