export { type Library, makeLibrary, concat } from './library.js';
export { polynomial, fourier, custom, tensor, LibraryError } from './builders.js';
export { parseLibrarySpec } from './spec.js';
export { evaluateLibrary, evaluateLibraryRows, type ThetaMatrix, type Columns, DataError } from './evaluate.js';
