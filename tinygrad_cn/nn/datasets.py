"""Small data sets: the two tasks of Rumelhart, Hinton & Williams (1986; see docs/references.md),
XOR, two 2-D toy sets generated in code, and scikit-learn's bundled 8×8 digits when scikit-learn is
installed.

Everything is made here (no download): arrays are float64 by default (``dtype=np.float32`` to
change), class labels are int64, and random sets take a seed.
"""
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from .init import as_rng

__all__ = [
    "ENGLISH", "ITALIAN", "RELATIONS", "FamilyTrees", "digits", "family_trees", "mirror_symmetry",
    "moons", "spirals", "xor"
]


# ---- RHW fig. 1: mirror symmetry -------------------------------------------------------------------
def mirror_symmetry(n_bits=6, dtype=np.float64):
    """All 2⁶ = 64 binary input vectors of RHW fig. 1 ("the set of 64 possible input vectors"),
    in counting order (first bit most significant), and the target: 1 if the vector is symmetric
    about its centre (x_i = x_{n−1−i} for all i), else 0. Of the 64, 2³ = 8 are symmetric (the
    first half fixes the second). Returns (X of shape (64, 6), y of shape (64, 1))."""
    X = np.array(list(product((0, 1), repeat=n_bits)), dtype=dtype)
    y = np.all(X == X[:, ::-1], axis=1).astype(dtype).reshape(-1, 1)
    return X, y


def xor(dtype=np.float64):
    """The four XOR cases: X of shape (4, 2), y of shape (4, 1); not linearly separable, so a hidden
    layer is needed (RHW's point about symmetry, in miniature)."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return X, y


# ---- RHW figs. 2–4: the two family trees --------------------------------------------------------------
#: The 12 relations, in the order of RHW fig. 2's caption.
RELATIONS = ("father", "mother", "husband", "wife", "son", "daughter",
             "uncle", "aunt", "brother", "sister", "nephew", "niece")

# RHW fig. 2, typed in: for each tree, the marriages (husband, wife) and the children of each
# couple, generation by generation. The people are listed in the order of the figure, and the
# Italian list in the same order as the English one, so that person i of one tree plays the same
# part as person i of the other (fig. 3: "the English people in one row and their isomorphic
# Italians directly below").
ENGLISH = {
    "people": ("Christopher", "Penelope", "Andrew", "Christine",
               "Margaret", "Arthur", "Victoria", "James", "Jennifer", "Charles",
               "Colin", "Charlotte"),
    "male": {"Christopher", "Andrew", "Arthur", "James", "Charles", "Colin"},
    "couples": (("Christopher", "Penelope"), ("Andrew", "Christine"), ("Arthur", "Margaret"),
                ("James", "Victoria"), ("Charles", "Jennifer")),
    "children": {("Christopher", "Penelope"): ("Arthur", "Victoria"),
                 ("Andrew", "Christine"): ("James", "Jennifer"),
                 ("James", "Victoria"): ("Colin", "Charlotte")},
}
ITALIAN = {
    "people": ("Roberto", "Maria", "Pierro", "Francesca",
               "Gina", "Emilio", "Lucia", "Marco", "Angela", "Tomaso",
               "Alfonso", "Sophia"),
    "male": {"Roberto", "Pierro", "Emilio", "Marco", "Tomaso", "Alfonso"},
    "couples": (("Roberto", "Maria"), ("Pierro", "Francesca"), ("Emilio", "Gina"),
                ("Marco", "Lucia"), ("Tomaso", "Angela")),
    "children": {("Roberto", "Maria"): ("Emilio", "Lucia"),
                 ("Pierro", "Francesca"): ("Marco", "Angela"),
                 ("Marco", "Lucia"): ("Alfonso", "Sophia")},
}


def family_facts(tree):
    """Every fact ⟨person 1⟩⟨relation⟩⟨person 2⟩ ("person 2 is person 1's relation") of one tree,
    derived from its marriages and children: father, mother, husband, wife, son, daughter,
    brother, sister; an uncle or aunt is a parent's sibling or that sibling's spouse; nephew and
    niece are the converse. Returns a sorted list of (p1, relation, p2)."""
    male = tree["male"]
    facts = set()
    spouse, parents = {}, {}
    for h, w in tree["couples"]:
        spouse[h], spouse[w] = w, h
        facts.add((w, "husband", h))
        facts.add((h, "wife", w))
    for (f, m), kids in tree["children"].items():
        for c in kids:
            parents[c] = (f, m)
            facts.add((c, "father", f))
            facts.add((c, "mother", m))
            for p in (f, m):
                facts.add((p, "son" if c in male else "daughter", c))
            for s in kids:
                if s != c:
                    facts.add((c, "brother" if s in male else "sister", s))

    def siblings(p):
        if p not in parents:
            return []
        return [s for s in tree["children"][parents[p]] if s != p]

    for c, (f, m) in parents.items():
        for p in (f, m):
            for s in siblings(p):
                for relative in (s, spouse.get(s)):
                    if relative is None:
                        continue
                    facts.add((c, "uncle" if relative in male else "aunt", relative))
                    facts.add((relative, "nephew" if c in male else "niece", c))
    return sorted(facts)


@dataclass
class FamilyTrees:
    """RHW's family-tree task (figs. 2–4).

    ``people``: the 24 names (12 English, then the 12 isomorphic Italians); ``relations``: the 12
    relations. ``facts``: the 112 facts (p1, relation, p2). ``triples``: the 104 cases
    (p1, relation, answers), one per (person 1, relation) pair that has an answer, with all its
    correct person-2s: the network is given the first two terms and must "complete the
    proposition" by turning on every correct output unit (fig. 3: Colin has two aunts, so that case
    has two answers). 112 facts but 104 cases because 8 cases have two answers (each child's two
    uncles and two aunts, in both trees).

    ``X`` (104, 36): one-hot person 1 (24 units) then one-hot relation (12 units), as the two
    groups of input units of fig. 3; ``Y`` (104, 24): one unit per person 2, 1 for each correct
    answer. ``train`` and ``test`` index the 100 cases trained on and the 4 held out; RHW do not
    list which 4 they held out, so they are drawn at random with ``seed``. ``X_train`` etc. are
    the corresponding rows."""
    people: tuple
    relations: tuple
    facts: list
    triples: list
    X: np.ndarray
    Y: np.ndarray
    train: np.ndarray
    test: np.ndarray
    english: tuple = field(default=ENGLISH["people"])
    italian: tuple = field(default=ITALIAN["people"])

    X_train = property(lambda self: self.X[self.train])
    Y_train = property(lambda self: self.Y[self.train])
    X_test = property(lambda self: self.X[self.test])
    Y_test = property(lambda self: self.Y[self.test])

    def encode(self, person, relation):
        """The 36-unit input vector for ⟨person⟩⟨relation⟩."""
        x = np.zeros(len(self.people) + len(self.relations), self.X.dtype)
        x[self.people.index(person)] = 1
        x[len(self.people) + self.relations.index(relation)] = 1
        return x

    def decode(self, output, threshold=0.5):
        """The names whose output unit is above ``threshold``."""
        out = np.asarray(getattr(output, "data", output)).reshape(-1)
        return [p for p, v in zip(self.people, out) if v > threshold]


def family_trees(held_out=4, seed=0, dtype=np.float64):
    """RHW's two isomorphic family trees as a ``FamilyTrees`` data set: 24 people, 12 relations,
    104 cases, split into 104 − ``held_out`` training cases and ``held_out`` test cases (RHW: 100
    and 4) drawn with ``seed``."""
    people = ENGLISH["people"] + ITALIAN["people"]
    facts = family_facts(ENGLISH) + family_facts(ITALIAN)
    answers = {}
    for p1, rel, p2 in facts:
        answers.setdefault((p1, rel), []).append(p2)
    pos = {p: i for i, p in enumerate(people)}
    keys = sorted(answers, key=lambda k: (pos[k[0]], RELATIONS.index(k[1])))
    triples = [(p1, rel, tuple(sorted(answers[(p1, rel)], key=pos.get))) for p1, rel in keys]
    n_p, n_r = len(people), len(RELATIONS)
    X = np.zeros((len(triples), n_p + n_r), dtype)
    Y = np.zeros((len(triples), n_p), dtype)
    for i, (p1, rel, ans) in enumerate(triples):
        X[i, pos[p1]] = 1
        X[i, n_p + RELATIONS.index(rel)] = 1
        for p2 in ans:
            Y[i, pos[p2]] = 1
    if not 0 <= held_out < len(triples):
        raise ValueError(f"family_trees: held_out must be in [0, {len(triples)}), got {held_out}")
    test = np.sort(as_rng(seed).permutation(len(triples))[:held_out])
    train = np.setdiff1d(np.arange(len(triples)), test)
    return FamilyTrees(people=people, relations=RELATIONS, facts=facts, triples=triples, X=X, Y=Y,
                       train=train, test=test)


# ---- 2-D toy sets -----------------------------------------------------------------------------------------
def spirals(n_samples=200, noise=0.0, turns=1.5, seed=0, dtype=np.float64):
    """Two interleaved spirals in the plane: class k ∈ {0, 1} has points
    r(t)·(cos θ, sin θ) with r = t, θ = 2π·turns·t + kπ, for t evenly spaced in [0.05, 1], plus
    Gaussian noise of standard deviation ``noise``. Class 1 is class 0 rotated by π: x ↦ −x.
    Returns (X of shape (n_samples, 2), y int64 of shape (n_samples,)), in shuffled order."""
    rng = as_rng(seed)
    n0 = (n_samples + 1) // 2
    n1 = n_samples - n0
    parts, labels = [], []
    for k, n in ((0, n0), (1, n1)):
        t = np.linspace(0.05, 1.0, n)
        theta = 2 * np.pi * turns * t + k * np.pi
        parts.append(np.stack([t * np.cos(theta), t * np.sin(theta)], axis=1))
        labels.append(np.full(n, k, np.int64))
    X = np.concatenate(parts) + noise * rng.standard_normal((n_samples, 2))
    y = np.concatenate(labels)
    order = rng.permutation(n_samples)
    return X[order].astype(dtype), y[order]


def moons(n_samples=200, noise=0.0, seed=0, dtype=np.float64):
    """Two interleaving half circles (as scikit-learn's make_moons): class 0 on the upper unit
    half circle (cos t, sin t), class 1 on (1 − cos t, 1/2 − sin t), t evenly spaced in [0, π],
    plus Gaussian noise of standard deviation ``noise``. Returns (X (n_samples, 2), y int64
    (n_samples,)), in shuffled order."""
    rng = as_rng(seed)
    n0 = (n_samples + 1) // 2
    n1 = n_samples - n0
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1),
                        np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], 1)])
    X = X + noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    order = rng.permutation(n_samples)
    return X[order].astype(dtype), y[order]


def digits(dtype=np.float64):
    """scikit-learn's bundled 8×8 handwritten digits (1797 images, shipped inside the package, no
    download): X of shape (1797, 64) scaled to [0, 1] (pixel / 16), y int64 labels 0–9.
    Needs scikit-learn."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError("datasets.digits() needs scikit-learn, which ships the 8×8 digits: install "
                          "it with  pip install scikit-learn  (from a checkout of tinygrad_cn, "
                          "pip install -e \".[datasets]\" does the same)") from None
    d = load_digits()
    return (d.data / 16.0).astype(dtype), d.target.astype(np.int64)
