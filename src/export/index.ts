/** Rendering laws and expressions: text, LaTeX, JavaScript, C, Python and JSON. */
export { EXPORT_FORMATS, type ExportFormat, parseExportFormat } from './formats.js';
export { exportLaw } from './law.js';
export { latex, latexEquation } from './latex.js';
export { jsModuleSource, jsFunction, jsLawModuleSource, jsLawFunction } from './js.js';
export { cSource, cLawSource } from './c.js';
export { pythonModuleSource, pythonLawSource } from './python.js';
export { exprDocument, loadExprDocument, exprToJson, exprFromJson, JsonFormatError } from './json.js';
