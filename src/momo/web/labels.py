"""Words for the codes the domain hands the web layer (a rule, an action, a status).

A template writes ``label_for('reason.' + rule)``; the code names the entry and the
catalogue holds its words in each language.
"""

from __future__ import annotations

from momo.translation import N_, NP_, Label, current_locale, translate_label

LABELS: dict[str, Label] = {
    "target.note": N_("Note"),
    "target.comment": N_("Comment"),
    "privacy.kind.phone": N_("Phone number"),
    "privacy.kind.cn_id": N_("ID number"),
    "privacy.kind.email": N_("Email"),
    "privacy.kind.bank_card": N_("Bank card"),
    "privacy.kind.qq": N_("QQ number"),
    "privacy.kind.wechat": N_("WeChat ID"),
    "privacy.kind.plate": N_("Licence plate"),
    "privacy.kind.address": N_("Address"),
    "privacy.kind.ip_address": N_("IP address"),
    "privacy.kind.affiliation": N_("School or employer"),
    "reason.privacy": N_("Privacy leak or doxxing"),
    "reason.illegal": N_("Illegal"),
    "reason.harassment": N_("Harassment"),
    "reason.misinformation": N_("Misinformation"),
    "reason.spam": N_("Spam"),
    "reason.other": N_("Other"),
    "reason.surge": N_("Pile-on"),
    "action.remove": N_("Remove"),
    "action.restore": N_("Restore"),
    "action.lock": N_("Lock thread"),
    "action.unlock": N_("Unlock thread"),
    "action.slow_mode": N_("Slow mode"),
    "action.sanction": N_("Sanction the author"),
    "action.warn": N_("Warn"),
    "action.mute": N_("Mute"),
    "action.ban": N_("Ban"),
    "posted.note": N_(
        "Your note goes public at %(time)s, together with everything else written in the same few minutes, so nobody can tell the exact moment. Until then only you can see it."
    ),
    "posted.comment": N_(
        "Your comment appears at %(time)s, together with every other comment of that minute."
    ),
    "step.warning": N_("Warning"),
    "step.mute": N_("Muted"),
    "step.ban": N_("Banned"),
    "action.dismiss": N_("Dismiss reports"),
    "action.undamp": N_("End damping"),
    "action.damp": N_("Damp pile-on"),
    "outcome.in_effect": N_("in effect"),
    "outcome.upheld": N_("upheld"),
    "outcome.overturned": N_("overturned"),
    "outcome.pending": N_("pending"),
    "privacy.kind.person_name": NP_("personal data", "Name"),
    "privacy.kind.postcode": N_("Postcode"),
    "replies.to_note": N_("replied on your note"),
    "replies.to_comment": N_("replied to you in"),
    "context.status.needs_more_ratings": N_("Needs more ratings"),
    "context.status.helpful": N_("Helpful"),
    "context.status.not_helpful": N_("Not helpful"),
    "context.reason.misleading": N_("Misleading claim"),
    "context.reason.missing_context": N_("Missing context"),
    "context.reason.outdated": N_("Outdated"),
    "context.reason.satire": N_("Satire taken literally"),
    "context.reason.other": N_("Other"),
    "context.rating.helpful": N_("Helpful"),
    "context.rating.somewhat": N_("Somewhat"),
    "context.rating.not_helpful": N_("Not helpful"),
    "context.tag.good_sources": N_("Cites good sources"),
    "context.tag.clear": N_("Clear"),
    "context.tag.neutral": N_("Neutral"),
    "context.tag.opinion": N_("Opinion, not fact"),
    "context.tag.no_source": N_("No source"),
    "context.tag.argumentative": N_("Argumentative"),
    "style.level.high": N_("very recognisable"),
    "style.level.medium": N_("somewhat recognisable"),
    "style.level.low": N_("blends in"),
    "style.level.not enough history": N_("not enough earlier posts to compare"),
    "nav.discover": N_("Discover"),
    "nav.latest": N_("Latest"),
    "modlog.moderator": N_("moderator"),
    "modlog.automatic": N_("automatic"),
}


def label_for(key: str, **values: object) -> str:
    """The reader's words for ``key``; an unknown code is shown as itself."""
    entry = LABELS.get(key)
    return translate_label(current_locale(), entry, **values) if entry else key
