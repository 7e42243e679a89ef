"""The threats beyond a closed world, on real text (the test samples of the shared
corpora) and on planted signals whose answer is known."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from momo.audit.corpus import CorpusError, Post, load
from momo.audit.threats import (
    candidate_curve,
    cross_domain,
    open_world,
    samples_curve,
    unsupervised_linking,
)
from momo.cli import app
from tests.audit.planted import FILLER

DATA = Path(__file__).parent / "data"


def _planted(authors: int, per_author: int, seed: int, genre: str = "") -> list[Post]:
    """Each author always uses one rare word of their own among common filler."""
    rng = random.Random(seed)
    filler = list(FILLER)
    posts = []
    for a in range(authors):
        marker = f"zq{a:03d}x{'kvj'[a % 3]}"
        for i in range(per_author):
            words = [*rng.sample(filler, 8), marker, genre]
            rng.shuffle(words)
            posts.append(Post(f"{a}-{i}{genre}", f"author{a}", " ".join(words)))
    return posts


@pytest.fixture(scope="module")
def mail() -> list[Post]:
    return load(DATA / "mail-ham-a-sample.jsonl")


def test_open_world_on_real_mail(mail: list[Post]) -> None:
    result = open_world(mail)
    assert (result.suspects, result.outsiders) == (4, 4)
    assert result.accuracy_without_reject > 0.5, "four suspects: chance is 25%"
    assert 0.5 <= result.outsider_auc <= 1.0
    assert result.precision_at_recall["0.1"] is not None
    low, high = result.intervals["accuracy_without_reject"]
    assert low <= result.accuracy_without_reject <= high, "the interval holds the figure"


def test_open_world_with_a_perfect_signal_keeps_full_precision() -> None:
    result = open_world(_planted(20, 6, seed=1))
    assert result.accuracy_without_reject == 1.0
    assert result.precision_at_recall == {"0.1": 1.0, "0.25": 1.0, "0.5": 1.0}
    assert result.outsider_auc > 0.9, "an outsider's marker is unknown: low confidence"


def test_cross_domain_trains_on_one_genre_and_tests_on_another() -> None:
    emails = _planted(10, 5, seed=2, genre="regards")
    posts = _planted(10, 3, seed=3, genre="lol")
    result = cross_domain(emails, posts)
    assert result.authors == 10 and result.test_texts == 30
    assert result.top1 == 1.0 and result.chance == 0.1
    with pytest.raises(CorpusError):
        cross_domain(emails, [Post("x", "stranger", "hello there")])


def test_unsupervised_linking_finds_planted_authors_and_not_random_ones() -> None:
    planted = unsupervised_linking(_planted(15, 6, seed=4), sample=90)
    best = max(p.pairwise_precision or 0.0 for p in planted.curve)
    assert best > 10 * planted.same_author_pair_share
    rng = random.Random(5)
    shuffled = [Post(p.id, f"author{rng.randrange(15)}", p.text) for p in _planted(15, 6, seed=4)]
    blind = unsupervised_linking(shuffled, sample=90)
    best_blind = max(p.pairwise_precision or 0.0 for p in blind.curve if p.clusters < 80)
    assert best_blind < 3 * blind.same_author_pair_share + 0.05


def test_curves_over_suspects_and_samples(mail: list[Post]) -> None:
    tang = load(DATA / "tang-shi-sample.jsonl")
    suspects = candidate_curve(_planted(60, 4, seed=6), sizes=(10, 20, 50, 1000))
    assert [p.x for p in suspects] == [10, 20, 50], "stops where the corpus ends"
    assert all(p.top1 == 1.0 for p in suspects)
    samples = samples_curve(tang, per_author=(1, 4, 12))
    assert all(p.interval and p.interval[0] <= p.top1 <= p.interval[1] for p in samples)
    assert [p.x for p in samples] == [1, 4, 12]
    assert samples[-1].top1 >= samples[0].top1
    assert len({p.test_texts for p in samples}) == 1, "the same test texts throughout"
    assert samples_curve(mail, per_author=(1, 2))[0].chance == pytest.approx(1 / 8)


def test_the_command_prints_every_threat_and_labels_it_measured(tmp_path: Path) -> None:
    out = tmp_path / "threats.json"
    result = CliRunner().invoke(
        app, ["audit", "threats", str(DATA / "mail-ham-a-sample.jsonl"), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "open world (measured on the corpus)" in result.output
    assert "cross-domain: not measured" in result.output
    written = json.loads(out.read_text())
    assert written["label"] == "measured on the corpus" and written["cross_domain"] is None
    assert written["open_world"]["suspects"] == 4
    missing = CliRunner().invoke(app, ["audit", "threats", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_the_threats_report_is_html_with_every_table(tmp_path: Path) -> None:
    out = tmp_path / "threats.html"
    result = CliRunner().invoke(
        app, ["audit", "threats", str(DATA / "mail-ham-a-sample.jsonl"), "--html", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text()
    for heading in ("open world", "unsupervised linking", "cross-domain", "As the suspects grow"):
        assert heading in page
    assert page.count("<svg") == 1 and "Not enough authors" in page, "8 authors: no suspects curve"
    assert "none is simulated" in page
