import FFT from 'fft.js';
import { SparselawError } from '../errors.js';

export interface KsSolverOptions {
  /** Domain length (default 22). */
  L?: number;
  /** Grid points, a power of two >= 4 (default 64). */
  nx?: number;
  /** Length of one solver step (default 0.1). */
  dt?: number;
  /** Crank-Nicolson/AB2 sub-steps per solver step (default 15). */
  substeps?: number;
}

/**
 * Pseudo-spectral Kuramoto-Sivashinsky solver, u_t = -u u_x - u_xx - u_xxxx + f(x), periodic on
 * [0, L), with the numerics of the parametric-KS control paper's code:
 *
 * - wavenumbers k = 2 pi kx / L with kx = 0 .. nx/2-1, then 0 for the Nyquist mode, then negative;
 * - per solver step (length dt) the grid field u is transformed once, and `substeps` sub-steps of
 *   h = dt / substeps advance its spectrum v with Crank-Nicolson on Lambda = k^2 - k^4 and AB2 on
 *   N(v) = -0.5 i k FFT(IFFT(v)^2); the AB2 history at the first sub-step is N of the step's initial
 *   state (so that sub-step is explicit Euler in the nonlinear term);
 * - the forcing f is held constant over the step: its FFT is computed once in `setForcing`.
 *
 * Because the Nyquist wavenumber is zeroed, that mode has neither damping nor nonlinearity: it just
 * integrates the forcing's Nyquist component. This is a quirk of the reference, kept on purpose.
 *
 * u is real, so only the half spectrum 0 .. nx/2 is stored and updated; the inverse transform gets
 * the conjugate-mirrored full spectrum. All work buffers are allocated once in the constructor.
 */
export class KsSolver {
  readonly L: number;
  readonly nx: number;
  readonly dt: number;
  readonly substeps: number;
  /** Sub-step length dt / substeps. */
  readonly h: number;
  /** Wavenumber of half-spectrum bin m = 0 .. nx/2 (the Nyquist bin nx/2 has k = 0). */
  readonly k: Float64Array;
  private readonly fft: FFT;
  private readonly half: number;
  /** (1 - h/2 Lambda)^-1 and (1 + h/2 Lambda) per half-spectrum bin. */
  private readonly aInv: Float64Array;
  private readonly b: Float64Array;
  /** Interleaved complex half spectra (re, im) of length 2 (nx/2 + 1): state, nonlinear terms, forcing. */
  private readonly v: Float64Array;
  private readonly nNow: Float64Array;
  private readonly nPrev: Float64Array;
  private readonly force: Float64Array;
  /** Full-length complex work buffers (2 nx) and a real one (nx). */
  private readonly spec: Float64Array;
  private readonly phys: Float64Array;
  private readonly real: Float64Array;
  private readonly sq: Float64Array;

  constructor(options: KsSolverOptions = {}) {
    const L = options.L ?? 22;
    const nx = options.nx ?? 64;
    const dt = options.dt ?? 0.1;
    const substeps = options.substeps ?? 15;
    if (!(Number.isFinite(L) && L > 0)) throw new SparselawError(`KS solver: L must be a positive finite number, got ${L}`);
    if (!(Number.isInteger(nx) && nx >= 4 && (nx & (nx - 1)) === 0)) {
      throw new SparselawError(`KS solver: nx must be a power of two >= 4, got ${nx}`);
    }
    if (!(Number.isFinite(dt) && dt > 0)) throw new SparselawError(`KS solver: dt must be a positive finite number, got ${dt}`);
    if (!(Number.isInteger(substeps) && substeps >= 1)) {
      throw new SparselawError(`KS solver: substeps must be a positive integer, got ${substeps}`);
    }
    this.L = L;
    this.nx = nx;
    this.dt = dt;
    this.substeps = substeps;
    this.h = dt / substeps;
    this.half = nx / 2;
    this.fft = new FFT(nx);
    this.k = new Float64Array(this.half + 1);
    this.aInv = new Float64Array(this.half + 1);
    this.b = new Float64Array(this.half + 1);
    for (let m = 0; m <= this.half; m++) {
      const k = m < this.half ? (2 * Math.PI * m) / L : 0;
      const lambda = k * k - k * k * k * k;
      this.k[m] = k;
      this.aInv[m] = 1 / (1 - (this.h / 2) * lambda);
      this.b[m] = 1 + (this.h / 2) * lambda;
    }
    const c = 2 * (this.half + 1);
    this.v = new Float64Array(c);
    this.nNow = new Float64Array(c);
    this.nPrev = new Float64Array(c);
    this.force = new Float64Array(c);
    this.spec = new Float64Array(2 * nx);
    this.phys = new Float64Array(2 * nx);
    this.real = new Float64Array(nx);
    this.sq = new Float64Array(nx);
  }

  /** Sets the forcing f on the grid, held constant until the next call (zero initially). */
  setForcing(f: ArrayLike<number>): void {
    if (f.length !== this.nx) throw new SparselawError(`KS solver: forcing must have ${this.nx} grid values, got ${f.length}`);
    for (let i = 0; i < this.nx; i++) this.real[i] = f[i]!;
    this.forwardHalf(this.real, this.force);
  }

  /** Advances the grid field u (length nx) by one solver step of length dt, in place. */
  step(u: Float64Array): void {
    const nx = this.nx;
    if (u.length !== nx) throw new SparselawError(`KS solver: u must have ${nx} grid values, got ${u.length}`);
    const { v, nNow, nPrev, force, aInv, b, h } = this;
    this.forwardHalf(u, v);
    // N of the initial state from the real field directly; it is both AB2 terms of sub-step 1.
    this.nonlinearFromGrid(u, nNow);
    const c = this.half + 1;
    for (let s = 0; s < this.substeps; s++) {
      if (s === 0) nPrev.set(nNow);
      else {
        nPrev.set(nNow);
        this.toGrid(v, this.real);
        this.nonlinearFromGrid(this.real, nNow);
      }
      for (let m = 0; m < c; m++) {
        const re = 2 * m;
        const im = re + 1;
        v[re] = aInv[m]! * (b[m]! * v[re]! + 1.5 * h * nNow[re]! - 0.5 * h * nPrev[re]! + h * force[re]!);
        v[im] = aInv[m]! * (b[m]! * v[im]! + 1.5 * h * nNow[im]! - 0.5 * h * nPrev[im]! + h * force[im]!);
      }
    }
    this.toGrid(v, u);
  }

  /** Half spectrum (interleaved, bins 0 .. nx/2) of a real grid array. */
  private forwardHalf(x: Float64Array, out: Float64Array): void {
    // fft.js's real transform writes bins 0 .. nx/2 of the interleaved full-length output.
    this.fft.realTransform(this.phys, x);
    for (let j = 0; j < out.length; j++) out[j] = this.phys[j]!;
  }

  /** -0.5 i k FFT(u^2) on the half spectrum. */
  private nonlinearFromGrid(u: Float64Array, out: Float64Array): void {
    const sq = this.sq;
    for (let i = 0; i < this.nx; i++) sq[i] = u[i]! * u[i]!;
    this.fft.realTransform(this.phys, sq);
    for (let m = 0; m <= this.half; m++) {
      const k = this.k[m]!;
      const re = this.phys[2 * m]!;
      const im = this.phys[2 * m + 1]!;
      // (re + i im) * (-0.5 i k) = 0.5 k im - 0.5 i k re
      out[2 * m] = 0.5 * k * im;
      out[2 * m + 1] = -0.5 * k * re;
    }
  }

  /** Real part of the inverse transform of a Hermitian half spectrum, written to the grid `out`. */
  private toGrid(half: Float64Array, out: Float64Array): void {
    // IFFT(V) = conj(FFT(conj V)) / nx: the forward transform of the conjugated full spectrum, whose
    // real part scaled by 1/nx is u (this skips fft.js's separate 2 nx-element scaling pass).
    const nx = this.nx;
    const spec = this.spec;
    for (let m = 0; m <= this.half; m++) {
      spec[2 * m] = half[2 * m]!;
      spec[2 * m + 1] = -half[2 * m + 1]!;
    }
    for (let m = 1; m < this.half; m++) {
      spec[2 * (nx - m)] = half[2 * m]!;
      spec[2 * (nx - m) + 1] = half[2 * m + 1]!;
    }
    this.fft.transform(this.phys, spec);
    const scale = 1 / nx;
    for (let i = 0; i < nx; i++) out[i] = this.phys[2 * i]! * scale;
  }
}
