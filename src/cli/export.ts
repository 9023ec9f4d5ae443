import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.js';
import { exportLaw } from '../export/law.js';
import { loadLaw } from '../law/io.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { checkOutputFile } from '../util/output-path.js';
import { parseCount } from './options.js';
import { parseFormat } from './expr.js';

export function register(program: Command): void {
  program
    .command('export')
    .description('export a law document (from discover or train) as text, LaTeX, a JS module, C, Python or JSON')
    .argument('<law>', 'law document, e.g. law.json or runs/NAME/law.json')
    .option('--to <format>', `output form: ${EXPORT_FORMATS.join(' | ')}`, parseFormat, 'text')
    .option('--digits <n>', 'round coefficients to n significant digits', parseCount)
    .option('--out <file>', 'write to a file (atomically) instead of stdout')
    .action(async (file: string, options: { to: ExportFormat; digits?: number; out?: string }) => {
      if (options.out !== undefined) await checkOutputFile(options.out, 'the exported law', { inputs: [file] });
      const text = exportLaw(loadLaw(file), options.to, { digits: options.digits });
      if (options.out) writeFileAtomic(options.out, text);
      else process.stdout.write(text);
    });
}
