/**
 * S3's {@link StoreActions}, for the one executor (`execute.ts`): each entry is checked against the
 * fresh analysis as every store's is ({@link checkAgainstAnalysis}); then each safe entry's objects
 * are listed again, re-checked with HeadObject and quarantined (CopyObject into
 * `<root>/.fcx-quarantine/<ts>/`, then DeleteObject) or deleted (DeleteObjects), each action
 * logged durably first (`remote-act.ts`). The log and restore script are local files (S3 has no
 * append).
 *
 * A versioned bucket (a delete only adds a delete marker: nothing is freed) or one with Object Lock
 * is refused unless `allowVersioned`.
 */
import type {Analysis} from '../analysis/types.js';
import type {S3Store} from '../store/s3.js';
import {isRemoteRoot, normaliseStoreUri} from '../store/uri.js';
import {isInside} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError} from './act.js';
import {CleanWriteError, openRestoreScript, remoteJournalPaths, type JournalFile} from './journal.js';
import type {Fingerprint} from './plan.js';
import {checkAgainstAnalysis, type FreshIndex} from './recheck.js';
import {bucketsOf, deleteObjects, headCheck, objectsOf, quarantineObjects, remoteOutcome, restoreScriptHead, type RemoteContext} from './remote-act.js';
import type {LogLine, PreparedRun, RunSetup, StoreActions} from './store-actions.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

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
function checkRemoteEntry(e: PlanEntry, root: string | undefined, fp: Fingerprint, youngSince: number, index: FreshIndex): string | null {
	const p = e.path;
	const {fresh} = index;
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

/** Act on one approved entry: list its objects again, HeadObject each, then quarantine or delete them. */
async function actOn(e: PlanEntry, fp: Fingerprint, context: RemoteContext): Promise<ExecutionRecord> {
	const skipped = (reason: string): ExecutionRecord => ({path: e.path, action: 'skipped', reason, bytes: e.bytes});
	try {
		const objects = await objectsOf(e, fp, context.store);
		if (typeof objects === 'string') return skipped(objects);
		const changed = await headCheck(objects, context.store);
		if (changed !== null) return skipped(changed);
		if (context.delete) return await deleteObjects(e, objects, context);
		return await quarantineObjects(e, objects, context.rootOf(e.path)!, context);
	} catch (error) {
		if (error instanceof CleanWriteError) throw error;
		return skipped(`cannot check it now: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** S3's actions (see the module doc). */
export class S3Actions implements StoreActions {
	readonly warnings: string[] = [];
	private roots: string[] = [];
	private readonly paths: {logPath: string; restorePath: string};
	private context: RemoteContext | null = null;
	private restore: JournalFile | null = null;

	constructor(
		private readonly store: S3Store,
		private readonly setup: RunSetup,
		private readonly options: {planRoots: readonly string[]; allowVersioned: boolean; endpoint: string | undefined},
	) {
		this.paths = remoteJournalPaths(setup.timestamp, setup.logPath);
	}

	private rootOf(p: string): string | undefined {
		return this.roots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	}

	/** Versioned or locked buckets are refused before anything is listed (see {@link checkBuckets}). */
	beforeScan(roots: readonly string[]): Promise<void> {
		return checkBuckets(this.store, roots, this.options.allowVersioned, this.warnings);
	}

	async prepare(fresh: Analysis): Promise<PreparedRun> {
		const listed = [...fresh.scannedFiles.keys()];
		const {planRoots} = this.options;
		this.roots = planRoots.map(normaliseStoreUri).filter((r) => listed.some((f) => isInside(f, r) && f !== r));
		if (this.roots.length === 0) throw new ExecutionRefusedError(`nothing is listed under the plan's roots now (${planRoots.join(', ')})`);
		return {roots: this.roots, logPath: this.paths.logPath, logFlag: 'wx', start: {warnings: this.warnings}};
	}

	begin(log: LogLine): void {
		const {restorePath} = this.paths;
		this.restore = openRestoreScript(restorePath, restoreScriptHead(this.setup.timestamp, this.options.endpoint), this.setup.openJournal);
		this.context = {
			store: this.store,
			log,
			restore: this.restore,
			restorePath,
			timestamp: this.setup.timestamp,
			rootOf: (p) => this.rootOf(p),
			delete: this.setup.delete,
		};
	}

	recheck(entry: PlanEntry, root: string | undefined, fp: Fingerprint, youngSince: number, index: FreshIndex): Promise<string | null> {
		return Promise.resolve(checkRemoteEntry(entry, root, fp, youngSince, index));
	}

	act(entry: PlanEntry, fp: Fingerprint): Promise<ExecutionRecord> {
		return actOn(entry, fp, this.context!);
	}

	finish(): void {
		// The script has no end line: a run killed at any point leaves one that works the same.
	}

	close(): void {
		this.restore?.close();
		this.restore = null;
	}

	outcome(records: readonly ExecutionRecord[]): {restoreCommand: string | null; quarantineDirs: string[]} {
		return remoteOutcome(records, this.roots, (path) => this.rootOf(path), this.setup.timestamp, this.paths.restorePath);
	}
}
