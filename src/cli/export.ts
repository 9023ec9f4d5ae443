import type { Command } from 'commander';
import { LAW_FORMATS, type LawFormat, exportLaw } from '../export/law.js';
import { loadLaw } from '../law/io.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkOutputFile } from '../util/output-path.js';
import { parseCount } from './options.js';
import { CliUsageError } from './expr.js';
import { pythonLawSource } from '../export/python.js';
import { simplify } from '../expr/simplify.js';

/** The law formats plus Python, which this command renders itself. */
const FORMATS = [...LAW_FORMATS, 'python'] as const;
type Format = LawFormat | 'python';

function parseLawFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new CliUsageError(`--to: unknown format "${value}"; expected one of ${FORMATS.join(', ')}`);
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a law document (from discover or train) as text, LaTeX, a JS module, C or JSON')
    .argument('<law>', 'law document, e.g. law.json or runs/NAME/law.json')
    .option('--to <format>', `output form: ${FORMATS.join(' | ')}`, parseLawFormat, 'text')
    .option('--digits <n>', 'round coefficients to n significant digits', parseCount)
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .action(async (file: string, options: { to: Format; digits?: number; out?: string }) => {
      if (options.out !== undefined) await checkOutputFile(options.out, 'the exported law', { inputs: [file] });
      const doc = loadLaw(file);
      const text =
        options.to === 'python'
          ? pythonLawSource(
              doc.inputs,
              doc.outputs.map((o) => ({ name: o.name, expr: options.digits === undefined ? o.expr : simplify(o.expr, { digits: options.digits }) })),
            )
          : exportLaw(doc, options.to, { digits: options.digits });
      if (options.out) writeFileAtomic(options.out, text);
      else process.stdout.write(text);
    });
}
