"""KS-v0 in NumPy, written the straightforward way the paper's reference environment is: complex
FFTs of the whole grid at every sub-step, operators rebuilt at every solver step, forcing FFTs
recomputed at every sub-step, the whole field history kept in a list. Same numerics as
src/systems/ks.ts and src/envs/ks.ts; used by bench/ks-env.ts for timing and
for the numerical agreement check.

Usage: python3 ks_numpy.py MU CONTROL_STEPS GAIN EPISODES
Runs EPISODES episodes at MU, each a reset plus CONTROL_STEPS steps of the proportional policy
a = clip(-GAIN m, -1, 1), and prints one JSON line: timings, the start state after the reset, the
final field, and the return of the last episode.
"""
import json
import sys
import time

import numpy as np

L = 22.0
NX = 64
DT = 0.1
SUBSTEPS = 15
SENSORS = [4, 12, 20, 28, 36, 44, 52, 60]
WIDTH = 0.8
X = np.linspace(0.0, L, NX)  # with the endpoint, as the reference


def solver_step(u, p, mu):
    kx = np.concatenate((np.arange(0, NX // 2), [0], np.arange(-NX // 2 + 1, 0)))
    k = 2 * np.pi * kx / L
    lam = k**2 - k**4
    g = -0.5j * k
    h = DT / SUBSTEPS
    b = 1 + h / 2 * lam
    a_inv = 1 / (1 - h / 2 * lam)
    u = u.astype(complex)
    n_now = g * np.fft.fft(u * u)
    v = np.fft.fft(u)
    for _ in range(SUBSTEPS):
        n_prev = n_now.copy()
        w = np.fft.ifft(v)
        n_now = g * np.fft.fft(w * w)
        forcing = h * np.fft.fft(p) + h * np.fft.fft(mu * np.cos(4 * np.pi * X / L))
        v = a_inv * (b * v + 1.5 * h * n_now - 0.5 * h * n_prev + forcing)
    return np.real(np.fft.ifft(v))


def actuators(a):
    p = np.zeros(NX)
    for j, c in enumerate(SENSORS):
        for i in range(NX):
            p[i] += a[j] * np.exp(-0.5 * ((i - c) / WIDTH) ** 2)
    return p


def reset(mu):
    u = np.array([0.5 if 4 <= i <= 44 else 0.0 for i in range(NX)])
    history = []
    for _ in range(1001):
        u = solver_step(u, np.zeros(NX), mu)
        history.append(u)
    return history


def step(history, a, mu):
    u = history[-1]
    cost = np.mean(u**2) + 0.1 * np.mean(a**2)
    p = actuators(a)
    for _ in range(2):
        u = solver_step(u, p, mu)
        history.append(u)
    r = -cost
    if r >= 0:
        r = 0.0
    return u[SENSORS], r


def main():
    mu = float(sys.argv[1])
    steps = int(sys.argv[2])
    gain = float(sys.argv[3])
    episodes = int(sys.argv[4])
    reset_s = []
    episode_s = []
    for _ in range(episodes):
        t0 = time.perf_counter()
        history = reset(mu)
        t1 = time.perf_counter()
        start = history[-1].copy()
        obs = start[SENSORS]
        ret = 0.0
        for _ in range(steps):
            a = np.clip(-gain * obs, -1.0, 1.0)
            obs, r = step(history, a, mu)
            ret += r
        t2 = time.perf_counter()
        reset_s.append(t1 - t0)
        episode_s.append(t2 - t1)
    print(
        json.dumps(
            {
                "numpy": np.__version__,
                "reset_s": reset_s,
                "episode_s": episode_s,
                "start": start.tolist(),
                "final": history[-1].tolist(),
                "return": ret,
            }
        )
    )


if __name__ == "__main__":
    main()
