export * from './hard-concrete.js';
export * from './gram.js';
export * from './fit-gram.js';
export * from './least-squares.js';
export * from './polish.js';
export * from './lambda-path.js';
