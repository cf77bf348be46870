# Generates test/optim/scheduler-reference.ts: learning rates (and OneCycleLR's momentum) of every
# torch.optim.lr_scheduler that tensorgrad has, on an SGD/Adam with two parameter groups, in three
# scenarios: a fresh run; a scheduler constructed with last_epoch=K on an optimizer restored from
# the fresh run's state after K steps, or on a fresh optimizer given only initial_lr; and a run
# restored from both state dicts after K steps.
# Run with Debian's python3-torch 1.13:
#   /usr/bin/python3 test/optim/gen-scheduler-reference.py > test/optim/scheduler-reference.ts
import json, copy, warnings, torch
from torch.optim import lr_scheduler as S
warnings.simplefilter("ignore")
K, N = 4, 14  # resume point, steps recorded per run

def make_opt(kind="sgd"):
    a, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    if kind == "adam":
        return torch.optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.1}], lr=0.5)
    return torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.1}], lr=0.5, momentum=0.9)

def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]

def record(opt, sched, n, metrics=None, start=0):
    out = []
    for i in range(n):
        out.append([g["lr"] for g in opt.param_groups] + momenta(opt))
        opt.step()
        if metrics is None: sched.step()
        else: sched.step(metrics[start + i])
    return out

METRICS = [1.0, 0.9, 0.9, 0.95, 0.91, 0.89, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7]
CASES = {
    "StepLR": (lambda o, **kw: S.StepLR(o, 3, gamma=0.5, **kw), "sgd"),
    "MultiStepLR": (lambda o, **kw: S.MultiStepLR(o, [2, 5, 5, 9], gamma=0.3, **kw), "sgd"),
    "ExponentialLR": (lambda o, **kw: S.ExponentialLR(o, 0.8, **kw), "sgd"),
    "CosineAnnealingLR": (lambda o, **kw: S.CosineAnnealingLR(o, 7, eta_min=0.01, **kw), "sgd"),
    "LambdaLR": (lambda o, **kw: S.LambdaLR(o, [lambda e: 0.95 ** e, lambda e: 1.0 / (e + 1)], **kw), "sgd"),
    "LinearLR": (lambda o, **kw: S.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=6, **kw), "sgd"),
    "LinearLR defaults": (lambda o, **kw: S.LinearLR(o, **kw), "sgd"),
    "OneCycleLR": (lambda o, **kw: S.OneCycleLR(o, [1.0, 0.4], total_steps=N + K + 1, **kw), "sgd"),
    "OneCycleLR adam linear threePhase": (lambda o, **kw: S.OneCycleLR(o, 0.3, epochs=4, steps_per_epoch=5, anneal_strategy="linear",
                                                                     three_phase=True, pct_start=0.25, div_factor=10., final_div_factor=100., **kw), "adam"),
    "OneCycleLR no momentum": (lambda o, **kw: S.OneCycleLR(o, 1.0, total_steps=N + K + 1, cycle_momentum=False, **kw), "sgd"),
}
SEQ = {
    "SequentialLR linear cosine": lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=3), S.CosineAnnealingLR(o, 5)], milestones=[3]),
    "SequentialLR three": lambda o: S.SequentialLR(o, [S.ExponentialLR(o, 0.9), S.StepLR(o, 2, gamma=0.5), S.LambdaLR(o, lambda e: 1.0 / (e + 1))], milestones=[3, 7]),
}
PLATEAU = {
    "ReduceLROnPlateau": lambda o: S.ReduceLROnPlateau(o, patience=2, cooldown=1, min_lr=[0.01, 0.0], factor=0.5),
    "ReduceLROnPlateau max abs": lambda o: S.ReduceLROnPlateau(o, mode="max", threshold_mode="abs", threshold=0.05, patience=1, factor=0.2),
}

out = {}
for name, (make, kind) in CASES.items():
    opt = make_opt(kind); sched = make(opt)
    fresh = record(opt, sched, K)
    opt_sd, sched_sd = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    fresh += record(opt, sched, N - K)
    o2 = make_opt(kind); o2.load_state_dict(copy.deepcopy(opt_sd))
    from_epoch = record(o2, make(o2, last_epoch=K), N - K)
    o3 = make_opt(kind); s3 = make(o3); o3.load_state_dict(copy.deepcopy(opt_sd)); s3.load_state_dict(copy.deepcopy(sched_sd))
    from_state = record(o3, s3, N - K)
    o4 = make_opt(kind)  # a fresh optimizer told only its initial rates (what a user without its state dict has)
    for g in o4.param_groups: g["initial_lr"] = g["lr"]
    if name.startswith("OneCycleLR"): make(o4)  # OneCycleLR also needs its bounds in the groups
    from_epoch_fresh = record(o4, make(o4, last_epoch=K), N - K)
    out[name] = {"fresh": fresh, "fromLastEpoch": from_epoch, "fromLastEpochFreshOptimizer": from_epoch_fresh, "fromStateDict": from_state}
for name, make in SEQ.items():
    opt = make_opt(); sched = make(opt)
    fresh = record(opt, sched, K)
    opt_sd, sched_sd = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    fresh += record(opt, sched, N - K)
    o3 = make_opt(); s3 = make(o3); o3.load_state_dict(copy.deepcopy(opt_sd)); s3.load_state_dict(copy.deepcopy(sched_sd))
    out[name] = {"fresh": fresh, "fromStateDict": record(o3, s3, N - K)}
for name, make in PLATEAU.items():
    ms = METRICS if "max" not in name else [1 - m for m in METRICS]
    opt = make_opt(); sched = make(opt)
    fresh = record(opt, sched, K, ms)
    opt_sd, sched_sd = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    fresh += record(opt, sched, len(ms) - K, ms, K)
    o3 = make_opt(); s3 = make(o3); o3.load_state_dict(copy.deepcopy(opt_sd)); s3.load_state_dict(copy.deepcopy(sched_sd))
    out[name] = {"fresh": fresh, "fromStateDict": record(o3, s3, len(ms) - K, ms, K), "metrics": ms}

print("// Generated by test/optim/gen-scheduler-reference.py with PyTorch %s (Debian python3-torch 1.13.1). Do not edit." % torch.__version__)
print("// Each row: [lr group 0, lr group 1, momentum (or beta1) group 0, group 1] before one optimizer + scheduler step.")
print("export const K = %d, N = %d;" % (K, N))
print("export const SCHED = %s as const;" % json.dumps(out))
