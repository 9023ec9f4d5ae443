/**
 * Data without tfjs: numeric CSV files and derivative estimates of sampled series.
 *
 * @module sparselaw/data
 */
export { readNumericCsv, writeNumericCsv, type NumericTable, type CsvReadOptions } from './csv.js';
export {
  finiteDifference,
  savitzkyGolay,
  savitzkyGolaySmooth,
  smoothedDerivatives,
  estimateDerivative,
  type DerivativeOptions,
  type SavitzkyGolayOptions,
  type AutoWindowOptions,
  type SmoothedSeries,
  type WindowChoice,
  type WindowCandidate,
  type DerivativeMethod as DerivativeEstimator,
} from './derivatives.js';
