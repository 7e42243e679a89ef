"""Audit output: Rich tables, JSON and a self-contained HTML report with plots."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

from rich.console import Console
from rich.table import Table

from momo.audit.metrics import Scores
from momo.audit.regimes import REGIMES
from momo.audit.run import AuditResult
from momo.audit.stylometry import BASELINE
from momo.audit.threats import CurvePoint, Threats

ROWS = (
    "identifier",
    "voice",
    "voice within threads",
    "voice across threads",
    "timing",
    "region",
    "image",
    "style",
    "all channels",
)
# How each figure is known. A corpus has text and authors but no metadata, so its
# metadata channels come from a seeded model (regimes.py); an instance's come from
# its real public export.
SIMULATED = "simulated"
PROVENANCE_CORPUS = {
    "identifier": "simulated: each regime's account ids and pseudonyms",
    "voice": "simulated: 12 communities, threads drawn per post; includes posts a "
    "thread voice links by design",
    "voice within threads": "simulated: voice, only posts a thread voice links (by design)",
    "voice across threads": "simulated: voice, counting only posts no thread voice links",
    "timing": "simulated: two peak hours per author, 80% of posts in them",
    "region": "simulated: 31 provinces, uniform",
    "image": "simulated: 40 devices, 40% of posts with a photo",
    "style": "measured: the corpus text",
    "all channels": "mixed: style measured, the rest simulated",
}
PROVENANCE_INSTANCE = {
    "identifier": "measured: the first character of each public id",
    "voice": "measured: the export's per-thread voices",
    "voice within threads": "measured: posts a thread voice links, as Momo shows by design",
    "voice across threads": "measured: the export's voices, posts no thread voice links",
    "timing": "measured: the stored coarse times",
    "region": "measured: Momo shows none",
    "image": "measured: each note's first served photo, its shape and size in 2 kB steps",
    "style": "measured: the public text",
    "all channels": "measured",
}


def provenance(result: AuditResult) -> dict[str, str]:
    return PROVENANCE_CORPUS if "momo-xhs" in result.scores else PROVENANCE_INSTANCE


def simulated_first(result: AuditResult) -> str:
    """The caveat that comes before any figure, not after."""
    if "momo-xhs" not in result.scores:
        return (
            "Every figure is measured on this instance's public surface: ids, voices, stored "
            "times, served photos and text. Voices inside one thread link posts by design, so 'voice across threads' is "
            "the figure that counts."
        )
    return (
        "Read this first: only writing style is measured on real text here. Every other "
        "channel (identifiers, voices, timing, region, images) is simulated from a seeded "
        "per-author model, so those figures show what each regime exposes, not what any "
        "real platform leaks. Voices inside one thread link posts by design; 'voice "
        "across threads' is the figure that counts."
    )


REGIME_LABELS = {
    "profile": "profile (a pseudonym per account)",
    "momo-xhs": "momo-xhs (shared name, but account ids, IP labels, photo metadata)",
    "momo": "momo (this platform)",
}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def summary(result: AuditResult) -> str:
    momo = result.scores["momo"]
    if "momo-xhs" not in result.scores:
        combined = momo["all channels"]
        return (
            f"On this instance, an attacker who sees only the public export links a post to its "
            f"author {_pct(combined.top1.value)} of the time, against {_pct(combined.chance_top1)} "
            f"by chance ({result.authors} authors); writing style alone reaches "
            f"{_pct(momo['style'].top1.value)}."
        )
    combined, chance = momo["all channels"], momo["all channels"].chance_top1
    strongest = max(
        (c for c in ROWS[:-1] if c in momo and c not in ("voice", "voice within threads")),
        key=lambda c: momo[c].top1.value,
    )
    xhs = result.scores["momo-xhs"]["all channels"].top1.value
    return (
        f"On this platform, an attacker who sees only what the public sees links a post to its "
        f"author {_pct(combined.top1.value)} of the time, against {_pct(chance)} by chance "
        f"({result.authors} authors). Under the Xiaohongshu-style 'momo' practice the same "
        f"attacker succeeds {_pct(xhs)} of the time. On Momo, {strongest.replace('_', ' ')} is the "
        f"channel that remains strongest ({_pct(momo[strongest].top1.value)} alone)"
        + (
            ": no shared persona can hide how someone writes."
            if strongest == "style"
            else f"; writing style alone reaches {_pct(momo['style'].top1.value)}, and no shared "
            "persona can hide it."
        )
    )


def print_tables(result: AuditResult, console: Console) -> None:
    console.print(f"[bold yellow]{simulated_first(result)}[/bold yellow]")
    console.print(
        f"[bold]{result.posts} posts by {result.authors} authors[/bold], {result.folds}-fold, "
        f"chance top-1 {_pct(1 / result.authors)}"
    )
    attacker = Table(title="Stylometric attacker (the audit reports the strongest)")
    attacker.add_column("attacker")
    attacker.add_column("top-1", justify="right")
    for name, accuracy in result.style_accuracy.items():
        label = name + (" [chosen]" if name == result.style_attacker else "")
        attacker.add_row(label + (" (baseline)" if name == BASELINE else ""), _pct(accuracy))
    console.print(attacker)
    if result.style_worst_cases:
        worst = result.style_worst_cases
        console.print(
            f"Most exposed author: style top-1 {_pct(worst['most_exposed_author_top1'])}; "
            f"90th percentile {_pct(worst['90th_percentile_author_top1'])}; median "
            f"{_pct(worst['median_author_top1'])}; "
            f"{_pct(worst['share_of_authors_above_half'])} of authors above one in two."
        )
    for regime in [r for r in REGIMES if r in result.scores]:
        table = Table(title=REGIME_LABELS[regime])
        for column in (
            "channel",
            "top-1 % (95% CI)",
            "top-5 %",
            "pair AUC",
            "anon. set",
            "min-H bits",
            "how we know",
        ):
            table.add_column(
                column, justify="left" if column in ("channel", "how we know") else "right"
            )
        for channel in [c for c in ROWS if c in result.scores[regime]]:
            s = result.scores[regime][channel]
            table.add_row(
                channel,
                f"{100 * s.top1.value:.1f} ({100 * s.top1.low:.1f}–{100 * s.top1.high:.1f})",
                f"{100 * s.top5.value:.1f}",
                f"{s.auc.value:.3f}",
                f"{s.anonymity_set.value:.1f} / {s.authors}",
                f"{abs(s.min_entropy_bits):.2f}",
                provenance(result)[channel],
            )
        table.caption = f"chance: top-1 {_pct(1 / result.authors)}, top-5 {_pct(min(5, result.authors) / result.authors)}, AUC 0.500, set {result.authors}"
        console.print(table)
    console.print(summary(result))


def write_json(result: AuditResult, path: Path) -> None:
    payload = {
        "read_first": simulated_first(result),
        "provenance": provenance(result),
        **result.as_dict(),
        "summary": summary(result),
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")


def _bar_panel(title: str, scores: dict[str, Scores]) -> str:
    width, row = 500, 26
    rows = [c for c in ROWS if c in scores]
    height = row * len(rows) + 30
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">']
    chance = next(iter(scores.values())).chance_top1
    x0, span = 150, 300
    for i, channel in enumerate(rows):
        s = scores[channel]
        y = 10 + i * row
        w = span * s.top1.value
        lo, hi = x0 + span * s.top1.low, x0 + span * s.top1.high
        colour = "#ff2442" if channel == "all channels" else "#f59aa8"
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(channel)}</text>')
        parts.append(
            f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="14" rx="3" fill="{colour}"/>'
        )
        parts.append(
            f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{y + 10}" y2="{y + 10}" stroke="#333"/>'
        )
        parts.append(
            f'<text x="{x0 + span + 8}" y="{y + 14}" font-size="12">{_pct(s.top1.value)}</text>'
        )
    cx = x0 + span * chance
    parts.append(
        f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="4" y2="{height - 20}" stroke="#333" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{cx + 3:.1f}" y="{height - 6}" font-size="11">chance {_pct(chance)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


PLAIN_CHANNELS = {
    "identifier": "an account id or pseudonym shown beside the post",
    "voice": "the per-thread name (OP, Momo 2 …) and which threads someone joins",
    "voice within threads": "the same, for posts a thread name links (shown by design)",
    "voice across threads": "the same, for posts no thread name links by design",
    "timing": "when people post (hour of day, weekday)",
    "region": "an IP-location label such as a province",
    "image": "camera and GPS data inside photos",
    "style": "how the text itself is written",
    "all channels": "everything above at once",
}


def _plain_words(result: AuditResult) -> str:
    """What an attacker can and cannot do here, channel by channel, in plain words."""
    regime = "momo"
    items = []
    for channel in [c for c in ROWS if c in result.scores[regime]]:
        s = result.scores[regime][channel]
        ratio = s.top1.value / s.chance_top1 if s.chance_top1 else 0.0
        verdict = (
            "no better than guessing"
            if s.top1.high <= 1.5 * s.chance_top1
            else f"about {ratio:.0f} times better than guessing"
        )
        items.append(
            f"<li><b>{html.escape(channel)}</b> ({html.escape(PLAIN_CHANNELS.get(channel, ''))}): "
            f"the attacker's first guess names the right person {_pct(s.top1.value)} of the time "
            f"(between {_pct(s.top1.low)} and {_pct(s.top1.high)}, against {_pct(s.chance_top1)} "
            f"by guessing): {verdict}. <i>{html.escape(provenance(result).get(channel, ''))}.</i></li>"
        )
    return '<ul class="plain">' + "".join(items) + "</ul>"


JARGON = """<ul class="how">
<li><b>Top-1</b>: how often the attacker's first guess is the true author. <b>Top-5</b>: how
often the true author is among its first five guesses.</li>
<li><b>Pair AUC</b> (area under the curve): given two posts, how well the attacker tells
whether one person wrote both; 0.5 is a coin toss, 1.0 is never wrong.</li>
<li><b>Anonymity set</b> (2<sup>H</sup>, where H is the entropy of the attacker's belief): how
many equally likely authors a post hides among. It depends on how well the attacker's
confidence is calibrated, so read it beside top-1.</li>
<li><b>Min-entropy</b> (in bits): −log<sub>2</sub> of the attacker's average chance of
guessing right in one try; each bit halves that chance.</li>
<li><b>95% interval</b>: the range the figure would likely fall in on another sample of
authors (a bootstrap that resamples whole authors).</li>
</ul>"""


def write_html(result: AuditResult, path: Path, corpus_name: str) -> None:
    panels = []
    for regime in [r for r in REGIMES if r in result.scores]:
        rows = "".join(
            f"<tr><td>{html.escape(c)}</td><td>{_pct(s.top1.value)} ({_pct(s.top1.low)}–{_pct(s.top1.high)})</td>"
            f"<td>{_pct(s.top5.value)}</td><td>{s.auc.value:.3f}</td><td>{s.anonymity_set.value:.1f}</td>"
            f'<td>{abs(s.min_entropy_bits):.2f}</td><td class="src">{html.escape(provenance(result).get(c, ""))}</td></tr>'
            for c, s in result.scores[regime].items()
        )
        panels.append(
            f'<section class="panel"><h3>{html.escape(REGIME_LABELS[regime])}</h3>'
            f"{_bar_panel(regime, result.scores[regime])}"
            f'<div class="scroll"><table><tr><th>channel</th><th>top-1 (95% interval)</th><th>top-5</th>'
            f"<th>pair AUC</th><th>anonymity set</th><th>min-entropy (bits)</th><th>how we know</th></tr>"
            f"{rows}</table></div></section>"
        )
    attackers = "".join(
        f"<li>{html.escape(name)}: {_pct(acc)}{' (chosen most often)' if name == result.style_attacker else ''}</li>"
        for name, acc in result.style_accuracy.items()
    )
    worst = result.style_worst_cases
    worst_line = (
        f"<p>The most exposed author's posts are attributed {_pct(worst['most_exposed_author_top1'])} of "
        f"the time by style; one author in ten is above {_pct(worst['90th_percentile_author_top1'])}.</p>"
        if worst
        else ""
    )
    document = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Momo anonymity audit: {html.escape(corpus_name)}</title>
<style>
body{{font:15px/1.6 -apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;max-width:1100px;margin:0 auto;padding:20px;color:#222}}
h1{{color:#c8102e}} .summary{{background:#fff4f5;border:1px solid #ffd6dc;border-radius:12px;padding:12px 16px;font-size:17px}}
.panel{{border:1px solid #eee;border-radius:12px;padding:12px;margin:16px 0}} svg{{width:100%;max-width:640px}}
.scroll{{overflow-x:auto}} table{{border-collapse:collapse;font-size:13px;width:100%}}
td,th{{padding:3px 6px;border-bottom:1px solid #f0f0f0;text-align:right}}
td:first-child,th:first-child,td.src,th:last-child{{text-align:left}} td.src{{color:#555}} .how{{color:#444}}
</style></head><body>
<h1>How anonymous are people here?</h1>
<p class="summary"><b>{html.escape(simulated_first(result))}</b></p>
<h2>What an attacker can and cannot do on Momo</h2>
<p>Each line is one thing an outsider could look at. The figure is <b>top-1</b>: how often the
attacker's first guess is the person who really wrote the post.</p>
{_plain_words(result)}
<p class="summary">{html.escape(summary(result))}</p>
<h2>How to read the figures</h2>
{JARGON}
<p>{result.posts} posts by {result.authors} authors from <code>{html.escape(corpus_name)}</code>
({result.duplicates_removed} duplicate texts removed first; {result.authors_excluded} authors with fewer
than {result.folds} texts left out), attacked with {result.folds}-fold cross-validation in a closed world:
the attacker has labelled writing of every suspect. The bars show top-1 with its 95% interval; the dashed
line is guessing.</p>
<h2>Each regime, channel by channel</h2>
{"".join(panels)}
<h2>The writing-style attacker</h2>
<p>A panel that includes the field's baseline ({html.escape(BASELINE)}). In each fold an inner
cross-validation on the training texts chooses the member and its temperature; the figures below are
each member's own result.</p>
<ul>{attackers}</ul>
{worst_line}
</body></html>"""
    path.write_text(document, encoding="utf-8")


def _line_plot(title: str, points: list[CurvePoint], x_label: str) -> str:
    """Top-1 (and guessing) against a log-scaled x, as a small inline SVG."""
    if not points:
        return "<p>Not enough authors for this curve.</p>"
    width, height, left, bottom = 520, 220, 50, 30
    xs = [math.log(p.x) for p in points]
    lo, hi = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def x(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (width - left - 20)

    def y(share: float) -> float:
        return 10 + (1 - share) * (height - bottom - 10)

    top = " ".join(f"{x(v):.1f},{y(p.top1):.1f}" for v, p in zip(xs, points, strict=True))
    guess = " ".join(f"{x(v):.1f},{y(p.chance):.1f}" for v, p in zip(xs, points, strict=True))
    ticks = "".join(
        f'<text x="{x(v):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{p.x}</text>'
        for v, p in zip(xs, points, strict=True)
    )
    labels = "".join(
        f'<text x="{x(v):.1f}" y="{y(p.top1) - 6:.1f}" font-size="11" text-anchor="middle">'
        f"{_pct(p.top1)}</text>"
        for v, p in zip(xs, points, strict=True)
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">'
        f'<line x1="{left}" x2="{width - 10}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#999"/>'
        f'<text x="0" y="{y(1) + 4:.1f}" font-size="11">100%</text>'
        f'<text x="0" y="{y(0):.1f}" font-size="11">0%</text>'
        f'<polyline points="{top}" fill="none" stroke="#c8102e" stroke-width="2"/>'
        f'<polyline points="{guess}" fill="none" stroke="#333" stroke-dasharray="4 3"/>'
        f"{ticks}{labels}"
        f'<text x="{width / 2:.0f}" y="{height}" font-size="11" text-anchor="middle">'
        f"{html.escape(x_label)}</text></svg>"
    )


def write_threats_html(threats: Threats, path: Path, corpus_name: str) -> None:
    ow, lk = threats.open_world, threats.linking

    def span(interval: tuple[float, float] | None) -> str:
        return "" if interval is None else f" ({_pct(interval[0])}–{_pct(interval[1])})"

    precision = "".join(
        f"<tr><td>{r}</td><td>{'never reached' if p is None else _pct(p) + span(ow.intervals.get(r))}</td></tr>"
        for r, p in ow.precision_at_recall.items()
    )
    linking = "".join(
        f"<tr><td>{p.threshold:.3f}</td><td>{p.clusters}</td>"
        f"<td>{'-' if p.pairwise_precision is None else _pct(p.pairwise_precision)}{span(p.precision_interval)}</td>"
        f"<td>{_pct(p.pairwise_recall)}{span(p.recall_interval)}</td></tr>"
        for p in lk.curve
    )
    cross = (
        f"<p>Trained on one genre, tested on the other: {_pct(threats.cross_domain.top1)} top-1 among "
        f"{threats.cross_domain.authors} authors (guessing: {_pct(threats.cross_domain.chance)}).</p>"
        if threats.cross_domain
        else "<p>Not measured: this corpus has one genre. Give <code>--other-domain</code> a file of "
        "the same authors writing something else.</p>"
    )
    document = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Momo audit, beyond a closed world: {html.escape(corpus_name)}</title>
<style>
body{{font:15px/1.6 -apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;max-width:1100px;margin:0 auto;padding:20px;color:#222}}
h1{{color:#c8102e}} .summary{{background:#fff4f5;border:1px solid #ffd6dc;border-radius:12px;padding:12px 16px}}
.scroll{{overflow-x:auto}} table{{border-collapse:collapse;font-size:13px}} td,th{{padding:3px 8px;border-bottom:1px solid #f0f0f0}}
svg{{width:100%;max-width:620px}}
</style></head><body>
<h1>Beyond a closed world</h1>
<p class="summary">Every figure here is measured on <code>{html.escape(corpus_name)}</code>; none is simulated.
The attacker is the field's baseline (character 1–3-gram TF-IDF with a linear SVM), its vocabulary learnt
from training texts only.</p>
<h2>When the writer may be none of the suspects (open world)</h2>
<p>{ow.suspects} suspects, {ow.outsiders} outsiders whose writing the attacker never saw. Without a way to
say "none of them", the attacker names the right suspect for {_pct(ow.accuracy_without_reject)}
{span(ow.intervals.get("accuracy_without_reject"))} of the suspects' texts (in brackets: 95% intervals from
resampling whole authors). Its confidence tells a suspect's text from an outsider's with an AUC of
{ow.outsider_auc:.2f} (0.5 is a coin toss). If it only names someone when confident enough to find a given
share of the suspects' texts (<b>recall</b>), this is how often the names it gives are right
(<b>precision</b>):</p>
<div class="scroll"><table><tr><th>recall</th><th>precision</th></tr>{precision}</table></div>
<h2>When nobody is labelled (unsupervised linking)</h2>
<p>{lk.texts} posts by {lk.authors} authors, with no threads or names, grouped by style alone. Two posts
picked at random share an author {_pct(lk.same_author_pair_share)} of the time. Grouping more tightly or more
loosely trades <b>pairwise precision</b> (how often two posts in one group really share an author) for
<b>pairwise recall</b> (how many same-author pairs end up together):</p>
<div class="scroll"><table><tr><th>merge below distance</th><th>groups</th><th>pairwise precision</th>
<th>pairwise recall</th></tr>{linking}</table></div>
<h2>When the attacker has your writing from elsewhere (cross-domain)</h2>
{cross}
<h2>As the suspects grow</h2>
{_line_plot("top-1 over the number of suspects", threats.candidates, "suspects (log scale); dashed: guessing")}
<h2>As the attacker holds more of each person's writing</h2>
{_line_plot("top-1 over texts per author", threats.samples, "texts held per author (log scale); dashed: guessing")}
</body></html>"""
    path.write_text(document, encoding="utf-8")
