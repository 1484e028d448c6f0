/**
 * Checkpoint-tree analysis: scan local checkpoint / savepoint trees, load every `_metadata`, resolve
 * what each checkpoint needs (its exclusive state, the job's shared state of incremental
 * checkpoints, task-owned state, other jobs' state after a CLAIM / LEGACY restore, savepoint
 * files), and find missing files and orphans (files no retained checkpoint references: leftovers
 * of subsumed or aborted checkpoints and of dead jobs). Read only.
 *
 * ```ts
 * import {analyse} from './analysis/index.js';
 * const analysis = await analyse(['/data/flink/checkpoints'], {mappings: [{remote: 'hdfs://nn:8020/flink', local: '/data/flink'}]});
 * ```
 */
export {analyse, APPROXIMATE_SCAN_LIMIT, APPROXIMATE_SCAN_MAX_BYTES, classifyInputs, LOAD_YIELD_MS, type AnalyseInputs} from './analyse.js';
export {buildAnalysis, DEFAULT_MIN_AGE_MS, type LoadedSnapshot} from './build.js';
export {summariseOperators} from './operators.js';
export {Prober, type Probe} from './probe.js';
export {anchorOf, explicitMappings, matchKey, type Mapping, type Resolution, type ResolutionRule} from './resolution.js';
export {Resolver} from './resolve.js';
export type * from './types.js';
export {inferLineage} from './lineage.js';
export {countJobs, newestCompleteCheckpoint, newestRestorableCheckpoint} from './jobs.js';
export {whatIfDelete, newestCompleteCheckpoints, normaliseTarget, unknownReferenceJobs, unreadableReferrers, ReferenceSet} from './what-if.js';
export {simulateRetention} from './retention.js';
export {jobStorage, storageOfJob, STORAGE_PARTS, type JobStorage, type StoragePart, type StoragePartSize, type StorageNeededBy} from './storage.js';
export {checkpointFileSource, type CheckpointFileSource} from './build/checkpoint-files.js';
