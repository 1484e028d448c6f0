/**
 * Library entry of `flink-checkpoint-explorer`: the exact `_metadata` reader and writer, and the
 * checkpoint-tree analysis.
 *
 * ```ts
 * import {readMetadata, writeMetadata} from 'flink-checkpoint-explorer';
 * ```
 */
export * from './metadata/index.js';
export {analyse, buildAnalysis} from './analysis/index.js';
export type * from './analysis/types.js';
export {inferLineage, simulateRetention, whatIfDelete} from './analysis/index.js';
export {executePlan, ExecutionRefusedError, makePlan, planToShellScript} from './cleanup/index.js';
export type * from './cleanup/types.js';
