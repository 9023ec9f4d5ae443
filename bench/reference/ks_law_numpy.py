"""A sparselaw law document evaluated as a controller in the NumPy KS implementation (ks_numpy.py),
outside sparselaw: the law is read from its JSON file and each output's expression tree
({"num"}, {"var"}, {"neg"}, {"op", "left", "right"}, {"fn", "arg"}) is turned into nested Python
closures over NumPy's functions, so no sparselaw code (printer, compiler, interpreter) is involved.

Usage: python3 ks_law_numpy.py LAW.json CONTROL_STEPS MU [MU ...]
For each MU: reset (1001 uncontrolled solver steps), then CONTROL_STEPS steps of
a = clip(law(m1..m8, mu), -1, 1). Prints one JSON line: {"numpy": version, "runs": [{"mu", "return",
"start", "fields"}]} with the field after each control step. Exits with status 2 and a one-line
message on stderr when the law cannot be used.
"""
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
        arg = compile_node(node["arg"], index, path + ".arg")
        return lambda x: fn(arg(x))
    raise LawError(f"{path}: not an expression node")


def load_law(path):
    """The law as a function (m: 8 sensors, mu) -> 8 actions a1..a8."""
    with open(path, encoding="utf8") as f:
        doc = json.load(f)
    inputs = doc["inputs"]
    allowed = [f"m{j + 1}" for j in range(len(SENSORS))] + ["mu"]
    for name in inputs:
        if name not in allowed:
            raise LawError(f"input {name!r} is not one of {', '.join(allowed)}")
    index = {name: i for i, name in enumerate(inputs)}
    outputs = {o["name"]: o for o in doc["outputs"]}
    laws = []
    for j in range(len(SENSORS)):
        name = f"a{j + 1}"
        if name not in outputs:
            raise LawError(f"the law has no output {name}")
        k = [o["name"] for o in doc["outputs"]].index(name)
        laws.append(compile_node(outputs[name]["expression"], index, f"$.outputs[{k}].expression"))
    source = [allowed.index(name) for name in inputs]

    def policy(m, mu):
        values = list(m) + [mu]
        x = [values[s] for s in source]
        return np.array([float(f(x)) for f in laws])

    return policy


def main():
    path = sys.argv[1]
    steps = int(sys.argv[2])
    mus = [float(s) for s in sys.argv[3:]]
    try:
        policy = load_law(path)
    except KeyError as e:
        print(f"{path}: missing field {e}", file=sys.stderr)
        sys.exit(2)
    except (LawError, TypeError, ValueError, OSError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        sys.exit(2)
    runs = []
    for mu in mus:
        history = reset(mu)
        start = history[-1].copy()
        obs = start[SENSORS]
        ret = 0.0
        fields = []
        for _ in range(steps):
            a = np.clip(policy(obs, mu), -1.0, 1.0)
            obs, r = step(history, a, mu)
            ret += r
            fields.append(history[-1].tolist())
        runs.append({"mu": mu, "return": ret, "start": start.tolist(), "fields": fields})
    print(json.dumps({"numpy": np.__version__, "nx": NX, "runs": runs}))


if __name__ == "__main__":
    main()
