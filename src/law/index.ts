/**
 * The law concept: the typed document, its JSON Schema, reading and writing it, binding it to data.
 *
 * @module sparselaw/law
 */
export type { LawDocument, LawOutput, LawTerm, LawMetrics, DiscoveryMetrics, TrainingMetrics, FrontPoint as LawFrontPoint } from './document.js';
export { lawToJson, lawFromJson, saveLaw, loadLaw, type LawJson } from './io.js';
export { bindInputs, bindColumns, bindOutputs, type InputSource } from './bind.js';
export { LAW_VERSION, EXPRESSION_VERSION, lawSchema, expressionSchema } from './schema.js';
export { JsonFormatError } from './json-text.js';
