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
