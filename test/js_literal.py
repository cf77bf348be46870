# JS literals of PyTorch values for the reference generators under test/ (test/*/gen-reference.py):
# numbers keep NaN, ±Infinity and -0, which JSON cannot.
import json, math

import torch


def js(v):
    if isinstance(v, torch.Tensor):
        return js(v.tolist())
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(js(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join('"%s": %s' % (k, js(e)) for k, e in v.items()) + "}"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0 and math.copysign(1, v) < 0:
        return "-0"
    return repr(v)
