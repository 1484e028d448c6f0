/**
 * Execute a deletion plan on S3 with the guarantees of the local executor (`execute.ts`): the plan
 * is input, not authority. The roots are listed and analysed again just before acting and every
 * entry is re-checked by `recheck.ts`'s decisions ({@link checkAgainstAnalysis}, what a target
 * removes, the newest complete checkpoints); then each safe entry's objects are listed again,
 * re-checked with HeadObject and quarantined (CopyObject into `<root>/.fcx-quarantine/<ts>/`, then
 * DeleteObject) or deleted (DeleteObjects), each action logged durably first (`remote-act.ts`).
 * The log and restore script are local files (S3 has no append).
 *
 * A versioned bucket (a delete only adds a delete marker: nothing is freed) or one with Object Lock
 * is refused unless `allowVersioned`.
 */
import * as nodePath from 'node:path';
import {analyse} from '../analysis/analyse.js';
import {ReferenceSet} from '../analysis/what-if.js';
import type {Analysis, CheckpointAnalysis} from '../analysis/types.js';
import type {S3Store} from '../store/s3.js';
import {isRemoteRoot, normaliseStoreUri} from '../store/uri.js';
import {directoryAbove, isInside} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError} from './act.js';
import {quarantineTimestamp, type ExecutionResult} from './execute.js';
import {appendOrStop, CleanWriteError, openJournalFile, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
import {fingerprints, shellQuote, type Fingerprint} from './plan.js';
import {validatePlan} from './plan-schema.js';
import {checkAgainstAnalysis, freshIndex, removalOrder, removedBy, type FreshIndex} from './recheck.js';
import {bucketsOf, deleteObjects, headCheck, objectsOf, quarantineObjects, quarantinePathOf, restoreScriptHead, type RemoteContext} from './remote-act.js';
import type {ExecutionRecord, Plan, PlanEntry} from './types.js';

/** Options of {@link executeRemotePlan}. */
export interface RemoteExecuteOptions {
	/** The S3 store of the plan's roots. */
	store: S3Store;
	/** Delete for real (DeleteObjects) instead of moving into the quarantine. */
	delete?: boolean;
	/** Entries with an object younger than this are skipped, ms (default: the plan's `minAgeMs`). */
	minAgeMs?: number;
	/** Current time, ms (for tests). */
	nowMs?: number;
	/** The local action log (JSONL); default `fcx-clean-<timestamp>.log` in the current directory. The restore script is beside it (`.restore.sh`). */
	logPath?: string;
	/** Opens the log and the restore script (tests inject one that fails). */
	openJournal?: OpenJournal;
	/** As `executePlan`'s: the command line's `--accept-unreadable`. */
	acceptUnreadable?: boolean;
	/** Go on in a versioned bucket or one with Object Lock (nothing is freed / deletes may be refused). */
	allowVersioned?: boolean;
	/** The endpoint, for the restore script's `aws --endpoint-url` (none: AWS). */
	endpoint?: string;
}

/** What {@link executeRemotePlan} did: as `executePlan`'s result, plus warnings for people. */
export interface RemoteExecutionResult extends ExecutionResult {
	/** What the run could not check (a store that does not say whether a bucket is versioned). */
	warnings: string[];
}

/**
 * Refuse a versioned or locked bucket (unless `allow`); what the store would not say becomes a warning.
 * @throws ExecutionRefusedError for a versioned bucket or one with Object Lock, without `allow`
 */
async function checkBuckets(store: S3Store, roots: readonly string[], allow: boolean, warnings: string[]): Promise<void> {
	for (const bucket of bucketsOf(roots)) {
		const {versioning, objectLock} = await store.bucketProtection(bucket);
		const problems: string[] = [];
		if (versioning === 'enabled' || versioning === 'suspended') {
			problems.push(`bucket ${bucket} is versioned (${versioning}): a delete only adds a delete marker, no bytes are freed`);
		}
		if (objectLock === 'enabled') problems.push(`bucket ${bucket} has Object Lock: objects under retention or legal hold cannot be deleted`);
		if (problems.length > 0 && !allow) throw new ExecutionRefusedError(`${problems.join('; ')} (--allow-versioned to go on anyway)`);
		warnings.push(...problems.map((p) => `WARNING: ${p}`));
		if (versioning === 'unknown') {
			warnings.push(`the store did not say whether bucket ${bucket} is versioned (GetBucketVersioning): if it is, nothing is freed`);
		}
		if (objectLock === 'unknown') warnings.push(`the store did not say whether bucket ${bucket} has Object Lock (GetObjectLockConfiguration)`);
	}
}

/** The checks of one entry against the fresh analysis (`recheck.ts`), for S3 paths. */
function checkRemoteEntry(e: PlanEntry, root: string | undefined, fp: Fingerprint, fresh: Analysis, youngSince: number, index: FreshIndex): string | null {
	const p = e.path;
	// `.` and `..` are literal in S3 keys, but a proxy or server may resolve them in the request's URL.
	if (
		!isRemoteRoot(p) ||
		normaliseStoreUri(p) !== p ||
		p
			.split('/')
			.slice(3)
			.some((s) => s === '.' || s === '..')
	) {
		return 'not a normalised S3 URI';
	}
	if (root === undefined) return 'outside the plan roots';
	if (p.split('/').includes(QUARANTINE_DIR)) return 'inside a quarantine directory';
	const isFile = fresh.scannedFiles.has(p);
	if (!isFile && fp.files === 0) return 'missing: no longer exists (nothing listed there)';
	if ((e.type === 'file') !== isFile) return `changed since the plan: no longer a ${e.type}`;
	// A prefix has no time of its own: an empty directory marker is judged by the plan's.
	return checkAgainstAnalysis(e, fp, 0, youngSince, index);
}

/** As `execute.ts`'s: entries skipped before acting (checks, nesting, references of snapshots that stay). */
function skippedEntries(
	entries: readonly PlanEntry[],
	fresh: Analysis,
	index: FreshIndex,
	rootOf: (p: string) => string | undefined,
	youngSince: number,
): Map<PlanEntry, string> {
	const fps = fingerprints(
		fresh.scannedFiles,
		entries.map((e) => e.path),
	);
	const skip = new Map<PlanEntry, string>();
	for (const e of entries) {
		const reason = checkRemoteEntry(e, rootOf(e.path), fps.get(e.path) ?? {size: 0, mtimeMs: 0, files: 0}, fresh, youngSince, index);
		if (reason !== null) skip.set(e, reason);
	}
	const firstAt = new Map<string, PlanEntry>();
	for (const e of entries) if (!skip.has(e) && !firstAt.has(e.path)) firstAt.set(e.path, e);
	for (const e of entries) {
		if (skip.has(e)) continue;
		for (let at: string | null = e.path; at !== null; at = directoryAbove(at)) {
			const outer = firstAt.get(at);
			if (outer !== undefined && outer !== e) {
				skip.set(e, `inside ${outer.path}, which is handled as a whole`);
				break;
			}
		}
	}
	for (let changed = true; changed;) {
		changed = false;
		const approved = entries.filter((e) => !skip.has(e));
		const removed = new Set(approved.flatMap((e) => removedBy(e, index)));
		const staying = fresh.checkpoints.filter((cp) => cp.metadataPath !== null && !removed.has(cp.path));
		const refs = new ReferenceSet(staying);
		for (const e of approved) {
			if (!refs.touches(e.path)) continue;
			const by = staying.find((cp) => new ReferenceSet([cp]).touches(e.path));
			skip.set(e, `now referenced by ${by?.metadataPath ?? 'a _metadata'}`);
			changed = true;
		}
	}
	return skip;
}

/** Open the log and the restore script (new files). @throws CleanWriteError (nothing was changed) */
function openFiles(logPath: string, restorePath: string, open: OpenJournal, head: string): {logFile: JournalFile; restore: JournalFile} {
	let logFile: JournalFile | undefined;
	let path = logPath;
	try {
		logFile = open(logPath, 'wx');
		path = restorePath;
		const restore = open(restorePath, 'wx', 0o755);
		appendOrStop(restore, restorePath, head);
		return {logFile, restore};
	} catch (error) {
		logFile?.close();
		if (error instanceof CleanWriteError) throw new CleanWriteError(error.path, error.reason, 'nothing was changed');
		throw new CleanWriteError(path, writeErrorCause(error), 'nothing was changed');
	}
}

/**
 * Execute a plan whose roots are on S3 (see the module doc). Entries are checked as by
 * `executePlan`; entries that remove snapshots act first, and when one fails, the files its
 * snapshots reference are kept. An entry acts only when its objects listed now are those the fresh
 * scan saw, and every object's HeadObject still shows the listed size and LastModified.
 *
 * @throws ExecutionRefusedError for a root that is not on S3, roots with nothing listed, a
 *   versioned or locked bucket (without `allowVersioned`): nothing was changed
 * @throws CleanWriteError when the log or restore script cannot be written (stops before the next action)
 * @throws Error for a malformed plan
 */
export async function executeRemotePlan(planInput: Plan, options: RemoteExecuteOptions): Promise<RemoteExecutionResult> {
	const plan = validatePlan(planInput);
	const {store} = options;
	const nonS3 = plan.roots.find((r) => !isRemoteRoot(r));
	if (nonS3 !== undefined) {
		throw new ExecutionRefusedError(`${nonS3}: a plan with S3 roots must have only S3 roots (clean local roots with a plan of their own)`);
	}
	const nowMs = options.nowMs ?? Date.now();
	const minAgeMs = options.minAgeMs ?? plan.minAgeMs;
	const timestamp = quarantineTimestamp(nowMs);
	const warnings: string[] = [];
	await checkBuckets(store, plan.roots, options.allowVersioned === true, warnings);
	const fresh = await analyse(plan.roots, {minAgeMs, nowMs, mappings: plan.mappings, stores: {s3: store}});
	const roots = plan.roots.map(normaliseStoreUri).filter((r) => [...fresh.scannedFiles.keys()].some((f) => isInside(f, r) && f !== r));
	if (roots.length === 0) throw new ExecutionRefusedError(`nothing is listed under the plan's roots now (${plan.roots.join(', ')})`);
	const rootOf = (p: string): string | undefined => roots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];

	const logPath = nodePath.resolve(options.logPath ?? `fcx-clean-${timestamp}.log`);
	const restorePath = `${logPath.replace(/\.log$/, '')}.restore.sh`;
	const {logFile, restore} = openFiles(logPath, restorePath, options.openJournal ?? openJournalFile, restoreScriptHead(timestamp, options.endpoint));
	const log = (line: Record<string, unknown>): void => appendOrStop(logFile, logPath, `${JSON.stringify({time: new Date().toISOString(), ...line})}\n`);
	const context: RemoteContext = {store, log, restore, restorePath, timestamp, rootOf, delete: options.delete === true};
	const entries = [...plan.entries];
	const records = new Map<PlanEntry, ExecutionRecord>();
	try {
		try {
			log({
				event: 'start',
				mode: options.delete ? 'delete' : 'quarantine',
				roots: plan.roots,
				planCreatedAt: plan.createdAt,
				entries: entries.length,
				minAgeMs,
				warnings,
			});
		} catch (error) {
			if (error instanceof CleanWriteError) throw new CleanWriteError(error.path, error.reason, 'nothing was changed');
			throw error;
		}
		const index = freshIndex(fresh, entries, options.acceptUnreadable === true);
		const skip = skippedEntries(entries, fresh, index, rootOf, nowMs - minAgeMs);
		await actOnAll(entries, skip, index, context, records);
		const count = (action: ExecutionRecord['action']): number => [...records.values()].filter((r) => r.action === action).length;
		log({event: 'done', quarantined: count('quarantined'), deleted: count('deleted'), skipped: count('skipped')});
	} catch (error) {
		if (!(error instanceof CleanWriteError) || error.progress !== '') throw error;
		const acted = [...records.values()].filter((r) => r.action !== 'skipped').length;
		throw new CleanWriteError(
			error.path,
			error.reason,
			`stopped after ${records.size} of ${entries.length} entries (${acted} acted on); the log and restore script name every object moved`,
		);
	} finally {
		logFile.close();
		restore.close();
	}
	const moved = [...records.values()].some((r) => r.action === 'quarantined');
	const quarantineDirs = moved
		? roots.filter((r) => [...records.values()].some((x) => x.action === 'quarantined' && rootOf(x.path) === r)).map((r) => quarantinePathOf(r, r, timestamp))
		: [];
	return {
		records: entries.map((e) => records.get(e)!),
		quarantineDir: quarantineDirs[0] ?? null,
		quarantineDirs,
		logPath,
		restoreCommand: moved ? `sh ${shellQuote(restorePath)}` : null,
		warnings,
	};
}

/** Act on one approved entry: list its objects again, HeadObject each, then quarantine or delete them. */
async function actOn(e: PlanEntry, fp: Fingerprint, context: RemoteContext): Promise<ExecutionRecord> {
	const skipped = (reason: string): ExecutionRecord => ({path: e.path, action: 'skipped', reason, bytes: e.bytes});
	try {
		const objects = await objectsOf(e, fp, context.store);
		if (typeof objects === 'string') return skipped(objects);
		const changed = await headCheck(objects, context.store, !context.delete);
		if (changed !== null) return skipped(changed);
		if (context.delete) return await deleteObjects(e, objects, context);
		return await quarantineObjects(e, objects, context.rootOf(e.path)!, context);
	} catch (error) {
		if (error instanceof CleanWriteError) throw error;
		return skipped(`cannot check it now: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** As `execute.ts`'s: entries removing snapshots first; a failed one keeps what its snapshots reference. */
async function actOnAll(
	entries: readonly PlanEntry[],
	skip: ReadonlyMap<PlanEntry, string>,
	index: FreshIndex,
	context: RemoteContext,
	records: Map<PlanEntry, ExecutionRecord>,
): Promise<void> {
	const removing = (e: PlanEntry): boolean => removedBy(e, index).length > 0;
	const fps = fingerprints(
		index.fresh.scannedFiles,
		entries.map((e) => e.path),
	);
	const staying: CheckpointAnalysis[] = [];
	let stayingReferences = null as ReferenceSet | null;
	for (const e of [...removalOrder(entries.filter(removing), index), ...entries.filter((x) => !removing(x))]) {
		let reason = skip.get(e);
		if (reason === undefined && stayingReferences?.touches(e.path) === true) {
			const by = staying.find((cp) => new ReferenceSet([cp]).touches(e.path));
			if (by !== undefined) reason = `referenced by ${by.metadataPath ?? by.path}, which stays: the entry removing it failed`;
		}
		const record: ExecutionRecord =
			reason === undefined ? await actOn(e, fps.get(e.path)!, context) : {path: e.path, action: 'skipped', reason, bytes: e.bytes};
		if (record.action === 'skipped' && removing(e)) {
			const kept = new Set(removedBy(e, index));
			staying.push(...index.fresh.checkpoints.filter((cp) => cp.metadataPath !== null && kept.has(cp.path)));
			stayingReferences = new ReferenceSet(staying);
		}
		records.set(e, record);
		context.log({event: 'entry', ...record});
	}
}
