export * from './api-client.js';
export * from './server-process.js';
export * from './stop.js';
export * from './list-watch.js';
export * from './endpoint.js';
export * from './remote-command.js';
