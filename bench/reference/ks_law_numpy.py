"""A sparselaw law evaluated as a controller in the NumPy KS implementation (ks_numpy.py).

The actions come from the law's Python export (`sparselaw export LAW.json --to python`, a NumPy
module with law(m1, ..., mu) returning every output by name). As a second, independent reading the
law document's expression trees ({"num"}, {"var"}, {"neg"}, {"op", "left", "right"}, {"fn", "arg"} or
{"fn", "args"}) are turned into nested closures over NumPy's functions here, without any sparselaw
code, and evaluated on the same observations; the largest difference between the two is reported.

Usage: python3 ks_law_numpy.py LAW.json LAW_MODULE.py CONTROL_STEPS MU [MU ...]
For each MU: reset (1001 uncontrolled solver steps), then CONTROL_STEPS steps of
a = clip(law(m1..m8, mu), -1, 1). Prints one JSON line: {"numpy": version, "runs": [{"mu", "return",
"start", "fields", "action_difference", "stopped"}]} with the field after each control step; an
episode stops early (with "stopped" saying why) once an action or the field is not finite. Exits with status 2
and a one-line message on stderr when the law cannot be used.
"""
import importlib.util
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ks_numpy import NX, SENSORS, reset, step  # noqa: E402

FUNCTIONS = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sign": np.sign,
    "atan2": np.arctan2,
    "min": np.minimum,
    "max": np.maximum,
    "clip": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
}
OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "^": lambda a, b: a**b,
}


class LawError(Exception):
    pass


def compile_node(node, index, path):
    """A closure x -> value of the node, x being the list of input values in the law's input order."""
    if not isinstance(node, dict):
        raise LawError(f"{path}: expected an expression node")
    if "num" in node:
        c = float(node["num"])
        return lambda x: c
    if "var" in node:
        name = node["var"]
        if name not in index:
            raise LawError(f"{path}: variable {name!r} is not among the inputs")
        i = index[name]
        return lambda x: x[i]
    if "neg" in node:
        f = compile_node(node["neg"], index, path + ".neg")
        return lambda x: -f(x)
    if "op" in node:
        op = OPS.get(node["op"])
        if op is None:
            raise LawError(f"{path}.op: unknown operator {node['op']!r}")
        left = compile_node(node["left"], index, path + ".left")
        right = compile_node(node["right"], index, path + ".right")
        return lambda x: op(left(x), right(x))
    if "fn" in node:
        fn = FUNCTIONS.get(node["fn"])
        if fn is None:
            raise LawError(f"{path}.fn: function {node['fn']!r} is not supported here")
        if "args" in node:
            args = [compile_node(a, index, f"{path}.args[{i}]") for i, a in enumerate(node["args"])]
            return lambda x: fn(*(a(x) for a in args))
        arg = compile_node(node["arg"], index, path + ".arg")
        return lambda x: fn(arg(x))
    raise LawError(f"{path}: not an expression node")


def inputs_of(doc):
    """The law's inputs, checked, and where each comes from in (m1..m8, mu)."""
    allowed = [f"m{j + 1}" for j in range(len(SENSORS))] + ["mu"]
    for name in doc["inputs"]:
        if name not in allowed:
            raise LawError(f"input {name!r} is not one of {', '.join(allowed)}")
    return doc["inputs"], [allowed.index(name) for name in doc["inputs"]]


def load_module(path, doc):
    """The Python export as a function (m: 8 sensors, mu) -> 8 actions a1..a8."""
    spec = importlib.util.spec_from_file_location("sparselaw_exported_law", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    inputs, source = inputs_of(doc)
    names = [f"a{j + 1}" for j in range(len(SENSORS))]

    def policy(m, mu):
        values = list(m) + [mu]
        out = module.law(*[values[s] for s in source])
        missing = [n for n in names if n not in out]
        if missing:
            raise LawError(f"the exported module has no output {missing[0]}")
        return np.array([float(out[n]) for n in names])

    return policy


def load_law(doc):
    """The law document's trees as a function (m: 8 sensors, mu) -> 8 actions a1..a8."""
    inputs, source = inputs_of(doc)
    index = {name: i for i, name in enumerate(inputs)}
    outputs = {o["name"]: o for o in doc["outputs"]}
    laws = []
    for j in range(len(SENSORS)):
        name = f"a{j + 1}"
        if name not in outputs:
            raise LawError(f"the law has no output {name}")
        k = [o["name"] for o in doc["outputs"]].index(name)
        laws.append(compile_node(outputs[name]["expression"], index, f"$.outputs[{k}].expression"))

    def policy(m, mu):
        values = list(m) + [mu]
        x = [values[s] for s in source]
        return np.array([float(f(x)) for f in laws])

    return policy


def run(doc, module_path, steps, mus):
    tree_policy = load_law(doc)
    policy = load_module(module_path, doc)
    runs = []
    for mu in mus:
        history = reset(mu)
        start = history[-1].copy()
        obs = start[SENSORS]
        ret = 0.0
        fields = []
        action_difference = 0.0
        stopped = None
        for t in range(steps):
            raw = policy(obs, mu)
            action_difference = max(action_difference, float(np.max(np.abs(raw - tree_policy(obs, mu)))))
            if not np.all(np.isfinite(raw)):
                stopped = f"non-finite action at step {t + 1}"
                break
            a = np.clip(raw, -1.0, 1.0)
            obs, r = step(history, a, mu)
            if not (np.isfinite(r) and np.all(np.isfinite(history[-1]))):
                stopped = f"non-finite field at step {t + 1}"
                break
            ret += r
            fields.append(history[-1].tolist())
        runs.append(
            {
                "mu": mu,
                "return": ret,
                "start": start.tolist(),
                "fields": fields,
                "action_difference": action_difference if np.isfinite(action_difference) else None,
                "stopped": stopped,
            }
        )
    return runs


def main():
    path, module_path = sys.argv[1], sys.argv[2]
    steps = int(sys.argv[3])
    mus = [float(s) for s in sys.argv[4:]]
    try:
        with open(path, encoding="utf8") as f:
            doc = json.load(f)
        runs = run(doc, module_path, steps, mus)
    except KeyError as e:
        print(f"{path}: missing field {e}", file=sys.stderr)
        sys.exit(2)
    except (LawError, TypeError, ValueError, OSError, SyntaxError, ImportError, AttributeError) as e:
        print(f"{path}: {type(e).__name__ + ': ' if not isinstance(e, LawError) else ''}{e}".replace("\n", " "), file=sys.stderr)
        sys.exit(2)
    print(json.dumps({"numpy": np.__version__, "nx": NX, "runs": runs}))


if __name__ == "__main__":
    main()
