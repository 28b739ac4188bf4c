"""The family-trees experiment of Rumelhart, Hinton & Williams 1986 (figs. 2–4) for tutorial 07: the
five-layer logistic net of fig. 3, the two readings of "no error above 0.8 / below 0.2", RHW's 0.2%
weight decay, the training run with eq. (7) momentum, and the measurements of fig. 4's features
(correlation with indicator vectors, a permutation test, the isomorphism of the two trees)."""
import numpy as np

from ...core import ops
from ...core.graph import no_grad
from ...core.tensor import Tensor
from ...nn import init, optim
from ...nn.datasets import ENGLISH, ITALIAN, family_trees
from ...nn.layers import Linear
from ...nn.module import Module
from .. import plotting

__all__ = ["ON", "OFF", "N_PEOPLE", "N_REL", "FamilyNet", "error_literal", "error_margin", "ERRORS", "rhw_decay",
           "correct_strict", "correct_top", "train_family", "summary", "layer_grad_norms", "FEATURES",
           "FEATURE_EN", "corr_rows", "feature_scores", "isomorphism", "hinton_diagram", "plot_error_curves"]

ON, OFF = 0.8, 0.2  # fig. 4's caption: an on-unit above 0.8, an off-unit below 0.2 counts no error
N_PEOPLE, N_REL = 24, 12


def uniform_init(half_width):
    """Initialiser for nn.Linear: weights uniform in [-half_width, half_width]."""
    def init_(shape, dtype=np.float64, rng=None):
        return init.uniform(shape, -half_width, half_width, dtype=dtype, rng=rng)
    return init_


class FamilyNet(Module):
    """RHW fig. 3: person (24) -> 6 and relation (12) -> 6, separately; then 12 -> 12 -> 6 -> 24,
    every unit logistic (eqs. (1), (2)); weights U[−init_range, init_range], biases 0."""

    def __init__(self, init_range=0.3, rng=None):
        super().__init__()
        w_init = uniform_init(init_range)
        self.person = Linear(N_PEOPLE, 6, init=w_init, rng=rng)
        self.relation = Linear(N_REL, 6, init=w_init, rng=rng)
        self.central = Linear(12, 12, init=w_init, rng=rng)
        self.penultimate = Linear(12, 6, init=w_init, rng=rng)
        self.output = Linear(6, N_PEOPLE, init=w_init, rng=rng)

    def forward(self, x):
        x = x if isinstance(x, Tensor) else Tensor(x)
        p = ops.sigmoid(self.person(x[:, :N_PEOPLE]))   # distributed code of person 1
        r = ops.sigmoid(self.relation(x[:, N_PEOPLE:]))  # distributed code of the relation
        h = ops.sigmoid(self.central(ops.cat([p, r], axis=1)))
        h = ops.sigmoid(self.penultimate(h))
        return ops.sigmoid(self.output(h))


def error_literal(y, d):
    """Reading A: E = 1/2 sum (y - d)^2 over the units that are not yet on the right side of
    0.8 (target 1) or 0.2 (target 0); the others contribute nothing."""
    d_on = np.asarray(getattr(d, "data", d)) > 0.5
    done = (d_on & (y.data > ON)) | (~d_on & (y.data < OFF))
    e = ops.where(done, 0.0, y - d)
    return 0.5 * (e * e).sum()


def error_margin(y, d):
    """Reading B: on-units pay (y - 0.8)^2/2 below 0.8, off-units (y - 0.2)^2/2 above 0.2."""
    d_on = np.asarray(getattr(d, "data", d)) > 0.5
    e = ops.where(d_on, ops.minimum(y - ON, 0.0), ops.maximum(y - OFF, 0.0))
    return 0.5 * (e * e).sum()


ERRORS = {"A": error_literal, "B": error_margin}


def rhw_decay(params, fraction=0.002):
    """RHW fig. 4: after each weight change, reduce every weight by `fraction` (0.2%)."""
    for p in params:
        p.data = p.data * (1 - fraction)


def correct_strict(y, d):
    """Per case: every correct output above 0.5 and every other output below 0.5."""
    return np.all((y > 0.5) == (d > 0.5), axis=1)


def correct_top(y, d):
    """Per case: the largest output is one of the correct people."""
    return d[np.arange(len(d)), np.argmax(y, axis=1)] > 0.5


def train_family(seed, sweeps=1500, error="B", eps_scale=1.0, init_range=1.0, decay=0.002):
    """RHW's run: held-out split and initial weights from `seed`; full-batch epochs with eq. 7,
    eps 0.005, alpha 0.5 for 20 epochs then eps 0.01, alpha 0.9 (both eps times `eps_scale`), and
    the 0.2% decay after every change. Returns a dict with the net, data, E per epoch, results."""
    data = family_trees(seed=seed)
    model = FamilyNet(init_range, rng=np.random.default_rng(seed))
    X, D = Tensor(data.X_train), Tensor(data.Y_train)
    err = ERRORS[error]
    opt = optim.SGD(model.parameters(), lr=0.005 * eps_scale, momentum=0.5)
    E = np.empty(sweeps)
    W_person0 = model.person.weight.data.copy()
    for t in range(sweeps):
        if t == 20:
            opt.lr = 0.01 * eps_scale
            for group in opt.param_groups:
                group["momentum"] = 0.9
        opt.zero_grad()
        loss = err(model(X), D)
        loss.backward()
        E[t] = loss.item()
        opt.step()
        rhw_decay(model.parameters(), decay)
    with no_grad():
        Y = model(data.X).data
    return dict(seed=seed, net=model, data=data, E=E, Y=Y, W_person0=W_person0,
                ok=correct_strict(Y, data.Y), top=correct_top(Y, data.Y))


def summary(run):
    """Strictly right training cases, training cases with the right top output, strictly right
    held-out cases, and the last E of a `train_family` run."""
    tr, te = run["data"].train, run["data"].test
    return dict(train=int(run["ok"][tr].sum()), train_top=int(run["top"][tr].sum()),
                test=int(run["ok"][te].sum()), E=run["E"][-1])


def layer_grad_norms(init_range, seed, error="A"):
    """‖∂E/∂W‖ of every layer's weight at initialisation (on the training cases of `seed`)."""
    data = family_trees(seed=seed)
    model = FamilyNet(init_range, rng=np.random.default_rng(seed))
    ERRORS[error](model(data.X_train), data.Y_train).backward()
    return {k.split(".")[0]: float(np.linalg.norm(p.grad.data))
            for k, p in model.named_parameters() if k.endswith("weight")}


ENG = list(ENGLISH["people"])
LEFT = {"Christopher", "Penelope", "Arthur", "Margaret", "Victoria"}
RIGHT = {"Andrew", "Christine", "James", "Jennifer", "Charles"}
GENERATION = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3]   # fig. 2, in the order of ENGLISH["people"]
FEATURES = {  # indicator vectors over the 24 people (English, then the Italians in the same order)
    "国籍": np.array([1.0] * 12 + [-1.0] * 12),
    "辈分": np.array(GENERATION * 2, float),
    "支系": np.array([1.0 if p in LEFT else -1.0 if p in RIGHT else 0.0 for p in ENG] * 2),
    "性别": np.array([1.0 if p in ENGLISH["male"] else -1.0 for p in ENG] * 2),
}
FEATURE_EN = {"国籍": "nationality", "辈分": "generation", "支系": "branch", "性别": "gender"}


def corr_rows(W, f):
    """Pearson r of each row of W (units x 24 people) with the indicator f."""
    Wc = W - W.mean(axis=1, keepdims=True)
    fc = f - f.mean()
    return Wc @ fc / (np.linalg.norm(Wc, axis=1) * np.linalg.norm(fc))


def feature_scores(W, n_perm=2000, seed=0):
    """For each feature: (best |r| over the 6 units, that unit, the 95% point of the same
    statistic with the people shuffled)."""
    prng = np.random.default_rng(seed)
    perms = [prng.permutation(W.shape[1]) for _ in range(n_perm)]
    out = {}
    for name, f in FEATURES.items():
        r = corr_rows(W, f)
        null = [np.abs(corr_rows(W[:, p], f)).max() for p in perms]
        out[name] = (float(np.abs(r).max()), int(np.abs(r).argmax()), float(np.quantile(null, 0.95)))
    return out


def isomorphism(run, n_perm=2000, seed=0):
    """(r_iso, its permutation 95% point, how many of the 12 English people have their Italian
    counterpart as the nearest Italian in the 6-unit person code)."""
    W, b = run["net"].person.weight.data, run["net"].person.bias.data
    Wc = np.concatenate([W[:, :12] - W[:, :12].mean(1, keepdims=True),
                         W[:, 12:] - W[:, 12:].mean(1, keepdims=True)], axis=1)
    eng, ita = Wc[:, :12], Wc[:, 12:]

    def r(it):
        return float(np.sum(eng * it) / np.linalg.norm(eng) / np.linalg.norm(it))
    prng = np.random.default_rng(seed)
    null95 = np.quantile([r(ita[:, prng.permutation(12)]) for _ in range(n_perm)], 0.95)
    code = 1 / (1 + np.exp(-(W.T + b)))   # (24 people, 6 units)
    dist = np.linalg.norm(code[:12, None, :] - code[None, 12:, :], axis=2)   # English x Italian
    return r(ita), float(null95), int(np.sum(dist.argmin(axis=1) == np.arange(12)))


def hinton_diagram(W, R, title):
    """Fig. 4: one row of squares per person-encoding unit (English above Italian; white +, black −,
    area ∝ |w|), with each unit's r against the four features beside it. Returns the figure."""
    plt = plotting.pyplot()
    fig, axes = plt.subplots(6, 1, figsize=(10, 9.5))
    big = np.abs(W).max()
    L = plotting.label
    for k, ax in enumerate(axes):
        ax.set_facecolor("0.55")
        M = np.stack([W[k, :12], W[k, 12:]])  # English above Italian
        for (i, j), w in np.ndenumerate(M):
            side = 0.92 * np.sqrt(abs(w) / big)
            ax.add_patch(plt.Rectangle((j - side / 2, i - side / 2), side, side,
                                       facecolor="white" if w > 0 else "black", edgecolor="none"))
        for x in (3.5, 9.5):
            ax.axvline(x, color="0.8", lw=0.8)
        ax.set_xlim(-0.5, 11.5)
        ax.set_ylim(1.5, -0.5)
        ax.set_aspect("equal")
        ax.set_yticks([0, 1])
        ax.set_yticklabels([L("英", "En"), L("意", "It")], fontsize=8)
        ax.set_xticks(range(12))
        if k == 0:
            ax.set_xticks(range(12))
            ax.xaxis.tick_top()
            ax.set_xticklabels(ENG, rotation=40, ha="left", fontsize=7)
        elif k == 5:
            ax.set_xticklabels(list(ITALIAN["people"]), rotation=40, ha="right", fontsize=7)
        else:
            ax.set_xticklabels([])
        best = int(np.abs(R[k]).argmax())
        name = list(FEATURES)[best]
        txt = "  ".join(f"{n} {R[k, i]:+.2f}" for i, n in enumerate(FEATURES))
        txt_en = "  ".join(f"{FEATURE_EN[n][:3]} {R[k, i]:+.2f}" for i, n in enumerate(FEATURES))
        ax.set_ylabel(L(f"单元 {k + 1}", f"unit {k + 1}"), rotation=0, ha="right", va="center")
        ax.text(12.0, 0.5, L(f"r：{txt}\n最像：{name}", f"r: {txt_en}\nbest: {FEATURE_EN[name]}"),
                va="center", fontsize=9)
    fig.suptitle(title, y=0.995)
    fig.subplots_adjust(hspace=0.25, right=0.72)
    return fig


def plot_error_curves(as_written, runs, name="07_family_trees_error"):
    """E per epoch (log scale): the runs with RHW's parameters (grey, both readings) and the first
    five learning runs (coloured)."""
    plt = plotting.pyplot(optional=True)
    if plt is None:
        return
    L = plotting.label
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for e, color in (("A", "0.45"), ("B", "0.7")):
        for i, run in enumerate(as_written[e]):
            ax.semilogy(run["E"], color=color, lw=1, label=L(
                f"原文参数：读法 {e}，ε = 0.01，U[−0.3, 0.3]", f"as written: reading {e}, ε = 0.01, U[−0.3, 0.3]")
                if i == 0 else None)
    for i, run in enumerate(runs[:5]):
        ax.semilogy(run["E"], color=f"C{i}", lw=1,
                    label=L("读法 B，ε × 10，U[−1, 1]", "reading B, ε × 10, U[−1, 1]") if i == 0 else None)
    ax.set_xlabel(L("轮数（epoch）", "epoch"))
    ax.set_ylabel(L("误差 E（公式 (3)，零误差区除外）", "error E (eq. 3, outside the zero-error zone)"))
    ax.set_title(L("家族树：平台与学会", "family trees: plateau and learning"))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    plotting.show(fig, name)
