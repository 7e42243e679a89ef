"""Interface text in Simplified Chinese and English.

The locale comes from the ``momo_lang`` cookie when the person chose one,
else from Accept-Language, else from the operator's default.
"""

from __future__ import annotations

LOCALES = ("zh-CN", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "site.tagline": "Everyone here is {name}.",
        "nav.discover": "Discover",
        "nav.latest": "Latest",
        "nav.search": "Search",
        "nav.compose": "Post",
        "nav.me": "Me",
        "nav.signin": "Sign in",
        "nav.signup": "Join",
        "nav.signout": "Sign out",
        "nav.about": "About",
        "lang.switch": "中文",
        "shared.banner": "Everyone here is {name}. Different comments may be different people: "
        "judge words, not the name.",
        "shared.learn": "How it works",
        "feed.empty": "Nothing here yet.",
        "feed.more": "Load more",
        "topics.popular": "Topics",
        "note.op": "OP",
        "note.like": "Like",
        "note.unlike": "Liked",
        "note.collect": "Save",
        "note.uncollect": "Saved",
        "note.comments": "Comments",
        "note.no_comments": "No comments yet. Be the first voice.",
        "note.reply": "Reply",
        "note.replying_to": "replying to {voice}",
        "note.edited": "edited",
        "note.comment_placeholder": "Say something kind…",
        "note.send": "Send",
        "note.edit": "Edit",
        "note.delete": "Delete",
        "note.locked": "This thread is locked.",
        "note.signin_to_comment": "Sign in to join the conversation.",
        "note.removed": "[removed]",
        "note.your_voice": "You are {voice} in this thread.",
        "note.scheduled": "scheduled",
        "compose.title": "New note",
        "compose.edit_title": "Edit note",
        "compose.field_title": "Title",
        "compose.field_body": "Body (use #topic to tag)",
        "compose.field_images": "Images (up to 9; location and camera data are removed)",
        "compose.publish": "Publish",
        "compose.save": "Save",
        "signup.title": "Join without giving anything away",
        "signup.lead": "No phone, no email, no name. Momo makes you a random account key. "
        "It is the only way back into your account.",
        "signup.button": "Create my account key",
        "signup.done": "Your account key",
        "signup.warning": "Copy it now and keep it somewhere safe. It is shown once and cannot "
        "be recovered: we store only a hash of it.",
        "signup.continue": "I have saved it, continue",
        "signup.closed": "Registration is closed on this server.",
        "signin.title": "Sign in with your account key",
        "signin.key": "Account key",
        "signin.button": "Sign in",
        "me.title": "My notes",
        "me.bookmarks": "Saved notes",
        "me.empty": "You have not posted yet.",
        "me.delete_account": "Delete account",
        "me.delete_keep": "Keep my notes (they stay anonymous)",
        "me.delete_remove": "Remove my notes and comments too",
        "me.delete_confirm": "Delete my account for good",
        "search.placeholder": "Search notes (中文 or English)",
        "search.results": "Results for “{q}”",
        "topic.title": "#{name}",
        "about.title": "About Momo",
        "error.title": "Something is not right",
        "error.back": "Back to Discover",
        "time.edited": "edited",
        "likes": "likes",
    },
    "zh-CN": {
        "site.tagline": "这里的每个人都是 {name}。",
        "nav.discover": "发现",
        "nav.latest": "最新",
        "nav.search": "搜索",
        "nav.compose": "发布",
        "nav.me": "我",
        "nav.signin": "登录",
        "nav.signup": "加入",
        "nav.signout": "退出",
        "nav.about": "关于",
        "lang.switch": "English",
        "shared.banner": "这里的每个人都叫 {name}。不同的评论可能来自不同的人：请就事论事，别因名字而归咎。",
        "shared.learn": "了解机制",
        "feed.empty": "这里还什么都没有。",
        "feed.more": "加载更多",
        "topics.popular": "话题",
        "note.op": "楼主",
        "note.like": "点赞",
        "note.unlike": "已赞",
        "note.collect": "收藏",
        "note.uncollect": "已收藏",
        "note.comments": "评论",
        "note.no_comments": "还没有评论，来做第一个声音吧。",
        "note.reply": "回复",
        "note.replying_to": "回复 {voice}",
        "note.edited": "已编辑",
        "note.comment_placeholder": "说点友善的话…",
        "note.send": "发送",
        "note.edit": "编辑",
        "note.delete": "删除",
        "note.locked": "此帖已锁定。",
        "note.signin_to_comment": "登录后参与讨论。",
        "note.removed": "[已移除]",
        "note.your_voice": "你在本帖中是 {voice}。",
        "note.scheduled": "待发布",
        "compose.title": "发布笔记",
        "compose.edit_title": "编辑笔记",
        "compose.field_title": "标题",
        "compose.field_body": "正文（用 #话题 添加标签）",
        "compose.field_images": "图片（最多 9 张；位置与相机信息会被清除）",
        "compose.publish": "发布",
        "compose.save": "保存",
        "signup.title": "加入，无需交出任何信息",
        "signup.lead": "不要手机号，不要邮箱，不要名字。Momo 会为你生成一把随机账号密钥，"
        "这是你回到账号的唯一方式。",
        "signup.button": "生成我的账号密钥",
        "signup.done": "你的账号密钥",
        "signup.warning": "请立即复制并妥善保存。它只显示这一次，丢失后无法找回：我们只保存它的哈希。",
        "signup.continue": "我已保存，继续",
        "signup.closed": "本站暂不开放注册。",
        "signin.title": "用账号密钥登录",
        "signin.key": "账号密钥",
        "signin.button": "登录",
        "me.title": "我的笔记",
        "me.bookmarks": "我的收藏",
        "me.empty": "你还没有发布过笔记。",
        "me.delete_account": "注销账号",
        "me.delete_keep": "保留我的笔记（仍然匿名）",
        "me.delete_remove": "同时删除我的笔记和评论",
        "me.delete_confirm": "永久注销我的账号",
        "search.placeholder": "搜索笔记（中文或 English）",
        "search.results": "“{q}” 的搜索结果",
        "topic.title": "#{name}",
        "about.title": "关于 Momo",
        "error.title": "出了点问题",
        "error.back": "回到发现页",
        "time.edited": "已编辑",
        "likes": "赞",
    },
}


def negotiate(cookie: str | None, accept_language: str | None, default: str) -> str:
    if cookie in LOCALES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default if default in LOCALES else "zh-CN"


def translate(locale: str, key: str, **values: object) -> str:
    table = MESSAGES["en" if locale == "en" else "zh-CN"]
    template = table.get(key) or MESSAGES["en"].get(key, key)
    return template.format(**values) if values else template
