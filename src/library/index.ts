/**
 * Libraries of candidate terms without tfjs: polynomials, Fourier terms, parsed custom terms, sums and products, the `poly:3+fourier:1` notation, and evaluating a library on data.
 *
 * @module sparselaw/library
 */
export { type Library, makeLibrary, concat } from './library.js';
export { polynomial, fourier, custom, tensor, LibraryError } from './builders.js';
export { parseLibrarySpec } from './spec.js';
export { evaluateLibrary, evaluateLibraryRows, type ThetaMatrix, type Columns, DataError } from './evaluate.js';
