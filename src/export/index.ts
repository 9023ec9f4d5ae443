/**
 * Rendering laws and expressions: text, LaTeX, JavaScript, C, Python and JSON.
 *
 * @module sparselaw/export
 */
export { EXPORT_FORMATS, type ExportFormat, parseExportFormat } from './formats.js';
export { exportLaw } from './law.js';
export { latex, latexEquation, type LatexOptions } from './latex.js';
export { jsModuleSource, jsFunction, jsLawModuleSource, jsLawFunction, type NamedOutput } from './js.js';
export { cSource, cLawSource } from './c.js';
export { pythonModuleSource, pythonLawSource } from './python.js';
export { exprDocument, loadExprDocument, exprToJson, exprFromJson, JsonFormatError, type ExprDocument, type ExprJson } from './json.js';
