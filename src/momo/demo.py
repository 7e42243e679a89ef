"""Seed a realistic bilingual community so a newcomer sees something alive.

Time is simulated: the seeder runs Momo on a clock that walks from a month
ago to now, so notes, comments and hot ranks look like a real month.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from momo.config import Settings
from momo.core import Momo
from momo.identity.accounts import Viewer

TOPICS = {
    "美食": [
        "今天在巷子里发现一家{adj}的{food}店",
        "自己在家做了{food}，{feeling}",
        "{city}这家{food}真的{adj}",
    ],
    "旅行": [
        "{city}三天两夜，{feeling}",
        "第一次去{city}，{adj}到哭",
        "{city}小众路线分享，人少景美",
    ],
    "穿搭": ["秋冬{color}系穿搭，{adj}又保暖", "小个子{color}通勤穿搭", "一周不重样的{color}穿搭"],
    "学习": ["考研倒计时{n}天，{feeling}", "每天{n}分钟英语，坚持了一个月", "自习室打卡第{n}天"],
    "职场": ["入职{n}个月，想说点真话", "被老板约谈之后，{feeling}", "转行做设计的第{n}天"],
    "租房": ["{city}租房避坑指南，{adj}经验", "一个人住的{n}平小屋改造", "搬家{n}次总结的经验"],
    "宠物": ["我家猫今天又{pet}了", "领养的小狗第{n}天，{feeling}", "给猫咪做了{food}，它{pet}"],
    "摄影": ["手机拍{city}夜景的{n}个技巧", "胶片里的{city}，{adj}", "{color}色调的秋天"],
}
EN_TOPICS = {
    "coffee": [
        "Found a {adj_en} coffee place in {city_en}",
        "My {n}-day pour-over experiment",
        "Best {adj_en} latte art I managed so far",
    ],
    "hiking": [
        "{city_en} ridge trail: {n} km and worth every step",
        "Packing list for a {adj_en} day hike",
        "Sunrise hike, {feeling_en}",
    ],
    "books": [
        "Read {n} books this month, here are the {adj_en} ones",
        "A {adj_en} novel about {city_en}",
        "Notes from a {n}-page classic",
    ],
    "cooking": [
        "One-pot {food_en} in {n} minutes",
        "Tried making {food_en} from scratch, {feeling_en}",
        "Budget meal prep: {food_en} for {n} days",
    ],
}
FILL = {
    "adj": ["超好吃", "宝藏", "绝绝子", "安静", "治愈", "一般般", "惊喜", "性价比很高"],
    "food": ["螺蛳粉", "生煎", "牛肉面", "麻辣烫", "芋泥奶茶", "手冲咖啡", "煎饼果子", "酸菜鱼"],
    "feeling": ["心情好多了", "有点累但值得", "想哭又想笑", "终于松了口气", "太满足了"],
    "city": ["成都", "杭州", "大理", "青岛", "厦门", "西安", "长沙", "重庆", "苏州"],
    "color": ["奶白", "燕麦", "雾蓝", "焦糖", "黑白", "墨绿"],
    "pet": ["拆家", "撒娇", "打呼噜", "偷吃", "跑酷"],
    "adj_en": ["cozy", "tiny", "quiet", "surprising", "underrated", "lovely"],
    "city_en": ["Lisbon", "Kyoto", "Vancouver", "Tbilisi", "Oaxaca", "Edinburgh"],
    "feeling_en": ["totally worth it", "tired but happy", "a bit chaotic", "so calming"],
    "food_en": ["ramen", "dal", "risotto", "dumplings", "shakshuka", "curry"],
}
BODIES_ZH = [
    "分享一下这次的体验，{feeling}。大家有什么推荐吗？",
    "说真的，{adj}。下次还会再来，评论区聊聊你们的看法～",
    "记录一下：{feeling}。希望对你们有帮助！",
    "踩过的坑都写在这里了，{adj}的部分放在最后。",
]
BODIES_EN = [
    "Sharing in case it helps someone. {feeling_en}. Any tips welcome!",
    "Honestly {adj_en}. Would go again. What do you all think?",
    "Quick notes for future me: {feeling_en}.",
]
COMMENTS = [
    "好喜欢！",
    "求地址～",
    "收藏了，下次试试",
    "真的吗？我去的时候一般",
    "楼主拍得好好看",
    "同款经历哈哈哈",
    "感谢分享",
    "请问多少钱？",
    "这个我也想知道",
    "太真实了",
    "冲！",
    "Love this!",
    "Saving for later",
    "Where exactly is this?",
    "Same here haha",
    "Thanks for sharing",
    "Not my experience, but glad you liked it",
    "How long did it take?",
    "Beautiful shot",
]
REPLIES = [
    "谢谢～",
    "在评论区置顶了",
    "可以私下搜一下店名",
    "哈哈是的",
    "Thanks!",
    "Glad it helped",
    "About an hour",
    "同感",
]
PALETTES = [
    ((255, 214, 224), (255, 120, 140)),
    ((214, 236, 255), (90, 140, 220)),
    ((255, 240, 200), (240, 160, 60)),
    ((220, 245, 225), (70, 160, 110)),
    ((235, 225, 255), (140, 100, 210)),
    ((245, 235, 225), (160, 120, 90)),
]


class DemoClock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@dataclass
class DemoReport:
    accounts: int
    notes: int
    comments: int
    likes: int


def _fill(template: str, rng: random.Random) -> str:
    values = {key: rng.choice(options) for key, options in FILL.items()}
    values["n"] = str(rng.randint(2, 120))
    return template.format(**values)


def _image(rng: random.Random) -> bytes:
    light, dark = rng.choice(PALETTES)
    width, height = rng.choice([(480, 640), (480, 600), (480, 480), (640, 480)])
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randint(-60, width), rng.randint(-60, height)
        r = rng.randint(30, 160)
        shade = tuple(int(light[i] + (dark[i] - light[i]) * rng.random()) for i in range(3))
        draw.ellipse((x, y, x + r, y + r), fill=shade)
    image = image.filter(ImageFilter.GaussianBlur(rng.randint(0, 3)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def seed(
    settings: Settings,
    *,
    notes: int = 500,
    accounts: int = 160,
    days: int = 30,
    seed_value: int = 7,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    rng = random.Random(seed_value)
    clock = DemoClock(time.time() - days * 86400)
    momo = Momo(settings, clock=clock)
    try:
        momo.migrate()
        people: list[Viewer] = []
        for _ in range(accounts):
            created = momo.accounts.create(probation=False)
            viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
            assert viewer is not None
            people.append(viewer)
        step = days * 86400 / max(1, notes)
        note_ids: list[str] = []
        counts = DemoReport(accounts=accounts, notes=0, comments=0, likes=0)
        for index in range(notes):
            clock.now += step * rng.uniform(0.5, 1.5)
            author = rng.choice(people)
            chinese = rng.random() < 0.75
            if chinese:
                topic, titles = rng.choice(list(TOPICS.items()))
                title = _fill(rng.choice(titles), rng)[:100]
                body = _fill(rng.choice(BODIES_ZH), rng) + f"\n\n#{topic}"
            else:
                topic, titles = rng.choice(list(EN_TOPICS.items()))
                title = _fill(rng.choice(titles), rng)[:100]
                body = _fill(rng.choice(BODIES_EN), rng) + f"\n\n#{topic}"
            images = [_image(rng) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
            note_id = momo.notes.create(author, title, body, images)
            note_ids.append(note_id)
            counts.notes += 1
            thread: list[str] = []
            posted_at = clock.now
            # Replies and likes come once the note is out (its bucket has ended).
            clock.now += momo.settings.time_granularity_seconds
            for _ in range(int(rng.expovariate(1 / 4))):
                # Replies trickle in over the following hours, as in a real thread.
                clock.now += rng.uniform(120, 2400)
                speaker = rng.choice(people)
                reply_to = rng.choice(thread) if thread and rng.random() < 0.3 else None
                text = rng.choice(REPLIES if reply_to else COMMENTS)
                thread.append(momo.comments.add(speaker, note_id, text, reply_to).id)
                counts.comments += 1
            popularity = rng.paretovariate(1.6)
            for liker in rng.sample(people, min(len(people), int(popularity * 3))):
                momo.reactions.set_note_reaction(liker, "like", note_id, True)
                counts.likes += 1
            clock.now = posted_at
            if progress is not None:
                progress(index + 1, notes)
        clock.now = max(clock.now, time.time())
        momo.publication.publish_due()
        return counts
    finally:
        momo.close()
