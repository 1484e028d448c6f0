/**
 * Contracts for restore lineage, what-if impact, deletion plans and their safe execution.
 * All paths are absolute local paths, sizes are bytes, times are epoch milliseconds.
 */
import type {UnreadableReferrer} from '../analysis/what-if.js';

/** One piece of evidence that a job was restored from a checkpoint or savepoint. */
export type LineageEvidence =
	| {type: 'cross-job-reference'; checkpointPath: string; directory: string; files: number}
	| {type: 'checkpoint-id-continues'; restoredId: number; firstCheckpointId: number}
	| {type: 'unclaimed-flag'; checkpointPath: string; unclaimed: boolean}
	| {type: 'savepoint-prefix'; savepointPath: string; jobIdPrefix: string};

/** Restore (claim) mode as far as the evidence tells. */
export type InferredClaimMode = 'CLAIM' | 'NO_CLAIM' | 'LEGACY' | 'CLAIM or LEGACY' | 'unknown';

/** An edge "job `toJobId` was restored from snapshot `fromPath` (of job `fromJobId`)". */
export interface LineageEdge {
	/** Directory of the restored checkpoint or savepoint, when known. */
	fromPath: string | null;
	fromJobId: string | null;
	fromCheckpointId: number | null;
	fromKind: 'checkpoint' | 'savepoint' | null;
	toJobId: string;
	/** Path of the restored job's directory. */
	toPath: string;
	claimMode: InferredClaimMode;
	evidence: LineageEvidence[];
}

/** The impact of deleting some checkpoints, savepoints or directories (nothing is changed). */
export interface WhatIfResult {
	/** What the user asked to delete (absolute paths). */
	targets: string[];
	/** Files that would no longer be referenced by any remaining checkpoint: removable with the targets. */
	freedFiles: string[];
	freedBytes: number;
	/** Checkpoints that remain but would lose a referenced file: they would break. */
	broken: {checkpointPath: string; lostFiles: string[]}[];
	/**
	 * Remaining snapshots that may reference files under the targets but could not be read: what
	 * they would lose is unknown, so `broken` is not the whole impact (empty when all were read).
	 */
	unreadable: UnreadableReferrer[];
	/** Checkpoints (directories) removed by the deletion. */
	removedCheckpoints: string[];
	/** Reasons the request is refused or dangerous, e.g. it touches the newest complete checkpoint of a job. */
	warnings: string[];
}

/** Retention simulation (`--keep-last N` per job): which complete checkpoints would be subsumed. */
export interface RetentionResult {
	keepLast: number;
	subsumed: string[];
	/** Files freed because no retained checkpoint of any job references them. */
	freedBytes: number;
	freedFiles: number;
	/** Files of subsumed checkpoints still needed by a retained checkpoint (of any job): not counted. */
	stillNeeded: number;
	/**
	 * Jobs left without a checkpoint to restore from: the newest one whose files are all there is
	 * subsumed while the newer ones kept have missing files.
	 */
	warnings: string[];
}

/** One entry of a deletion plan. */
export interface PlanEntry {
	path: string;
	type: 'file' | 'directory';
	bytes: number;
	/** Size and newest mtime seen when the plan was made: execution skips the entry if they changed. */
	size: number;
	mtimeMs: number;
	reason: string;
	/** Why it is safe: e.g. "no _metadata under the roots references it". */
	evidence: string;
	/** Number of regular files inside when the plan was made (1 for a file); execution skips the entry if it changed. */
	files?: number;
	/** For entries chosen by a what-if target (`fcx plan --target`): that target. Absent for orphans. */
	target?: string;
	/**
	 * Snapshot directories (with `_metadata`) this entry deliberately removes (what-if targets only).
	 * Execution skips an entry that holds any other `_metadata`.
	 */
	removesCheckpoints?: string[];
}

/** A deletion plan written by `fcx plan`. Nothing is deleted by making one. */
export interface Plan {
	version: 1;
	createdAt: string;
	roots: string[];
	minAgeMs: number;
	entries: PlanEntry[];
	totalBytes: number;
	/** Explicit `--map` mappings used for the analysis; execution re-analyses with them. */
	mappings?: {remote: string; local: string}[];
	/** Made with `--accept-unreadable`: targets that unreadable snapshots may reference were planned anyway. */
	acceptUnreadable?: true;
	/** Orphans and other candidates deliberately left out of the plan, with the reason (possibly in progress, newest checkpoint…). */
	excluded?: {path: string; reason: string}[];
}

/** What happened to one plan entry on execution. */
export interface ExecutionRecord {
	path: string;
	action: 'quarantined' | 'deleted' | 'skipped';
	/** For skipped entries: why (now referenced, changed since the plan, too young, symlink, outside the roots…). */
	reason?: string;
	/** For quarantined entries: where it went. */
	quarantinePath?: string;
	/** Bytes of the entry as planned. */
	bytes?: number;
}
