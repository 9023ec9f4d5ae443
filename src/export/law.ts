import { print } from '../expr/print.js';
import { simplify } from '../expr/simplify.js';
import type { LawDocument } from '../law/document.js';
import { lawToJson } from '../law/io.js';
import { latexEquation } from './latex.js';
import { jsLawModuleSource } from './js.js';
import { cLawSource } from './c.js';
import { pythonLawSource } from './python.js';
import type { ExportFormat } from './formats.js';

// The law document itself lives in src/law/; these re-exports keep older import paths working.
export type { LawDocument, LawOutput } from '../law/document.js';
export { lawToJson, lawFromJson, saveLaw, loadLaw } from '../law/io.js';

export { EXPORT_FORMATS as LAW_FORMATS, type ExportFormat as LawFormat } from './formats.js';

/** The law in one of the export forms; `digits` rounds the coefficients for display. */
export function exportLaw(doc: LawDocument, to: ExportFormat, options: { digits?: number } = {}): string {
  const outputs = doc.outputs.map((o) => ({ name: o.name, expr: options.digits !== undefined ? simplify(o.expr, { digits: options.digits }) : o.expr }));
  switch (to) {
    case 'text':
      return outputs.map((o) => `${o.name} = ${print(o.expr)}`).join('\n') + '\n';
    case 'latex':
      return ['\\begin{aligned}', ...outputs.map((o, i) => `${latexEquation(o.name, o.expr).replace(' = ', ' &= ')}${i + 1 < outputs.length ? ' \\\\' : ''}`), '\\end{aligned}', ''].join('\n');
    case 'js':
      return jsLawModuleSource(doc.inputs, outputs);
    case 'c':
      return cLawSource(doc.inputs, outputs);
    case 'python':
      return pythonLawSource(doc.inputs, outputs);
    case 'json':
      return JSON.stringify(lawToJson({ ...doc, outputs: doc.outputs.map((o, i) => ({ ...o, expr: outputs[i]!.expr })) }), null, 2) + '\n';
  }
}
