import numpy as np

from momo.audit.metrics import auc, score


def test_a_certain_attacker_and_a_blind_one() -> None:
    truth = np.repeat(np.arange(10), 20)
    certain = np.eye(10)[truth] + 1e-9
    s = score(certain, truth)
    assert s.top1.value == 1.0 and s.auc.value > 0.99 and s.anonymity_set.value < 1.01
    blind = np.ones((200, 10))
    b = score(blind, truth)
    assert abs(b.anonymity_set.value - 10) < 1e-6 and abs(b.auc.value - 0.5) < 1e-9
    assert b.top1.low <= 0.1 + 0.06 and b.chance_top1 == 0.1 and b.chance_top5 == 0.5
    assert abs(b.min_entropy_bits - np.log2(10)) < 1e-9


def test_auc_counts_ties_half() -> None:
    assert auc(np.array([1.0, 1.0]), np.array([True, False])) == 0.5
    assert auc(np.array([2.0, 1.0]), np.array([True, False])) == 1.0


def test_min_entropy_is_the_standard_one() -> None:
    """-log2 E[max p], not the mean of -log2 max p (which is larger, by Jensen)."""
    truth = np.array([0, 1])
    posterior = np.array([[0.9, 0.1], [0.5, 0.5]])
    assert score(posterior, truth).min_entropy_bits == np.float64(-np.log2(0.7))


def test_the_interval_covers_a_planted_signal_despite_clustered_authors() -> None:
    """Plant a known identification rate (40%) with strong differences between authors,
    as real corpora have. The author-clustered bootstrap's 95% interval must cover the
    truth in about 95% of draws; resampling posts as if independent covers it far less."""
    rng = np.random.default_rng(3)
    authors, per_author, truth_rate = 30, 20, 0.4
    covered = naive_covered = 0
    runs = 60
    for run in range(runs):
        # Each author's own rate comes from a Beta with mean 0.4: some writers are easy.
        rates = rng.beta(0.8, 1.2, authors)
        truth = np.repeat(np.arange(authors), per_author)
        hit = rng.uniform(size=len(truth)) < rates[truth]
        wrong = (truth + rng.integers(1, authors, len(truth))) % authors
        guess = np.where(hit, truth, wrong)
        posterior = np.full((len(truth), authors), 1e-6)
        posterior[np.arange(len(truth)), guess] = 1.0
        interval = score(posterior, truth, seed=run, bootstrap=300).top1
        covered += interval.low <= truth_rate <= interval.high
        values = hit.astype(float)
        naive = [values[rng.integers(0, len(values), len(values))].mean() for _ in range(300)]
        naive_covered += np.percentile(naive, 2.5) <= truth_rate <= np.percentile(naive, 97.5)
    assert covered / runs >= 0.85, covered / runs
    assert naive_covered < covered, (naive_covered, covered)
