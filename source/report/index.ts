/**
 * Reports: the JSON and plain-text renderings of an analysis, `fcx inspect` output and exit codes.
 * Pure functions, no React/Ink.
 */
export * from './json.js';
export * from './json-stream.js';
export * from './text.js';
export * from './inspect-json.js';
export * from './inspect-json-chunks.js';
export * from './inspect-text.js';
export * from './exit-codes.js';
export * from './actions.js';
