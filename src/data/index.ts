/** Data without tfjs: numeric CSV files and derivative estimates of sampled series. */
export { readNumericCsv, writeNumericCsv, type NumericTable, type CsvReadOptions } from './csv.js';
export {
  finiteDifference,
  savitzkyGolay,
  savitzkyGolaySmooth,
  smoothedDerivatives,
  estimateDerivative,
  type DerivativeOptions,
  type SavitzkyGolayOptions,
} from './derivatives.js';
