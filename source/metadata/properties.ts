/**
 * `CheckpointProperties` as Flink's own factories make them (`CheckpointProperties.forCheckpoint`,
 * `forSavepoint`, `forUnclaimedSnapshot`), for writing metadata and for tests.
 */
import type {CheckpointProperties} from './types.js';

/** Flink `CheckpointRetentionPolicy`. */
export type CheckpointRetentionPolicy = 'NEVER_RETAIN_AFTER_TERMINATION' | 'RETAIN_ON_CANCELLATION' | 'RETAIN_ON_FAILURE';

/**
 * `CheckpointProperties.forCheckpoint(policy)`: a regular checkpoint (CheckpointType "Checkpoint",
 * sharing strategy FORWARD_BACKWARD); a retained (externalized) one keeps its files when the job is
 * cancelled or fails. `unclaimed: true` is what a checkpoint restored in NO_CLAIM mode carries.
 */
export function checkpointProperties(policy: CheckpointRetentionPolicy = 'RETAIN_ON_CANCELLATION', unclaimed = false): CheckpointProperties {
	return {
		checkpointType: {kind: 'checkpoint', name: 'Checkpoint', sharingFilesStrategy: 'FORWARD_BACKWARD'},
		forced: false,
		discardSubsumed: true,
		discardFinished: true,
		discardCancelled: policy === 'NEVER_RETAIN_AFTER_TERMINATION' || policy === 'RETAIN_ON_FAILURE',
		discardFailed: policy !== 'RETAIN_ON_FAILURE',
		discardSuspended: policy === 'NEVER_RETAIN_AFTER_TERMINATION',
		unclaimed,
	};
}

/** `CheckpointProperties.forSavepoint(forced, formatType)` with SavepointType "Savepoint" (post-checkpoint action NONE): nothing is ever discarded. */
export function savepointProperties(formatType: 'CANONICAL' | 'NATIVE' = 'CANONICAL', forced = true): CheckpointProperties {
	return {
		checkpointType: {kind: 'savepoint', name: 'Savepoint', postCheckpointAction: 'NONE', formatType},
		forced,
		discardSubsumed: false,
		discardFinished: false,
		discardCancelled: false,
		discardFailed: false,
		discardSuspended: false,
		unclaimed: false,
	};
}
