"""Writes regression.csv: a synthetic regression problem with a known sparse truth.

Deterministic (Python's Mersenne Twister with a fixed seed, standard library only), so running it
again reproduces the committed file byte for byte:  python3 generate.py > regression.csv

300 rows of 10 features. The features share a common factor (pairwise correlation 0.5), which is
what makes regularisation pay off: least squares spreads weight across correlated columns. Only
4 of the 10 true weights are nonzero, so the lasso has a support to find. The noise (standard
deviation 3) is large against the signal, so the best amount of regularisation is far from zero.
"""
import random

ROWS, FEATURES, NOISE = 300, 10, 3.0
TRUE_WEIGHTS = [3.0, -2.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.0, 0.75, 0.0]

rng = random.Random(20240611)
print(",".join([f"x{j}" for j in range(FEATURES)] + ["y"]))
for _ in range(ROWS):
    shared = rng.gauss(0.0, 1.0)
    x = [(shared + rng.gauss(0.0, 1.0)) / 2 ** 0.5 for _ in range(FEATURES)]
    y = sum(w * v for w, v in zip(TRUE_WEIGHTS, x)) + rng.gauss(0.0, NOISE)
    print(",".join(f"{v:.6f}" for v in x + [y]))
