"""A double integrator served to sparselaw over the JSON-lines process protocol (standard library only).

Position x, velocity v, force u in [-1, 1]; 200 steps of 0.05 s; reward -(x^2 + 0.1 v^2 + 0.01 u^2).
Run by sparselaw through examples/envs/double-integrator-python.mjs; see docs/environments.md.
"""
import json
import random
import sys

DT = 0.05
STEPS = 200
SPACES = {
    "observationNames": ["x", "v"],
    "actionNames": ["u"],
    "parameterNames": [],
    "observationLow": [-10.0, -10.0],
    "observationHigh": [10.0, 10.0],
    "actionLow": [-1.0],
    "actionHigh": [1.0],
    "maxEpisodeSteps": STEPS,
    "state": True,  # this program answers get_state and set_state
}

rng = random.Random(0)
x, v, t = 0.0, 0.0, 0


def handle(request):
    global rng, x, v, t
    op = request["op"]
    if op == "spaces":
        return SPACES
    if op == "reset":
        if request.get("seed") is not None:
            rng = random.Random(request["seed"])
        x, v, t = rng.uniform(-1, 1), rng.uniform(-0.5, 0.5), 0
        return {"observation": [x, v], "parameters": []}
    if op == "step":
        u = min(1.0, max(-1.0, float(request["action"][0])))
        reward = -(x * x + 0.1 * v * v + 0.01 * u * u)
        x, v, t = x + v * DT, v + u * DT, t + 1
        return {"observation": [x, v], "reward": reward, "terminated": False, "truncated": t >= STEPS}
    if op == "get_state":
        version, internal, gauss = rng.getstate()
        return {"state": {"x": x, "v": v, "t": t, "rng": [version, list(internal), gauss]}}
    if op == "set_state":
        s = request["state"]
        x, v, t = s["x"], s["v"], s["t"]
        version, internal, gauss = s["rng"]
        rng.setstate((version, tuple(internal), gauss))
        return {}
    return {"error": f"unknown op {op!r}"}


for line in sys.stdin:
    request = json.loads(line)
    if request["op"] == "close":
        break
    try:
        answer = handle(request)
    except Exception as e:  # one bad request is an error answer, not the end of the process
        answer = {"error": f"{type(e).__name__}: {e}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
