export * from './engine/index.js';
export * from './service/index.js';
