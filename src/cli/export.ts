import type { Command } from 'commander';
import { LAW_FORMATS, type LawFormat, exportLaw } from '../export/law.js';
import { loadLaw } from '../law/io.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { parseCount } from './options.js';
import { CliUsageError } from './expr.js';

function parseLawFormat(value: string): LawFormat {
  if ((LAW_FORMATS as readonly string[]).includes(value)) return value as LawFormat;
  throw new CliUsageError(`--to: unknown format "${value}"; expected one of ${LAW_FORMATS.join(', ')}`);
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a law document (from discover or train) as text, LaTeX, a JS module, C or JSON')
    .argument('<law>', 'law document, e.g. law.json or runs/NAME/law.json')
    .option('--to <format>', `output form: ${LAW_FORMATS.join(' | ')}`, parseLawFormat, 'text')
    .option('--digits <n>', 'round coefficients to n significant digits', parseCount)
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .action((file: string, options: { to: LawFormat; digits?: number; out?: string }) => {
      const text = exportLaw(loadLaw(file), options.to, { digits: options.digits });
      if (options.out) writeFileAtomic(options.out, text);
      else process.stdout.write(text);
    });
}
