export * from './sqlite-store.js';
export * from './registry.js';
