/*
 * Steps a MuJoCo model with the native library the way bench/mujoco.ts steps it in WebAssembly:
 * uniform random controls in the actuators' range (xorshift32, the same sequence), held for
 * FRAME_SKIP physics steps per environment step, mj_resetData every EPISODE environment steps.
 * Runs for SECONDS of wall time and prints one JSON line.
 *
 *   mujoco_step MODEL.xml FRAME_SKIP EPISODE SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mujoco/mujoco.h>

static unsigned int state = 2463534242u;
static double uniform01(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state / 4294967296.0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s MODEL.xml FRAME_SKIP EPISODE SECONDS\n", argv[0]);
    return 2;
  }
  int frameSkip = atoi(argv[2]);
  long episode = atol(argv[3]);
  double seconds = atof(argv[4]);
  char error[1000] = "";
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof(error));
  if (!m) {
    fprintf(stderr, "could not load %s: %s\n", argv[1], error);
    return 1;
  }
  mjData* d = mj_makeData(m);
  long envSteps = 0;
  double start = now();
  double elapsed = 0;
  while (elapsed < seconds) {
    /* Check the clock every 100 environment steps: cheap next to the physics. */
    for (int k = 0; k < 100; k++) {
      for (int i = 0; i < m->nu; i++) {
        double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
        d->ctrl[i] = lo + (hi - lo) * uniform01();
      }
      for (int f = 0; f < frameSkip; f++) mj_step(m, d);
      if (++envSteps % episode == 0) mj_resetData(m, d);
    }
    elapsed = now() - start;
  }
  printf("{\"envSteps\": %ld, \"seconds\": %.6f, \"version\": \"%s\", \"nq\": %d, \"nu\": %d}\n", envSteps, elapsed, mj_versionString(), m->nq, m->nu);
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
