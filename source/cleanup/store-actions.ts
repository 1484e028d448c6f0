/**
 * The one interface the executor (`execute.ts`) acts through, whatever holds the roots: the local
 * disk (`local-actions.ts`), S3 (`s3-actions.ts`) and HDFS through WebHDFS (`hdfs-actions.ts`).
 * The executor owns every decision that is the same on each store — the fresh analysis, the checks
 * against it (`recheck.ts`), nested entries, the order (targets first), what a failed target keeps,
 * the log's `start`/`entry`/`done` lines and the handling of write errors —; a store's actions own
 * what differs: where the log and the quarantine go, the re-check of an entry against the store
 * itself just before acting, the quarantine move or the delete, each announced durably first
 * (`moving`/`deleting` log lines and restore-script lines), and the restore script's commands.
 */
import type {Analysis} from '../analysis/types.js';
import type {OpenJournal} from './journal.js';
import type {Fingerprint} from './plan.js';
import type {FreshIndex} from './recheck.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

/** What the executor tells a store's actions about the run. */
export interface RunSetup {
	/** The run's time, epoch ms, and its quarantine name (`2026-11-22T04-40-00-000Z`). */
	nowMs: number;
	timestamp: string;
	/** Delete for real instead of moving into the quarantine. */
	delete: boolean;
	/** The log asked for (`--log`), if any. */
	logPath?: string;
	openJournal: OpenJournal;
}

/** Where a prepared run acts and logs. */
export interface PreparedRun {
	/** The plan roots acted in (entries elsewhere are outside the roots). */
	roots: string[];
	/** The action log (its directory exists). */
	logPath: string;
	/** How the log is opened: appended to (a local log, which may be given twice) or made new. */
	logFlag: 'a' | 'wx';
	/** Store-specific fields of the log's `start` line (the quarantine directories, warnings). */
	start: Record<string, unknown>;
}

/** Appends one JSON log line durably. @throws CleanWriteError */
export type LogLine = (line: Record<string, unknown>) => void;

/**
 * One store's part of a `fcx clean` run (see the module doc). Called in this order: `beforeScan`
 * and `prepare` once, `begin` once, then `recheck` for every entry, `act` for each approved one, `finish`, and
 * `close` always.
 */
export interface StoreActions {
	/** Before the fresh analysis: refuse what cannot be cleaned at all (a versioned bucket). @throws ExecutionRefusedError */
	beforeScan?(roots: readonly string[]): Promise<void>;
	/**
	 * After the fresh analysis: the roots that can be acted in now and where the log goes (its
	 * directory made). @throws ExecutionRefusedError when nothing can be done (nothing was changed)
	 */
	prepare(fresh: Analysis): Promise<PreparedRun>;
	/** The log is open: open what else the run writes first (a remote store's restore script). @throws CleanWriteError */
	begin(log: LogLine, logPath: string): void;
	/**
	 * The checks of one entry that ask the store (exists, type, symlinks, a normalised path), then
	 * `checkAgainstAnalysis`; `root` is the root it lies in (`undefined`: outside the roots),
	 * `fp` what the fresh scan saw of it. The reason to skip it, or `null`.
	 */
	recheck(entry: PlanEntry, root: string | undefined, fp: Fingerprint, youngSince: number, index: FreshIndex): Promise<string | null>;
	/**
	 * Re-check approved entry `entry` against the store once more and quarantine or delete it, each
	 * step announced durably first. A failure is a `skipped` record (`failed: …`), nothing more is
	 * done to the entry.
	 * @throws CleanWriteError when an announcement cannot be written (the action is not done)
	 * @throws RunStoppedError when the store refused an action in a way that makes going on unsafe
	 */
	act(entry: PlanEntry, fp: Fingerprint): Promise<ExecutionRecord>;
	/** After the last entry: end the restore script (or remove it when nothing moved). @throws CleanWriteError */
	finish(): void;
	/** Close what `begin` and `act` opened. */
	close(): void;
	/** The restore command (`null` when nothing moved) and the quarantine directories used, given the records. */
	outcome(records: readonly ExecutionRecord[]): {restoreCommand: string | null; quarantineDirs: string[]};
	/** What the run could not check, for people (a bucket whose versioning the store would not say). */
	readonly warnings: string[];
}

/**
 * The store refused an action in a way fcx cannot explain (WebHDFS RENAME or DELETE answering
 * `{"boolean": false}`): the entry failed and the run stops, nothing else is acted on.
 */
export class RunStoppedError extends Error {
	constructor(
		/** The entry's record (skipped, with the reason). */
		readonly record: ExecutionRecord,
	) {
		super(record.reason ?? 'the run stopped');
		this.name = 'RunStoppedError';
	}
}
