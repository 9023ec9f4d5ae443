import type { Expr } from '../expr/ast.js';

/**
 * The law document: one closed-form expression per output over named inputs, with the metrics and
 * the lambda front it was chosen from. Its JSON form (version 2) is described by
 * schema/law.schema.json; src/law/io.ts reads and writes it.
 *
 * `terms` lists the surviving dictionary terms with their coefficients (informational: a control law
 * such as torque = 2 tanh(...) is not a plain sum); `expr` is the law itself.
 */
export interface LawTerm {
  /** An expression over the inputs, as text (it parses). */
  term: string;
  coefficient: number;
}

export interface LawOutput {
  name: string;
  expr: Expr;
  terms: LawTerm[];
}

/** Metrics of a law discovered from data; arrays have one entry per output. */
export interface DiscoveryMetrics {
  kind: 'discovery';
  trainRows?: number;
  validationRows?: number;
  terms: number[];
  trainMse: number[];
  validationMse: number[];
  /** One lambda, or one per output when lambda was chosen on the path. */
  lambda: number | number[];
  selectionRule?: string;
  /** How the targets were formed (the weak form says so here). */
  formulation?: string;
  /** Further fields are carried through unchanged. */
  [extra: string]: unknown;
}

/** Metrics of a control law trained by reinforcement learning. */
export interface TrainingMetrics {
  kind: 'training';
  evaluationReturns: number[];
  evaluationMean: number;
  terms: number;
  gatesBinary?: boolean;
  episodes?: number;
  seconds?: number;
  [extra: string]: unknown;
}

export type LawMetrics = DiscoveryMetrics | TrainingMetrics;

/** One point of the lambda path; arrays have one entry per output. */
export interface FrontPoint {
  lambda: number;
  terms: number[];
  trainMse: number[];
  validationMse: number[];
}

export interface LawDocument {
  inputs: string[];
  outputs: LawOutput[];
  library?: string;
  metrics?: LawMetrics;
  front?: FrontPoint[];
  warnings?: string[];
  /** Free-form provenance (command, data file, seed, environment, ...). */
  meta?: Record<string, unknown>;
}
