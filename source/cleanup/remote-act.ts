/**
 * Acting on one plan entry on S3, for `s3-actions.ts`: the entry's objects are listed again and
 * compared with the fresh scan, each is re-checked with HeadObject (size and LastModified unchanged)
 * just before acting, and every action is announced durably first: a `moving` log line and a
 * restore-script line (`fsync`ed, `journal.ts`) before each CopyObject + DeleteObject, a `deleting`
 * line before each DeleteObjects. The restore script moves back (`aws s3 mv`) each object whose
 * quarantined copy exists and whose original key does not: objects that never moved are skipped.
 */
import {parseS3Uri} from '../store/uri.js';
import {objectKey, type S3Store} from '../store/s3.js';
import {StoreError} from '../store/types.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {appendOrStop, type JournalFile} from './journal.js';
import type {Fingerprint} from './plan.js';
import {shellQuote} from './plan.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

/** One object of an entry: its S3 path (a directory marker ends in `/`), size and LastModified as listed. */
export interface RemoteObject {
	path: string;
	size: number;
	mtimeMs: number;
}

/** What acting on entries needs: the store, the durable files, the run's root and timestamp. */
export interface RemoteContext {
	store: S3Store;
	log: (line: Record<string, unknown>) => void;
	restore: JournalFile;
	restorePath: string;
	timestamp: string;
	rootOf: (path: string) => string | undefined;
	delete: boolean;
}

/** The head of the restore script: `aws` (or `$FCX_AWS`) with the endpoint the run used. */
export function restoreScriptHead(timestamp: string, endpoint: string | undefined): string {
	const ep = endpoint === undefined ? '' : ` --endpoint-url ${shellQuote(endpoint)}`;
	return [
		'#!/bin/sh',
		`# fcx clean ${timestamp}: moves the quarantined objects back. An object whose quarantined copy is`,
		'# not there (it never moved) is skipped; one whose original key exists again is left in the quarantine.',
		'set -u',
		'status=0',
		`aws_() { \${FCX_AWS:-aws}${ep} "$@"; }`,
		'back() {',
		'  if ! aws_ s3api head-object --bucket "$1" --key "$2" >/dev/null 2>&1; then return 0; fi',
		'  if aws_ s3api head-object --bucket "$1" --key "$3" >/dev/null 2>&1; then echo "fcx restore: s3://$1/$3 exists; left in the quarantine" >&2; status=1; return 0; fi',
		'  aws_ s3 mv "s3://$1/$2" "s3://$1/$3" >/dev/null || status=1',
		'}',
		'',
	].join('\n');
}

/** Where `object` (below `root`) goes: `<root>/.fcx-quarantine/<timestamp>/<path below root>`. */
export function quarantinePathOf(object: string, root: string, timestamp: string): string {
	return `${root}/${QUARANTINE_DIR}/${timestamp}${object.slice(root.length)}`;
}

/**
 * The objects under `entry` now (the entry itself for a file; for a directory every object below
 * it and its marker), or why the entry is skipped: what is listed must be what the fresh scan saw
 * (`fp`: files, bytes, newest LastModified).
 */
export async function objectsOf(entry: PlanEntry, fp: Fingerprint, store: S3Store): Promise<RemoteObject[] | string> {
	// A file is as the scan saw it: HeadObject compares with that just before acting.
	if (entry.type === 'file') return [{path: entry.path, size: fp.size, mtimeMs: fp.mtimeMs}];
	const objects: RemoteObject[] = [];
	const listed: Fingerprint = {size: 0, mtimeMs: 0, files: 0};
	for await (const batch of store.list(entry.path)) {
		for (const e of batch) {
			if (e.kind === 'directory') {
				// A common prefix has no time; a directory marker (`key/`) has LastModified.
				if (e.mtimeMs > 0) objects.push({path: `${e.path}/`, size: 0, mtimeMs: e.mtimeMs});
				continue;
			}
			objects.push({path: e.path, size: e.size, mtimeMs: e.mtimeMs});
			listed.size += e.size;
			listed.files++;
			listed.mtimeMs = Math.max(listed.mtimeMs, e.mtimeMs);
		}
	}
	if (listed.files !== fp.files || listed.size !== fp.size || listed.mtimeMs !== fp.mtimeMs) {
		return `changed since the scan: listed now ${listed.files} objects, ${listed.size} bytes (the scan saw ${fp.files}, ${fp.size} bytes)`;
	}
	const marker = await store.head(`${entry.path}/`);
	if (marker !== undefined) objects.push({path: `${entry.path}/`, ...marker});
	return objects;
}

/**
 * HeadObject of every object just before acting: the reason to skip the entry when one changed
 * (size or LastModified) or vanished; `null` when all are as listed.
 */
export async function headCheck(objects: readonly RemoteObject[], store: S3Store): Promise<string | null> {
	for (const o of objects) {
		const head = await store.head(o.path);
		if (head === undefined) return `changed since the scan: ${o.path} no longer exists`;
		if (head.size !== o.size || head.mtimeMs !== o.mtimeMs) {
			return `changed since the scan: ${o.path} is now ${head.size} bytes, LastModified ${new Date(head.mtimeMs).toISOString()} (listed ${o.size} bytes, ${new Date(o.mtimeMs).toISOString()})`;
		}
	}
	return null;
}

/** Why a store call failed, in one line. */
function failure(error: unknown): string {
	return error instanceof StoreError ? error.message : error instanceof Error ? error.message : String(error);
}

/**
 * Quarantine `objects` of `entry`: for each, the log line and the restore line are written durably,
 * then CopyObject into the quarantine and DeleteObject of the original. Stops at the first failure
 * (the restore script moves back what moved).
 * @throws CleanWriteError when the log or restore script cannot be written (before the next copy)
 */
export async function quarantineObjects(entry: PlanEntry, objects: readonly RemoteObject[], root: string, context: RemoteContext): Promise<ExecutionRecord> {
	const to = quarantinePathOf(entry.path, root, context.timestamp);
	let moved = 0;
	for (const o of objects) {
		const target = quarantinePathOf(o.path, root, context.timestamp);
		const from = objectKey(o.path);
		context.log({event: 'moving', from: o.path, to: target});
		appendOrStop(context.restore, context.restorePath, `back ${shellQuote(from.bucket)} ${shellQuote(objectKey(target).key)} ${shellQuote(from.key)}\n`);
		try {
			await context.store.copy(o.path, target);
			const [outcome] = await context.store.delete([o.path]);
			if (outcome.error !== undefined) throw outcome.error;
		} catch (error) {
			return {
				path: entry.path,
				action: 'skipped',
				reason: `failed after moving ${moved} of ${objects.length} objects: ${failure(error)}${moved > 0 ? ' (the restore script moves them back)' : ''}`,
				bytes: entry.bytes,
			};
		}
		moved++;
	}
	return {path: entry.path, action: 'quarantined', quarantinePath: to, bytes: entry.bytes};
}

/**
 * Delete `objects` of `entry` with DeleteObjects (1,000 keys a request), each batch logged durably
 * first.
 */
export async function deleteObjects(entry: PlanEntry, objects: readonly RemoteObject[], context: RemoteContext): Promise<ExecutionRecord> {
	// Markers last: a directory disappears from listings only when its objects are gone.
	const ordered = [...objects.filter((o) => !o.path.endsWith('/')), ...objects.filter((o) => o.path.endsWith('/'))];
	let deleted = 0;
	for (let i = 0; i < ordered.length; i += 1000) {
		const batch = ordered.slice(i, i + 1000).map((o) => o.path);
		context.log({event: 'deleting', paths: batch});
		const failed = (await context.store.delete(batch)).find((o) => o.error !== undefined);
		if (failed !== undefined) {
			return {
				path: entry.path,
				action: 'skipped',
				reason: `failed after deleting ${deleted} of ${ordered.length} objects: ${failure(failed.error)}`,
				bytes: entry.bytes,
			};
		}
		deleted += batch.length;
	}
	return {path: entry.path, action: 'deleted', bytes: entry.bytes};
}

/** The bucket of every root (each must be an S3 URI). */
export function bucketsOf(roots: readonly string[]): string[] {
	return [...new Set(roots.map((r) => parseS3Uri(r).bucket))];
}

/**
 * The outcome of a remote run (`StoreActions.outcome`): the restore command (`sh SCRIPT`, `null`
 * when nothing was quarantined) and the quarantine directory of each root something moved into.
 */
export function remoteOutcome(
	records: readonly ExecutionRecord[],
	roots: readonly string[],
	rootOf: (path: string) => string | undefined,
	timestamp: string,
	restorePath: string,
): {restoreCommand: string | null; quarantineDirs: string[]} {
	const moved = records.filter((r) => r.action === 'quarantined');
	const quarantineDirs = roots.filter((r) => moved.some((x) => rootOf(x.path) === r)).map((r) => quarantinePathOf(r, r, timestamp));
	return {restoreCommand: moved.length > 0 ? `sh ${shellQuote(restorePath)}` : null, quarantineDirs};
}
