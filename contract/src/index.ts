export * from './common.js';
export * from './enums.js';
export * from './errors.js';
