"""A labelled set for the PII scanner, built with Faker and sentence templates in
the voice of real posts. Negative sentences (order and tracking numbers, prices,
dates, versions, scores, room numbers, meeting ids, timestamps) sit beside the
positive ones. ``build(seed)`` is deterministic; tests use several seeds so the
scanner is never tuned to one sample.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable
from typing import Any

from faker import Faker

Gen = Callable[[random.Random, Faker, Faker], str]

PROVINCE_SHORT = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(body)):
        value = int(char)
        if index % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return body + str((10 - total % 10) % 10)


def _group(digits: str, rng: random.Random, sizes: tuple[int, ...] = (4,)) -> str:
    style = rng.random()
    if style < 0.5:
        return digits
    sep = " " if style < 0.8 else "-"
    out, i = [], 0
    while i < len(digits):
        size = sizes[min(len(out), len(sizes) - 1)]
        out.append(digits[i : i + size])
        i += size
    return sep.join(out)


def phone(rng: random.Random, zh: Faker, en: Faker) -> str:
    kind = rng.random()
    if kind < 0.55:
        number = zh.phone_number()
        style = rng.randrange(5)
        if style == 1:
            number = f"{number[:3]} {number[3:7]} {number[7:]}"
        elif style == 2:
            number = f"{number[:3]}-{number[3:7]}-{number[7:]}"
        elif style == 3:
            number = f"+86 {number}"
        elif style == 4:
            number = f"+86-{number[:3]}-{number[3:7]}-{number[7:]}"
        return number
    if kind < 0.7:
        area = rng.choice(["010", "021", "020", "0755", "0571", "028", "027", "0512"])
        local = str(rng.randint(2, 8)) + "".join(
            rng.choice("0123456789") for _ in range(7 if len(area) == 3 else 6)
        )
        sep = rng.choice(["-", " ", "-"])
        return f"({area}){local}" if rng.random() < 0.2 else f"{area}{sep}{local}"
    if kind < 0.92:
        return en.phone_number()
    return rng.choice(
        [
            "+44 20 7946 0958",
            "+49 30 12345678",
            "+81 3-1234-5678",
            "+33 1 42 68 53 00",
            "+61 2 9374 4000",
            "+65 6123 4567",
            "+852 2123 4567",
        ]
    )


def cn_id(rng: random.Random, zh: Faker, en: Faker) -> str:
    if rng.random() < 0.9:
        return zh.ssn()
    region = zh.ssn()[:6]
    return f"{region}{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"


def email(rng: random.Random, zh: Faker, en: Faker) -> str:
    return (zh if rng.random() < 0.5 else en).email()


def bank_card(rng: random.Random, zh: Faker, en: Faker) -> str:
    if rng.random() < 0.5:
        return _group(
            _luhn_complete("62" + str(rng.randint(10, 99)), rng.choice([16, 17, 19]), rng), rng
        )
    return _group(zh.credit_card_number(), rng)


def qq(rng: random.Random, zh: Faker, en: Faker) -> str:
    return str(rng.randint(1, 9)) + "".join(
        rng.choice("0123456789") for _ in range(rng.randint(4, 10))
    )


def wechat(rng: random.Random, zh: Faker, en: Faker) -> str:
    first = rng.choice("abcdefghijklmnopqrstuvwxyz")
    rest = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(rng.randint(5, 14))
    )
    value = first + rest.rstrip("_-") + str(rng.randint(0, 99))
    return (
        value
        if rng.random() < 0.85
        else "wxid_" + "".join(rng.choice("abcdefghijk0123456789") for _ in range(10))
    )


def plate(rng: random.Random, zh: Faker, en: Faker) -> str:
    if rng.random() < 0.3:
        return zh.license_plate()
    head = rng.choice(PROVINCE_SHORT) + rng.choice(PLATE_LETTERS)
    sep = rng.choice(["", "", "·", "-", " "])
    if rng.random() < 0.3:
        tail = rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    else:
        chars = [rng.choice("0123456789") for _ in range(5)]
        for _ in range(rng.randint(0, 2)):
            chars[rng.randrange(5)] = rng.choice(PLATE_LETTERS)
        if sum(c.isdigit() for c in chars) < 3:
            chars[0], chars[1], chars[2] = "1", "2", "3"
        tail = "".join(chars)
    return head + sep + tail


_ROADS = [
    "人民路",
    "中山路",
    "解放路",
    "建设大道",
    "长安街",
    "文三路",
    "淮海中路",
    "南京西路",
    "天府大道",
    "学院路",
    "和平街",
    "滨江路",
]
_ESTATES = [
    "阳光花园",
    "万科城",
    "翠苑小区",
    "金地家园",
    "幸福里小区",
    "绿地公寓",
    "龙湖天街",
    "碧桂园",
]
_CITIES = [
    ("浙江省", "杭州市", "西湖区"),
    ("广东省", "深圳市", "南山区"),
    ("四川省", "成都市", "武侯区"),
    ("", "上海市", "徐汇区"),
    ("", "北京市", "海淀区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("湖北省", "武汉市", "洪山区"),
]


def address(rng: random.Random, zh: Faker, en: Faker) -> str:
    kind = rng.random()
    if kind < 0.25:
        value = zh.address()
        return value if rng.random() < 0.5 else value.rsplit(" ", 1)[0]
    if kind < 0.65:
        province, city, district = rng.choice(_CITIES)
        parts = []
        if rng.random() < 0.6:
            parts += [province, city, district]
        elif rng.random() < 0.5:
            parts += [district]
        parts.append(rng.choice(_ROADS) + f"{rng.randint(1, 999)}号")
        if rng.random() < 0.6:
            parts.append(rng.choice(_ESTATES) + f"{rng.randint(1, 30)}栋")
            if rng.random() < 0.5:
                parts.append(f"{rng.randint(1, 4)}单元")
            parts.append(f"{rng.randint(1, 33)}{rng.randint(1, 4):02d}室")
        return "".join(parts)
    if kind < 0.75:
        return (
            rng.choice(_ESTATES)
            + f"{rng.randint(1, 30)}号楼{rng.randint(1, 33)}{rng.randint(1, 4):02d}"
        )
    if kind < 0.9:
        return en.street_address()
    return en.address().replace("\n", ", ")


def ip_address(rng: random.Random, zh: Faker, en: Faker) -> str:
    if rng.random() < 0.65:
        return en.ipv4()
    value = en.ipv6()
    return ipaddress.IPv6Address(value).compressed if rng.random() < 0.5 else value


_SCHOOLS = [
    "清华大学",
    "浙江大学",
    "复旦大学",
    "北京师范大学",
    "华中科技大学",
    "深圳中学",
    "南京外国语学校附中",
]


def affiliation(rng: random.Random, zh: Faker, en: Faker) -> str:
    return rng.choice(_SCHOOLS) if rng.random() < 0.5 else zh.company()


GENERATORS: dict[str, Gen] = {
    "phone": phone,
    "cn_id": cn_id,
    "email": email,
    "bank_card": bank_card,
    "qq": qq,
    "wechat": wechat,
    "plate": plate,
    "address": address,
    "ip_address": ip_address,
    "affiliation": affiliation,
}

TEMPLATES: dict[str, list[str]] = {
    "phone": [
        "房子还在，有意向的直接打我电话{}，晚上也可以",
        "转让一台九成新的咖啡机，联系方式：{}",
        "家人们谁懂啊，快递员把我的手机号{}写在了门上",
        "需要拼车的私我或者打 {} ，周末出发",
        "Selling my bike, text me at {} if interested",
        "Lost a black wallet near the station, please call {}",
        "找室友！电话{}（微信同号）",
        "有问题可以打这个电话 {}，问就是专业",
        "My landlord's number is {} in case anyone else rents there",
        "{} 这个号码一直打骚扰电话，大家小心",
    ],
    "cn_id": [
        "帮朋友挂号，身份证号{}，这样填对吗",
        "办卡的时候柜员让我报身份证 {} 我都不敢大声说",
        "捡到一张身份证，号码是{}，失主请联系",
        "my Chinese ID is {}, is the format right?",
        "证件号：{} 姓名那栏填错了怎么办",
    ],
    "email": [
        "简历可以发我邮箱{}，内推有效",
        "想要资料的留言，我发到你们邮箱，我的是 {}",
        "邮箱{}谢谢楼主",
        "Send the photos to {} and I'll print them",
        "contact: {}",
        "有事发邮件到{}，一般当天回复",
    ],
    "bank_card": [
        "定金转到这张卡 {} 就行",
        "我的银行卡号{}被冻结了，有人遇到过吗",
        "退款请打到卡号：{}",
        "Transfer it to my card {} please",
        "工资卡{}一直没到账，急",
    ],
    "qq": [
        "考研资料免费分享，加我QQ{}",
        "游戏开黑来，扣扣：{}",
        "有兴趣的加企鹅 {} 备注小红书",
        "qq号 {} 欢迎来聊",
        "QQ：{} 拉你进群",
        "my QQ is {} add me",
    ],
    "wechat": [
        "出二手相机，vx：{}",
        "想一起健身的加微信{}备注小红书",
        "v信 {} 私聊价格",
        "wx: {}",
        "加薇信{}领资料",
        "WeChat: {} for details",
        "有需要的加我微信号：{}",
        "my WeChat ID is {}",
    ],
    "plate": [
        "今天被一辆车牌{}的车别了，太危险了",
        "小区门口停的{}挡了消防通道",
        "求助：车牌号 {} 的车主，你的车灯没关",
        "The car with plate {} hit my scooter",
        "{}天天乱停，物业也不管",
    ],
    "address": [
        "我住在{}，楼下就有地铁",
        "快递总送错，地址明明写的是{}",
        "周末聚会就在{}，大家直接来",
        "新家终于装修好了！{}，欢迎来玩",
        "Our shop moved to {}, come say hi",
        "I live at {} and the noise is unbearable",
        "收货地址：{}",
    ],
    "ip_address": [
        "我家路由器后台是{}，怎么改密码",
        "服务器 {} 一直连不上，求助",
        "Someone logged in from {} at 3am",
        "把DNS改成{}之后快多了",
        "ping {} 丢包严重",
    ],
    "affiliation": [
        "我在{}读研，导师人很好",
        "我是{}的，想问下学长学姐",
        "本人就读于{}，分享一下保研经验",
        "我目前就职于{}，做产品",
        "我们公司{}今天又加班",
    ],
}

NEGATIVES: list[Gen] = [
    lambda r, z, e: (
        f"订单号：{''.join(r.choice('0123456789') for _ in range(r.randint(16, 19)))}，一直没发货"
    ),
    lambda r, z, e: (
        f"快递单号 SF{''.join(r.choice('0123456789') for _ in range(12))}，显示已签收但我没收到"
    ),
    lambda r, z, e: (
        f"运单号{''.join(r.choice('0123456789') for _ in range(r.randint(12, 15)))}查不到物流"
    ),
    lambda r, z, e: (
        f"Tracking number {''.join(r.choice('0123456789') for _ in range(r.randint(12, 20)))} hasn't moved in days"
    ),
    lambda r, z, e: f"order #{r.randint(10**9, 10**12)} still pending",
    lambda r, z, e: f"这件大衣原价¥{r.randint(199, 9999)}，现在{r.randint(99, 999)}元入手",
    lambda r, z, e: (
        f"It cost ${r.randint(10, 999)}.{r.randint(10, 99)} plus {r.randint(5, 20)}% tip"
    ),
    lambda r, z, e: (
        f"{r.randint(2015, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d} 打卡"
    ),
    lambda r, z, e: f"{r.randint(2015, 2025)}年{r.randint(1, 12)}月{r.randint(1, 28)}日 晴",
    lambda r, z, e: f"更新到 v{r.randint(1, 20)}.{r.randint(0, 20)}.{r.randint(0, 99)} 之后闪退",
    lambda r, z, e: f"iOS {r.randint(14, 18)}.{r.randint(0, 6)}.{r.randint(0, 3)} 的电池好耗电",
    lambda r, z, e: (
        f"版本 {r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}.{r.randint(0, 999)} 修复了这个问题"
    ),
    lambda r, z, e: f"昨晚比分 {r.randint(80, 130)}:{r.randint(80, 130)}，太刺激了",
    lambda r, z, e: f"雅思考了{r.randint(5, 8)}.5，GPA {r.randint(2, 3)}.{r.randint(0, 99)}",
    lambda r, z, e: f"住在{r.randint(1, 33)}{r.randint(1, 4):02d}房间的邻居半夜唱歌",
    lambda r, z, e: f"Room {r.randint(100, 2999)} has no hot water",
    lambda r, z, e: (
        f"腾讯会议号：{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(100, 999)}，九点开始"
    ),
    lambda r, z, e: (
        f"会议号 {r.randint(100, 999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)} 密码 {r.randint(1000, 9999)}"
    ),
    lambda r, z, e: (
        f"Zoom meeting ID: {r.randint(100, 999)} {r.randint(1000, 9999)} {r.randint(1000, 9999)}"
    ),
    lambda r, z, e: f"timestamp {r.randint(1500000000, 1800000000)} in the logs",
    lambda r, z, e: f"日志里的时间戳是{r.randint(1500000000000, 1800000000000)}",
    lambda r, z, e: (
        f"ISBN 978-7-{r.randint(100, 999)}-{r.randint(10000, 99999)}-{r.randint(0, 9)} 这本书推荐"
    ),
    lambda r, z, e: f"身高{r.randint(150, 190)}体重{r.randint(40, 90)}，穿M码",
    lambda r, z, e: (
        f"跑了{r.randint(3, 42)}.{r.randint(0, 9)}公里，配速{r.randint(4, 7)}'{r.randint(10, 59)}\""
    ),
    lambda r, z, e: f"取件码 {r.randint(1, 30)}-{r.randint(1, 9)}-{r.randint(1000, 9999)}",
    lambda r, z, e: f"验证码{r.randint(100000, 999999)}，五分钟内有效",
    lambda r, z, e: f"我们在{r.randint(2, 30)}楼开会，{r.randint(1, 12)}点{r.randint(0, 59)}分开始",
    lambda r, z, e: (
        f"The meeting is at {r.randint(1, 12)}:{r.randint(0, 59):02d} in building {r.randint(1, 9)}"
    ),
    lambda r, z, e: (
        f"Version {r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)} is out, {r.randint(10, 99)}% faster"
    ),
    lambda r, z, e: f"第{r.randint(1, 99)}期直播回放，{r.randint(1000, 99999)}人在看",
    lambda r, z, e: f"用了 {r.randint(16, 512)}GB 的卡，拍了{r.randint(100, 3000)}张照片",
    lambda r, z, e: f"发票号码{r.randint(10**11, 10**12)}，金额{r.randint(100, 9999)}.00",
    lambda r, z, e: f"航班 CA{r.randint(1000, 9999)} 延误了{r.randint(1, 5)}小时",
    lambda r, z, e: (
        f"商品编号 {''.join(r.choice('0123456789') for _ in range(r.randint(11, 16)))} 已经下架"
    ),
]


def build(seed: int, per_kind: int = 60, negatives: int = 300) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    zh, en = Faker("zh_CN"), Faker("en_US")
    zh.seed_instance(seed)
    en.seed_instance(seed + 1)
    rows: list[dict[str, Any]] = []
    for kind, generate in GENERATORS.items():
        for _ in range(per_kind):
            value = generate(rng, zh, en)
            template = rng.choice(TEMPLATES[kind])
            before, after = template.split("{}")
            text = before + value + after
            rows.append(
                {
                    "id": len(rows),
                    "text": text,
                    "spans": [
                        {"start": len(before), "end": len(before) + len(value), "kind": kind}
                    ],
                }
            )
    for _ in range(negatives):
        rows.append({"id": len(rows), "text": rng.choice(NEGATIVES)(rng, zh, en), "spans": []})
    rng.shuffle(rows)
    return rows
