/**
 * The `sparselaw/report` entry point: one-file offline HTML reports of a discovered law (with its
 * data), a training run, a law document or a sweep. KaTeX is loaded with this module; the chart
 * renderers (Vega) only when a report has charts.
 *
 * @module sparselaw/report
 */
export { buildReport, writeReport, type Report, type ReportOptions } from './report.js';
export type { RenderedChart, ChartSpec, MarkKind } from './charts.js';
