import { type Expr, variables as variablesOf, ExprError, VARIABLE_NAME } from '../expr/ast.js';
import type { NamedOutput } from './js.js';

/** A generated function's or output's name must be an identifier of the target language. */
export function checkName(name: string, what: string, language: string): void {
  if (!VARIABLE_NAME.test(name)) throw new ExprError(`${what} ${JSON.stringify(name)} is not a valid ${language} identifier`);
}

/** Every variable an expression uses must be one of the exported function's inputs. */
export function checkInputs(exprs: readonly Expr[], inputs: readonly string[]): void {
  const known = new Set(inputs);
  for (const e of exprs)
    for (const v of variablesOf(e))
      if (!known.has(v)) throw new ExprError(`variable ${v} is used but not among the inputs (${inputs.join(', ')})`);
}

/** The checks every law exporter makes before writing: its name, the outputs' names, the inputs. */
export function checkLawSignature(name: string, inputs: readonly string[], outputs: readonly NamedOutput[], language: string): void {
  checkName(name, 'function name', language);
  for (const o of outputs) checkName(o.name, 'output name', language);
  checkInputs(
    outputs.map((o) => o.expr),
    inputs,
  );
}
