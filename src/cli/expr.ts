import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SparselawError } from '../errors.js';
import { type Expr, variables as variablesOf } from '../expr/ast.js';
import { parse } from '../expr/parse.js';
import { print } from '../expr/print.js';
import { simplify } from '../expr/simplify.js';
import { interpret } from '../expr/interpret.js';
import { latex } from '../export/latex.js';
import { jsModuleSource } from '../export/js.js';
import { cSource } from '../export/c.js';
import { pythonModuleSource } from '../export/python.js';
import { exprDocument, loadExprDocument, parseJsonText } from '../export/json.js';
import { parseCount, parseNameList } from './options.js';

export { EXPORT_FORMATS as EXPR_FORMATS, type ExportFormat as ExprFormat } from '../export/formats.js';
import { EXPORT_FORMATS as EXPR_FORMATS, parseExportFormat, type ExportFormat as ExprFormat } from '../export/formats.js';

export class CliUsageError extends SparselawError {
  override name = 'CliUsageError';
}

export function parseFormat(value: string): ExprFormat {
  try {
    return parseExportFormat(value);
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

/** Renders one expression in the requested form; `variables` fixes the argument order of js/c. */
export function renderExpr(e: Expr, variables: readonly string[], to: ExprFormat): string {
  switch (to) {
    case 'text':
      return print(e);
    case 'latex':
      return latex(e);
    case 'js':
      return jsModuleSource(e, variables);
    case 'c':
      return cSource(e, variables);
    case 'python':
      return pythonModuleSource(e, variables);
    case 'json':
      return JSON.stringify(exprDocument(e, variables), null, 2);
  }
}

/** `x0=1.5,x1=-2` -> { x0: 1.5, x1: -2 }, with the offending item named on error. */
export function parseAssignments(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [i, item] of text.split(',').entries()) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)\s*$/.exec(item);
    if (!m) throw new CliUsageError(`--at: item ${i + 1} "${item}" is not of the form name=value`);
    const [, name, raw] = m as unknown as [string, string, string];
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) throw new CliUsageError(`--at: ${name}=${raw} is not a finite number`);
    if (name in out) throw new CliUsageError(`--at: ${name} is given twice`);
    out[name] = value;
  }
  return out;
}

interface ExprOptions {
  to: ExprFormat;
  simplify?: boolean;
  digits?: number;
  from?: string;
  vars?: string[];
}

function loadExpression(source: string | undefined, options: ExprOptions): { expr: Expr; variables: string[] } {
  if (options.from !== undefined) {
    if (source !== undefined) throw new CliUsageError('give either an expression or --from FILE, not both');
    let text: string;
    try {
      text = readFileSync(options.from, 'utf8');
    } catch (err) {
      throw new CliUsageError(`cannot read ${options.from}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return loadExprDocument(parseJsonText(text, options.from), options.from);
  }
  if (source === undefined) throw new CliUsageError('missing expression (or --from FILE)');
  const expr = parse(source, { variables: options.vars });
  return { expr, variables: options.vars ?? variablesOf(expr) };
}

/**
 * The commands accept unknown options so that an expression may start with a minus sign
 * (`eval "-x^2"`); what is left is a real unknown option only when it starts with two dashes.
 */
function rejectUnknownOption(args: readonly string[]): void {
  for (const a of args) if (/^--[A-Za-z]/.test(a)) throw new CliUsageError(`unknown option '${a.split('=')[0]}'`);
  if (args.length > 1) throw new CliUsageError(`expected one expression, got ${args.length} arguments (quote the expression)`);
}

export function register(program: Command): void {
  program
    .command('expr')
    .description('parse an expression (or read a JSON expression document) and print it in another form')
    .argument('[expression]', 'the expression, e.g. "2*sin(x0) - x1^2"')
    .option('--to <format>', `output form: ${EXPR_FORMATS.join(' | ')}`, parseFormat, 'text')
    .option('--from <file>', 'read a JSON expression document instead of an expression')
    .option('--vars <names>', 'declare the variables (and their order for js/c), e.g. x0,x1', parseNameList)
    .option('--simplify', 'simplify before printing')
    .option('--digits <n>', 'round coefficients to n significant digits (implies --simplify)', parseCount)
    .allowUnknownOption()
    .allowExcessArguments()
    .action((source: string | undefined, options: ExprOptions, command: Command) => {
      rejectUnknownOption(command.args);
      const { expr, variables } = loadExpression(source, options);
      const out =
        options.simplify || options.digits !== undefined ? simplify(expr, { digits: options.digits }) : expr;
      process.stdout.write(renderExpr(out, variables, options.to) + '\n');
    });

  program
    .command('eval')
    .description('evaluate an expression at a point')
    .argument('<expression>', 'the expression')
    .option('--at <assignments>', 'variable values, e.g. x0=1.5,x1=-2 (needed when the expression has variables)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action((source: string, options: { at?: string }, command: Command) => {
      rejectUnknownOption(command.args);
      const at = options.at === undefined ? {} : parseAssignments(options.at);
      const expr = parse(source);
      const missing = variablesOf(expr).filter((v) => !Object.hasOwn(at, v));
      if (missing.length > 0) {
        const list = missing.map((v) => `"${v}"`).join(', ');
        const example = missing.map((v) => `${v}=VALUE`).join(',');
        throw new CliUsageError(`missing a value for ${missing.length === 1 ? 'variable' : 'variables'} ${list}; give ${missing.length === 1 ? 'it' : 'them'} with --at ${example}`);
      }
      const value = interpret(expr, at);
      if (!Number.isFinite(value)) {
        const where = options.at === undefined ? '' : ` at ${options.at}`;
        throw new CliUsageError(`the expression is ${value}${where} (outside its domain?)`);
      }
      process.stdout.write(`${value}\n`);
    });
}
