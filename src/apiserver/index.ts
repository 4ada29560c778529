export * from './registry.js';
export * from './event-correlator.js';
export * from './event-expiry.js';
export * from './rest.js';
export * from './strategy.js';
export { strategyFor } from './strategies/index.js';
export * from './discovery.js';
export * from './tables.js';
export * from './openapi.js';
