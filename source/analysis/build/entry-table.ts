/**
 * The build's file entries as an {@link EntryTable} (see `../snapshot-entries.ts`), and the
 * registration of each snapshot's entry ids: read by deletion plans and retention instead of a
 * `ResolvedFile` per (snapshot, file) pair.
 */
import {EXISTS, MISSING, UNKNOWN} from '../entries.js';
import {setSnapshotEntries, type EntryTable} from '../snapshot-entries.js';
import type {CheckpointAnalysis} from '../types.js';
import type {BuildContext} from './context.js';

/** The entries of `ctx` as an {@link EntryTable} (made once per build: {@link registerSnapshotEntries} keeps it). */
function entryTableOf(ctx: BuildContext): EntryTable {
	const {entries} = ctx;
	const isLocal = (id: number): boolean => {
		const state = entries.state[id];
		return state === EXISTS || state === MISSING || state === UNKNOWN;
	};
	return {
		get count() {
			return entries.count;
		},
		isLocal,
		path: (id) => entries.path(id),
		directoryOf: (id) => entries.local[id]!.path,
		someAt(path, test, knownFileId) {
			const slash = path.lastIndexOf('/');
			if (slash < 0) return false;
			const local = ctx.localDirs.get(slash === 0 ? '/' : path.slice(0, slash));
			const name = path.slice(slash + 1);
			// Its entries' paths are `local.prefix + name` (in `/`: `//name`, which `/name` is not).
			if (local === undefined || local.prefix.length + name.length !== path.length) return false;
			// An entry made by name, and one made by scan file id (by construction at most one of the two).
			const byName = local.entries.get(name);
			if (byName !== undefined && isLocal(byName) && test(byName)) return true;
			const entryOfFile = ctx.entryOfFile;
			const fileId = entryOfFile === null || !ctx.checkLocal(local).inside ? -1 : (knownFileId ?? ctx.scannedId(local, name) ?? -1);
			const byFile = fileId < 0 ? -1 : entryOfFile![fileId];
			return byFile >= 0 && byFile !== byName && isLocal(byFile) && test(byFile);
		},
		scannedFiles: ctx.scan.files,
		scannedIdOf(id) {
			if (!isLocal(id)) return -1;
			const fileId = entries.fileId[id];
			return fileId >= 0 ? fileId : ctx.scan.files.idOf(entries.localPath(id));
		},
		inDirectory(dir) {
			// The entries of `/` have paths `//name`: none is a scanned file `/name`.
			const local = dir === '/' ? undefined : ctx.localDirs.get(dir);
			if (local === undefined) return undefined;
			const entryOfFile = ctx.entryOfFile;
			return {
				byName: (name) => (local.entries.size === 0 ? -1 : (local.entries.get(name) ?? -1)),
				byFile: (fileId) => (entryOfFile === null ? -1 : entryOfFile[fileId]),
			};
		},
	};
}

const tables = new WeakMap<BuildContext, EntryTable>();

/**
 * Register the entry ids of snapshot `cp`'s files: `targets` (entry ids) and `firsts` (their first
 * references, for the handle) in the order its `files` will have.
 */
export function registerSnapshotEntries(ctx: BuildContext, cp: CheckpointAnalysis, targets: Int32Array, firsts: Int32Array): void {
	let table = tables.get(ctx);
	if (table === undefined) tables.set(ctx, (table = entryTableOf(ctx)));
	const {kept} = ctx;
	setSnapshotEntries(cp, {table, ids: targets, isDirectory: (i) => kept.handleOf(firsts[i]) === 'directory'});
}
