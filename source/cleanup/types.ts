/**
 * Contracts for deletion plans and their safe execution (restore lineage and what-if results are
 * the analysis's: `analysis/types.ts`).
 * All paths are absolute local paths, sizes are bytes, times are epoch milliseconds.
 */

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
