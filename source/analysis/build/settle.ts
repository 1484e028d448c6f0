/**
 * Settling, second part: the FLINK-39964 fallback for relative handles (phase 2), then each entry's
 * state (exists, missing, unknown, outside the tree) and who uses it, and which scanned files and
 * directories are referenced (phase 3).
 */
import {baseName, DirectorySet, METADATA_FILE, parentPath, parseUri} from '../../tree/layout.js';
import {isSymlinkWarning, isUnseenByScan} from '../../tree/warnings.js';
import {EXISTS, MISSING, NOT_SCANNED, OUTSIDE, UNKNOWN, UNSETTLED} from '../entries.js';
import {matchKey} from '../resolution.js';
import type {UnsureReferences} from '../unmapped.js';
import type {BuildContext} from './context.js';
import {pushUnique} from './helpers.js';
import {withoutUnreferenced} from './snapshot-files.js';

/** What phase 3 found: which scanned files and directories are referenced, and what is shared. */
export interface Usage {
	/** Local paths of referenced directories (file-merging directory references) that exist. */
	referencedDirs: Set<string>;
	/** By scan file id: 1 when a snapshot references the scanned file. */
	referencedFiles: Uint8Array;
	/** Whether more than one snapshot uses entry `id` (by its sharing key for files outside the tree). */
	isShared: (id: number) => boolean;
}

/**
 * Directories that could not be listed (`unreadable-directory` warnings of the scan, and roots with
 * unlisted entropy prefixes, `entropy-detected`) and symlinks
 * the scan did not follow (unless broken): what lies at or below them is unknown, never missing
 * nor an orphan.
 */
export interface Unlisted {
	paths: string[];
	set: Set<string>;
	below: DirectorySet;
}

/** The scan's unlisted directories, and its symlinks that lead somewhere (a symlinked `shared/`: its files are not missing). */
export function unlistedOf(ctx: BuildContext): Unlisted {
	// Everything the scan did not see: unreadable directories, a `_metadata` that is a FIFO, a root whose
	// state files lie below entropy prefixes not listed (`entropy-detected`), …; symlinks come from `scan.symlinks`.
	const paths = ctx.scan.warnings.filter((w) => isUnseenByScan(w) && !isSymlinkWarning(w)).map((w) => w.path);
	for (const [path, link] of ctx.scan.symlinks) if (!link.broken) paths.push(path);
	// A directory named _metadata where no _metadata file is (an object store can hold both): what the snapshot is, is unknown.
	for (const dir of ctx.scan.directories.keys()) {
		if (baseName(dir) === METADATA_FILE && !ctx.scan.files.hasFile(parentPath(dir), METADATA_FILE)) paths.push(dir);
	}
	return {paths, set: new Set(paths), below: new DirectorySet(paths)};
}

/** Phase 2: relative handles missing next to `_metadata` found in a scanned savepoint directory (FLINK-39964) point there, with a note. */
export function relativeFallback(ctx: BuildContext): void {
	const {entries, kept, prober, resolver, snapFilesOf} = ctx;
	for (let si = 0; si < ctx.snaps.length; si++) {
		const s = ctx.snaps[si];
		const sf = snapFilesOf[si];
		const targets = sf.targets;
		let dropped = false;
		for (let i = 0; i < targets.length; i++) {
			const id = targets[i];
			const local = entries.local[id];
			if (kept.handleOf(sf.firsts[i]) !== 'relative' || local === null) continue;
			if (prober.getIn(local.path, entries.name[id]).exists) continue;
			const name = kept.pathOf(sf.firsts[i]);
			const found = resolver.findInSavepoints(name, s.dir);
			if (found === null) continue;
			const target = ctx.entryFor(found, name, null);
			const existing = targets.findIndex((other, j) => j !== i && other === target);
			if (existing === -1) {
				targets[i] = target;
				(sf.notes ??= new Map()).set(
					i,
					`not next to _metadata; found in the restored savepoint ${parentPath(found)} (relative handle of a CLAIM-restored native savepoint, FLINK-39964)`,
				);
			} else {
				sf.counts[existing] += sf.counts[i];
				sf.counts[i] = 0;
				dropped = true;
			}
		}
		if (dropped) snapFilesOf[si] = withoutUnreferenced(sf);
	}
}

/** Existence, size on disk and sharing key of entry `id`, once (`FileEntries.state`). */
function settle(ctx: BuildContext, unlisted: Unlisted, id: number): void {
	const {entries, prober} = ctx;
	const local = entries.local[id];
	let state = OUTSIDE;
	if (local !== null) {
		// Looked up in the scan's files of its directory first (unless found there when made).
		const known = entries.fileId[id];
		const fileId = known >= 0 ? known : known === NOT_SCANNED ? undefined : ctx.scannedId(local, entries.name[id]);
		if (fileId !== undefined) {
			state = EXISTS;
			entries.fileId[id] = fileId;
			entries.diskSize[id] = ctx.scan.files.sizeOf(fileId);
		} else {
			const probe = prober.getIn(local.path, entries.name[id]);
			const anchor = entries.anchor[id];
			if (probe.exists) {
				state = EXISTS;
				if (!probe.directory) entries.diskSize[id] = probe.size ?? 0;
			} else if (probe.unknown === true || (unlisted.paths.length > 0 && unlisted.below.contains(entries.localPath(id)))) {
				state = UNKNOWN; // below a directory that could not be read
			} else if (anchor !== null && !prober.get(anchor).exists) {
				state = OUTSIDE; // the place it maps to does not exist locally: outside the tree
			} else {
				state = MISSING;
			}
		}
		if (state === OUTSIDE) {
			const uri = entries.uri[id];
			const parsed = parseUri(uri);
			entries.shareKey.set(id, parsed === null ? `?${uri}` : matchKey(parsed));
		}
	}
	entries.state[id] = state;
}

/**
 * Phase 3: settle every used entry, record its users (snapshot ranks in natural order: a file of
 * a chain of incremental checkpoints is then used by one run of them, one range of users), and
 * mark the referenced scanned files and directories. Files outside the tree go to `unsure`.
 */
export function findUsers(ctx: BuildContext, unlisted: Unlisted, unsure: UnsureReferences): Usage {
	const {entries, kept, snaps, snapFilesOf, naturalRank} = ctx;
	const referencedDirs = new Set<string>();
	const referencedFiles = new Uint8Array(ctx.scan.files.size);
	/** Users of the sharing keys of entries (`FileEntries.shareKey`: unmapped files outside the tree). */
	const otherShareUsers = new Map<string, string[]>();
	const {state, fileId} = entries;
	for (const si of ctx.naturalOrder) {
		const s = snaps[si];
		const sf = snapFilesOf[si];
		const targets = sf.targets;
		const rank = naturalRank[si];
		for (let i = 0; i < targets.length; i++) {
			const id = targets[i];
			if (state[id] === UNSETTLED) settle(ctx, unlisted, id);
			entries.addUser(id, rank);
			if (entries.shareKey.size > 0) {
				const shareKey = entries.shareKey.get(id);
				if (shareKey !== undefined) pushUnique(otherShareUsers, shareKey, s.dir);
			}
			if (state[id] === EXISTS) {
				if (kept.handleOf(sf.firsts[i]) === 'directory') referencedDirs.add(entries.localPath(id));
				else if (fileId[id] >= 0) referencedFiles[fileId[id]] = 1;
			}
		}
	}
	// Only scanned files can be held by these (`UnsureReferences.holdDirectories`): a loose
	// `_metadata` (no scanned file) need not note its 100,000 files outside the tree.
	if (ctx.scan.files.size > 0) {
		for (let id = 0; id < entries.count; id++) {
			if (state[id] === OUTSIDE && entries.usersFrom[id] >= 0) unsure.add(undefined, entries.uri[id], 'unmapped');
		}
	}
	const isShared = (id: number): boolean => {
		const shareKey = entries.shareKey.size === 0 ? undefined : entries.shareKey.get(id);
		return shareKey === undefined ? entries.usedMoreThanOnce(id) : (otherShareUsers.get(shareKey)?.length ?? 0) > 1;
	};
	return {referencedDirs, referencedFiles, isShared};
}
