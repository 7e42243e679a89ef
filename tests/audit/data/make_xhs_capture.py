"""Writes xhs-capture-synthetic.ndjson: a small, invented capture in the exact shape
Zeeschuimer saves from the RedNote web client (one item per line, the platform's JSON
under "data", the capture's metadata beside it). No real account is in it.

    python tests/audit/data/make_xhs_capture.py

The people, chosen so the expected figures can be worked out by hand (see
tests/audit/test_xhs.py): eight wear the momo persona (a momo nickname and one shared
default avatar), two more are called momo but use their own photo, one is "Momoko",
and ten others have ordinary names.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(__file__).with_name("xhs-capture-synthetic.ndjson")
DEFAULT_AVATAR = "https://sns-avatar-qc.xhscdn.com/avatar/1040g2jo30default0momo.jpg"
SUFFIXES = ("?imageView2/2/w/80/format/jpg", "!avatar_80", "", "?imageView2/2/w/120/format/webp")


def ms(day: int, hour: int, minute: int) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp() * 1000)


def wrap(number: int, item_id: str, data: dict, module: str = "xiaohongshu.com") -> str:
    return json.dumps(
        {
            "id": number,
            "nav_index": f"1:{number}:0",
            "item_id": item_id,
            "timestamp_collected": ms(28, 9, 0) + number,
            "source_platform": module,
            "source_platform_url": "https://www.xiaohongshu.com/explore",
            "source_url": "https://edith.xiaohongshu.com/api/sns/web/v1/homefeed",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "data": data,
        },
        ensure_ascii=False,
    )


def explore_note(note_id: str, user: dict, when: int, ip: str, title: str) -> dict:
    return {
        "id": note_id,
        "model_type": "note",
        "xsec_token": "ABsynthetic",
        "note_card": {
            "type": "normal",
            "display_title": title,
            "desc": f"{title} #日常",
            "time": when,
            "ip_location": ip,
            "user": user,
            "interact_info": {"liked_count": "12", "collected_count": "3", "comment_count": "1"},
            "image_list": [{"url_default": "https://sns-webpic-qc.xhscdn.com/synthetic.jpg"}],
        },
    }


def comment(comment_id: str, note_id: str, user: dict, when: int, ip: str, text: str) -> dict:
    return {
        "id": comment_id,
        "note_id": note_id,
        "content": text,
        "create_time": when,
        "ip_location": ip,
        "like_count": "0",
        "status": 0,
        "user_info": {
            "user_id": user["user_id"],
            "nickname": user["nickname"],
            "image": user["avatar"],
        },
        "sub_comment_count": "0",
        "sub_comments": [],
    }


def main() -> None:
    persona = [
        # nickname, ip label, note time (day, hour, minute) or None
        ("momo", "广东", (20, 12, 5)),
        ("Momo", "广东", (20, 12, 20)),
        ("momo🌸", "广东", (20, 13, 40)),
        ("小momo", "上海", (20, 15, 10)),
        ("momo_2024", "上海", (20, 12, 45)),
        ("MOMO", "上海", (20, 12, 50)),
        ("momo酱", "北京", (20, 15, 30)),
        ("momo.", "西藏", None),
    ]
    users = []
    for number, (nickname, ip, when) in enumerate(persona, start=1):
        avatar = DEFAULT_AVATAR + SUFFIXES[number % len(SUFFIXES)]
        users.append(
            (
                {
                    "user_id": f"5f00000000000000000000p{number}",
                    "nickname": nickname,
                    "avatar": avatar,
                },
                ip,
                when,
            )
        )
    lines: list[str] = []
    for number, (user, ip, when) in enumerate(users, start=1):
        if when is None:
            continue
        note_id = f"6700000000000000000000p{number}"
        if number == 2:  # a post page's embedded state: camelCase fields
            data = {
                "id": note_id,
                "note": {
                    "title": "下雨天",
                    "desc": "下雨天也要出门",
                    "time": ms(*when),
                    "ipLocation": ip,
                    "user": {
                        "userId": user["user_id"],
                        "nickname": user["nickname"],
                        "avatar": user["avatar"],
                    },
                    "interactInfo": {"likedCount": "5"},
                    "imageList": [
                        {"urlDefault": "https://sns-webpic-qc.xhscdn.com/synthetic2.jpg"}
                    ],
                    "xsecToken": "ABsynthetic",
                },
            }
        else:
            data = explore_note(note_id, user, ms(*when), ip, f"记录生活 {number}")
        lines.append(wrap(len(lines) + 1, note_id, data))
    first_note = "6700000000000000000000p1"
    p1, p8 = users[0][0], users[7][0]
    lines.append(
        wrap(
            len(lines) + 1,
            "c-p1",
            comment("c-p1", first_note, p1, ms(20, 12, 55), "广东", "谢谢大家"),
            "xiaohongshu-comments",
        )
    )
    lines.append(
        wrap(
            len(lines) + 1,
            "c-p8",
            comment("c-p8", first_note, p8, ms(21, 3, 15), "西藏", "好看"),
            "xiaohongshu-comments",
        )
    )

    others = [("momo", "浙江"), ("momo2", "江苏"), ("Momoko", "日本")] + [
        (name, "四川")
        for name in ("小林", "Alice", "阿杰", "橙子", "Kevin", "大熊", "小雨", "老王", "Lily")
    ]
    for number, (nickname, ip) in enumerate(others, start=1):
        user = {
            "user_id": f"5f00000000000000000000o{number}",
            "nickname": nickname,
            "avatar": f"https://sns-avatar-qc.xhscdn.com/avatar/own{number}.jpg?imageView2/2/w/80",
        }
        note_id = f"6700000000000000000000o{number}"
        lines.append(
            wrap(
                len(lines) + 1,
                note_id,
                explore_note(note_id, user, ms(22, 8 + number, 0), ip, f"日常 {number}"),
            )
        )
        if nickname == "小林":
            reply_from = {
                "user_id": "5f00000000000000000000o5",
                "nickname": "Alice",
                "avatar": "https://sns-avatar-qc.xhscdn.com/avatar/own5.jpg",
            }
            thread = comment("c-o4", note_id, reply_from, ms(22, 13, 0), "四川", "同感")
            replier = {
                "user_id": "5f00000000000000000000o6",
                "nickname": "阿杰",
                "avatar": "https://sns-avatar-qc.xhscdn.com/avatar/own6.jpg",
            }
            thread["sub_comments"] = [
                comment("c-o4-r", note_id, replier, ms(22, 13, 5), "四川", "我也是")
            ]
            thread["sub_comment_count"] = "1"
            lines.append(wrap(len(lines) + 1, "c-o4", thread, "xiaohongshu-comments"))
    lines.append(
        wrap(
            len(lines) + 1,
            "6700000000000000000000h1",
            {
                "id": "6700000000000000000000h1",
                "url": "/explore/6700000000000000000000h1",
                "author_name": "路人甲",
                "author_url": "路人甲",
                "author_avatar_url": "https://sns-avatar-qc.xhscdn.com/avatar/passerby.jpg",
                "likes": "8",
                "thumbnail_url": "https://sns-webpic-qc.xhscdn.com/thumb.jpg",
                "title": "路过",
                "_zs-origin": "html",
            },
        )
    )
    lines.append("{this line was cut off by the browser")
    lines.append(wrap(len(lines) + 1, "stub", {"id": "stub", "hover_card": True}))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
