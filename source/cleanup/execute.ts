/**
 * Execute a deletion plan safely, on any store: re-analyse the roots just before acting, re-check
 * every entry (`recheck.ts`), then move each safe entry into a quarantine directory inside its root
 * (default) or delete it, through the actions of the store holding the roots (`store-actions.ts`:
 * the local disk, S3, HDFS through WebHDFS). Every action is appended durably to a JSONL log
 * (`journal.ts`) before it is done.
 */
import {analyse} from '../analysis/analyse.js';
import {ReferenceSet} from '../analysis/what-if.js';
import type {CheckpointAnalysis} from '../analysis/types.js';
import type {S3Store} from '../store/s3.js';
import type {Store} from '../store/types.js';
import {storeKindOf} from '../store/uri.js';
import type {WebHdfsStore} from '../store/webhdfs.js';
import {directoryAbove, isInside} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError} from './act.js';
import {HdfsActions} from './hdfs-actions.js';
import {appendOrStop, CleanWriteError, openJournalFile, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
import {LocalActions} from './local-actions.js';
import {fingerprints, type Fingerprint} from './plan.js';
import {validatePlan} from './plan-schema.js';
import {freshIndex, removalOrder, removedBy, type FreshIndex} from './recheck.js';
import {S3Actions} from './s3-actions.js';
import {RunStoppedError, type RunSetup, type StoreActions} from './store-actions.js';
import type {ExecutionRecord, Plan, PlanEntry} from './types.js';

export {QUARANTINE_DIR, ExecutionRefusedError, validatePlan};

/** Options of {@link executeRemotePlan}: those of {@link executePlan}, with the store required. */
export type RemoteExecuteOptions = ExecuteOptions & {store: Store};
/** What {@link executeRemotePlan} did. */
export type RemoteExecutionResult = ExecutionResult;

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
	/** Delete for real instead of moving into the quarantine. */
	delete?: boolean;
	/** Entries with a file younger than this are skipped, ms (default: the plan's `minAgeMs`). */
	minAgeMs?: number;
	/** Current time, ms (for tests). */
	nowMs?: number;
	/**
	 * Action log (JSONL); default `<root>/.fcx-quarantine/<timestamp>.log` for local roots,
	 * `fcx-clean-<timestamp>.log` in the current directory for remote ones (the restore script is
	 * beside it then, `.restore.sh`).
	 */
	logPath?: string;
	/** Opens the log and the restore script (tests inject one that fails, e.g. with ENOSPC). */
	openJournal?: OpenJournal;
	/**
	 * Go on with `--target` entries that a snapshot which could not be read may reference (the
	 * command line's `--accept-unreadable`; a plan file's `acceptUnreadable` is not enough).
	 */
	acceptUnreadable?: boolean;
	/** The store of remote roots: an `S3Store` for S3 roots, a `WebHdfsStore` for HDFS roots (not closed). */
	store?: Store;
	/** S3: go on in a versioned bucket or one with Object Lock (nothing is freed / deletes may be refused). */
	allowVersioned?: boolean;
	/** S3: the endpoint, for the restore script's `aws --endpoint-url` (none: AWS). */
	endpoint?: string;
}

/** What {@link executePlan} did. */
export interface ExecutionResult {
	/** One record per plan entry, in plan order. */
	records: ExecutionRecord[];
	/** The quarantine directory (of the first root used), `null` when nothing was moved. */
	quarantineDir: string | null;
	/** Every quarantine directory used (one per root). */
	quarantineDirs: string[];
	logPath: string;
	/** A shell command that moves the quarantined entries back; `null` when nothing was moved. */
	restoreCommand: string | null;
	/** What the run could not check, for people (a bucket the store would not say is unversioned). */
	warnings: string[];
}

/** `2026-11-22T04-40-00-000Z`: an ISO time usable as a file name. */
export function quarantineTimestamp(nowMs: number): string {
	return new Date(nowMs).toISOString().replace(/[:.]/g, '-');
}

/**
 * Which entries are skipped before anything is done, and why: the checks of the store's
 * `recheck`; entries nested in another listed entry (handled with it); and, iterated, entries
 * referenced by a snapshot that stays (skipping a target keeps its snapshots' references alive).
 */
async function skippedEntries(
	entries: readonly PlanEntry[],
	index: FreshIndex,
	actions: StoreActions,
	rootOf: (p: string) => string | undefined,
	youngSince: number,
): Promise<Map<PlanEntry, string>> {
	const {fresh} = index;
	const fps = fingerprints(
		fresh.scannedFiles,
		entries.map((e) => e.path),
	);
	const skip = new Map<PlanEntry, string>();
	for (const e of entries) {
		const reason = await actions.recheck(e, rootOf(e.path), fps.get(e.path) ?? {size: 0, mtimeMs: 0, files: 0}, youngSince, index);
		if (reason !== null) skip.set(e, reason);
	}
	// Entries nested in another listed entry are handled with it: the first other entry, in plan
	// order and not skipped, at the entry's path or a directory above it.
	const entriesAt = new Map<string, number[]>();
	entries.forEach((e, i) => {
		const list = entriesAt.get(e.path);
		if (list === undefined) entriesAt.set(e.path, [i]);
		else list.push(i);
	});
	for (const e of entries) {
		if (skip.has(e)) continue;
		let outer = -1;
		for (let at: string | null = e.path; at !== null; at = directoryAbove(at)) {
			const j = entriesAt.get(at)?.find((k) => entries[k] !== e && !skip.has(entries[k]));
			if (j !== undefined && (outer === -1 || j < outer)) outer = j;
		}
		if (outer !== -1) skip.set(e, `inside ${entries[outer].path}, which is handled as a whole`);
	}
	for (;;) {
		const approved = entries.filter((e) => !skip.has(e));
		const removed = new Set(approved.flatMap((e) => removedBy(e, index)));
		const staying = fresh.checkpoints.filter((cp) => cp.metadataPath !== null && !removed.has(cp.path));
		const refs = new ReferenceSet(staying);
		let changed = false;
		for (const e of approved) {
			if (!refs.touches(e.path)) continue;
			const by = staying.find((cp) => new ReferenceSet([cp]).touches(e.path));
			skip.set(e, `now referenced by ${by?.metadataPath ?? 'a _metadata'}`);
			changed = true;
		}
		if (!changed) break;
	}
	return skip;
}

/** The actions of the store holding the plan's roots: all local, all on S3 or all on one HDFS. @throws ExecutionRefusedError for a mix */
function actionsFor(plan: Plan, options: ExecuteOptions, setup: RunSetup): StoreActions {
	const kinds = plan.roots.map((r) => storeKindOf(r) ?? 'local');
	const kind = kinds[0];
	const other = plan.roots.find((_, i) => kinds[i] !== kind);
	const name = {local: 'local', s3: 'S3', hdfs: 'HDFS'}[kind];
	if (other !== undefined) {
		throw new ExecutionRefusedError(
			`${other}: a plan with ${name} roots must have only ${name} roots (clean the roots of each store with a plan of their own)`,
		);
	}
	if (kind === 'local') return new LocalActions(plan.roots, setup);
	const store = options.store;
	if (kind === 's3') {
		if (store?.scheme !== 's3') throw new ExecutionRefusedError(`${plan.roots[0]}: no S3 store to clean it with`);
		return new S3Actions(store as S3Store, setup, {planRoots: plan.roots, allowVersioned: options.allowVersioned === true, endpoint: options.endpoint});
	}
	if (store?.scheme !== 'hdfs') throw new ExecutionRefusedError(`${plan.roots[0]}: no WebHDFS store to clean it with`);
	return new HdfsActions(store as WebHdfsStore, setup, plan.roots);
}

/**
 * Execute a plan: the one executor of every store (local disk, S3, HDFS through WebHDFS; the store
 * holding the plan's roots acts, see `store-actions.ts`). Re-runs `analyse(plan.roots)` just
 * before acting and recomputes from it everything that decides safety (see `recheck.ts`): it
 * skips, with a reason, every entry that is now referenced by a `_metadata` that stays, changed
 * since the plan (size, newest mtime, file count, type), is younger than `minAgeMs`, is or
 * contains a symlink or lies under one, is outside the plan roots, is missing, is no longer an
 * orphan, holds a `_metadata` it does not remove, touches the newest complete checkpoint of a job,
 * or belongs to a target that would now break a checkpoint, remove the newest complete one of a
 * job or is no checkpoint, savepoint or job directory; a file of a target must still be freed by
 * it. Only paths listed in the plan are acted on. Entries that remove snapshots act first: when one
 * fails, the files its snapshots reference are kept. A store that refuses an action it should not
 * ({@link RunStoppedError}) stops the run: the rest are skipped, nothing else is done.
 *
 * Locally, each entry is acted on inside its pinned parent directory (`pinned.ts`): a directory
 * swapped for a symlink while fcx runs makes the entry fail, it never leads fcx out of the root.
 * Default: each safe entry is renamed to `<root>/.fcx-quarantine/<timestamp>/<path relative to
 * root>` (same file system; on S3 copied and deleted, on HDFS renamed). Before each move, its log
 * line and its restore-script line are written and `fsync`ed; the restore script
 * (`restoreCommand`) skips entries that never moved, so a run killed at any point is undone
 * exactly by the script. With `delete: true` the entry is removed. A `start` log line comes
 * first, `done` last. Locally nothing is written outside the roots: the log and quarantine go
 * into `<root>/.fcx-quarantine`, which must be a real directory there (not a symlink); on a remote
 * store the log and restore script are local files (`fcx-clean-<timestamp>.log` in the current
 * directory by default).
 *
 * @throws ExecutionRefusedError when no plan root can be acted in now, `.fcx-quarantine` is a
 * symlink, not a directory or leads out of its root, the roots are on different stores, or an S3
 * bucket is versioned or locked (without `allowVersioned`): nothing was changed
 * @throws CleanWriteError when the log or restore script cannot be written (disk full…): the run
 * stops before the next action, and the log and restore script name everything it moved
 * @throws Error for a malformed plan
 */
export async function executePlan(planInput: Plan, options: ExecuteOptions = {}): Promise<ExecutionResult> {
	const plan = validatePlan(planInput);
	const nowMs = options.nowMs ?? Date.now();
	const minAgeMs = options.minAgeMs ?? plan.minAgeMs;
	const timestamp = quarantineTimestamp(nowMs);
	const openJournal = options.openJournal ?? openJournalFile;
	const actions = actionsFor(plan, options, {nowMs, timestamp, delete: options.delete === true, logPath: options.logPath, openJournal});
	await actions.beforeScan?.(plan.roots);
	const stores = options.store === undefined ? undefined : {[options.store.scheme]: options.store};
	const fresh = await analyse(plan.roots, {minAgeMs, nowMs, mappings: plan.mappings, ...(stores === undefined ? {} : {stores})});
	const {roots, logPath, logFlag, start} = await actions.prepare(fresh);
	const rootOf = (p: string): string | undefined => roots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	let logFile: JournalFile;
	try {
		logFile = openJournal(logPath, logFlag);
	} catch (error) {
		throw new CleanWriteError(logPath, writeErrorCause(error), 'nothing was changed');
	}
	const log = (line: Record<string, unknown>): void => appendOrStop(logFile, logPath, `${JSON.stringify({time: new Date().toISOString(), ...line})}\n`);
	const mode = options.delete ? 'delete' : 'quarantine';
	const entries = [...plan.entries];
	const records = new Map<PlanEntry, ExecutionRecord>();
	try {
		try {
			log({event: 'start', mode, roots: plan.roots, planCreatedAt: plan.createdAt, entries: plan.entries.length, minAgeMs, ...start});
			actions.begin(log, logPath);
		} catch (error) {
			if (error instanceof CleanWriteError) throw new CleanWriteError(error.path, error.reason, 'nothing was changed');
			throw error;
		}
		const index = freshIndex(fresh, entries, options.acceptUnreadable === true);
		const skip = await skippedEntries(entries, index, actions, rootOf, nowMs - minAgeMs);
		await actOnAll(entries, skip, index, actions, records, log);
		actions.finish();
		const count = (action: ExecutionRecord['action']): number => [...records.values()].filter((r) => r.action === action).length;
		log({event: 'done', quarantined: count('quarantined'), deleted: count('deleted'), skipped: count('skipped')});
	} catch (error) {
		if (!(error instanceof CleanWriteError) || error.progress !== '') throw error;
		const acted = [...records.values()].filter((r) => r.action !== 'skipped').length;
		throw new CleanWriteError(
			error.path,
			error.reason,
			`stopped after ${records.size} of ${entries.length} entries (${acted} acted on); the log and restore script name every entry moved`,
		);
	} finally {
		actions.close();
		logFile.close();
	}
	const list = entries.map((e) => records.get(e)!);
	const {restoreCommand, quarantineDirs} = actions.outcome(list);
	return {records: list, quarantineDir: quarantineDirs[0] ?? null, quarantineDirs, logPath, restoreCommand, warnings: actions.warnings};
}

/**
 * Act on the entries in order (entries that remove snapshots first), recording each. When an
 * entry removing snapshots fails, its snapshots stay, and so must every file they reference (the
 * files a target frees were approved on the assumption it goes). When the store stops the run
 * ({@link RunStoppedError}), every entry not yet acted on is skipped.
 */
async function actOnAll(
	entries: readonly PlanEntry[],
	skip: ReadonlyMap<PlanEntry, string>,
	index: FreshIndex,
	actions: StoreActions,
	records: Map<PlanEntry, ExecutionRecord>,
	log: (line: Record<string, unknown>) => void,
): Promise<void> {
	const removing = (e: PlanEntry): boolean => removedBy(e, index).length > 0;
	const fps = fingerprints(
		index.fresh.scannedFiles,
		entries.map((e) => e.path),
	);
	const stayingAfterFailure: CheckpointAnalysis[] = [];
	/** What those reference (made again when one is added: failures are few, entries many). */
	let stayingReferences = null as ReferenceSet | null;
	let stopped: string | null = null;
	for (const e of [...removalOrder(entries.filter(removing), index), ...entries.filter((x) => !removing(x))]) {
		let reason = skip.get(e) ?? (stopped === null ? undefined : `not acted on: the run stopped at ${stopped}`);
		if (reason === undefined && stayingReferences?.touches(e.path) === true) {
			const by = stayingAfterFailure.find((cp) => new ReferenceSet([cp]).touches(e.path));
			if (by !== undefined) reason = `referenced by ${by.metadataPath ?? by.path}, which stays: the entry removing it failed`;
		}
		let record: ExecutionRecord;
		if (reason !== undefined) {
			record = {path: e.path, action: 'skipped', reason, bytes: e.bytes};
		} else {
			try {
				record = await actions.act(e, fps.get(e.path) ?? ({size: 0, mtimeMs: 0, files: 0} satisfies Fingerprint));
			} catch (error) {
				if (!(error instanceof RunStoppedError)) throw error;
				record = error.record;
				stopped = e.path;
				log({event: 'stopped', path: e.path, reason: record.reason});
			}
		}
		if (record.action === 'skipped' && removing(e)) {
			const kept = new Set(removedBy(e, index));
			stayingAfterFailure.push(...index.fresh.checkpoints.filter((cp) => cp.metadataPath !== null && kept.has(cp.path)));
			stayingReferences = new ReferenceSet(stayingAfterFailure);
		}
		records.set(e, record);
		log({event: 'entry', ...record});
	}
}

/**
 * {@link executePlan} for a plan whose roots are all on the remote store `options.store` (S3 or
 * HDFS). @throws ExecutionRefusedError for a local root in the plan (nothing was changed), and as
 * {@link executePlan}
 */
export async function executeRemotePlan(plan: Plan, options: RemoteExecuteOptions): Promise<RemoteExecutionResult> {
	const local = plan.roots.find((r) => storeKindOf(r) === undefined);
	const remote = plan.roots.find((r) => storeKindOf(r) !== undefined);
	if (local !== undefined) {
		const name = remote === undefined ? 'remote' : storeKindOf(remote) === 's3' ? 'S3' : 'HDFS';
		throw new ExecutionRefusedError(`${local}: a plan with ${name} roots must have only ${name} roots (clean local roots with a plan of their own)`);
	}
	return executePlan(plan, options);
}
