/**
 * Shared text helpers, the lowest layer: terminal-safe escaping, natural order, byte / count / time
 * formatting, glyphs and colour. Pure functions; every other layer may import them.
 */
export * from './bytes.js';
export * from './count.js';
export * from './escape.js';
export * from './glyphs.js';
export * from './natural.js';
export * from './style.js';
export * from './time.js';
export * from './bar.js';
