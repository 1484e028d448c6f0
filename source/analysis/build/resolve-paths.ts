/**
 * Settling, first part (when every snapshot is added): resolve every written path to an entry
 * (after every snapshot taught its bases), merge the files of a snapshot whose paths are spelt
 * differently but are one file, and probe the local paths outside the scanned roots.
 */
import type {ListedNames} from '../../tree/file-table.js';
import {baseName, parseUri} from '../../tree/layout.js';
import {NOT_SCANNED} from '../entries.js';
import {matchKey} from '../resolution.js';
import type {UnsureReferences} from '../unmapped.js';
import type {ProbeGroup} from '../probe.js';
import type {BuildContext, LocalDir} from './context.js';
import {mergeFiles, spellingTarget, Spellings, withoutUnreferenced, type WrittenDir} from './snapshot-files.js';

/**
 * Make the entries of the scanned files of `local` that `wd` names with plain file names (its
 * mapped directory, see `Resolver.directoryMapping`), walking the directory's list of names and
 * looking each up among the names of `wd` (one lookup per scanned file: the million names of the
 * bench tree are never hashed into a map of the scan's). Spelling `skip` is left to the caller.
 * Returns `undefined` when it could not (the directory's names are not a list any more, see
 * `FileTable.listed`, or it is outside the roots); else the scan file id of the name of `skip`
 * in `local`, or NOT_SCANNED.
 */
function joinScanned(ctx: BuildContext, wd: WrittenDir, local: LocalDir, anchor: string | null, skip: number): number | undefined {
	const listed = ctx.checkLocal(local).inside ? ctx.scan.files.listed(local.path) : undefined;
	if (listed === undefined) return undefined;
	const spellings = ctx.spellings;
	const {names, first} = listed;
	let skipped = NOT_SCANNED;
	for (let index = 0; index < names.length; index++) {
		const sid = wd.spellings.get(names[index]);
		if (sid === undefined || spellings.entry[sid] !== -1 || spellings.plain[sid] !== 1) continue;
		if (sid === skip) skipped = first + index;
		else spellings.entry[sid] = ctx.entryIn(local, names[index], spellings.uri[sid], anchor, false, false, first + index);
	}
	return skipped;
}

/**
 * The match key of written directory `dir` (see `matchKey`) such that the key of every plain file
 * name `n` of it is `${key}/${n}`, checked on its file `name` whose key is `nameKey`; `null` when
 * that does not hold: the part of a URI after `?` or `#` is not its path, and `hdfs:/` + `/x` is
 * `hdfs://x` (authority `x`).
 */
function outsideDirKey(dir: string, name: string, nameKey: string): string | null {
	if (dir.includes('?') || dir.includes('#') || dir.endsWith(':/')) return null;
	const parsed = parseUri(dir);
	if (parsed === null) return null;
	const key = matchKey(parsed);
	return nameKey.length === key.length + 1 + name.length && nameKey.startsWith(key) && nameKey.endsWith(`/${name}`) ? key : null;
}

/** Give every spelling of `wd` its entry (`spellings.entry`); references that may name other files go to `unsure`. */
function resolveWrittenDir(ctx: BuildContext, wd: WrittenDir, unsure: UnsureReferences): void {
	const {resolver, spellings} = ctx;
	const byName = wd.dir.length > 0;
	/** Where the plain file names of `wd` map, once known (see `Resolver.directoryMapping`). */
	let mapped: LocalDir | null = null;
	let mappedAnchor: string | null = null;
	let mappedAmbiguous = false;
	/** Whether the scanned files of `mapped` have been matched with the names of `wd` (see {@link joinScanned}). */
	let joined = false;
	/** The names of `mapped`'s scanned files once joined. */
	let listed: ListedNames | undefined;
	/** The match key of `wd` when its plain names are outside the tree (see {@link outsideDirKey}), once known; `null`: each by itself. */
	let outsideKey: string | null | undefined;
	// `forEach`, not `for … of`: the iterator made a [name, id] pair per spelling (100,000 of one directory: 13 MB).
	wd.spellings.forEach((sid, name) => {
		const plain = spellings.plain[sid] === 1;
		const uri = spellings.uri[sid];
		if (mapped !== null && plain) {
			const id = spellings.entry[sid];
			// After a join, a name it did not match is not a scanned file.
			if (id === -1) spellings.entry[sid] = ctx.entryIn(mapped, name, uri, mappedAnchor, false, false, joined ? NOT_SCANNED : undefined);
			// A scanned file the join matched: the scan and the entry keep this spelling's copy of its name (held by `uri` anyway), not a second one.
			else if (listed !== undefined && ctx.scan.files.shareName(listed, ctx.entries.fileId[id], name)) ctx.entries.name[id] = name;
			if (mappedAmbiguous) {
				unsure.add(name, uri, 'ambiguous');
				ctx.ambiguousEntries.add(spellings.entry[sid]);
			}
			return;
		}
		const r = byName && name.length > 0 ? resolver.resolveIn(wd.dir, name, uri) : resolver.resolveUri(uri);
		if (r?.ambiguous === true) unsure.add(baseName(uri), uri, 'ambiguous');
		let key: string;
		if (r === null) {
			key = `?${uri}`;
		} else if (r.path !== null) {
			key = r.path;
		} else if (typeof outsideKey === 'string' && plain && r.ambiguous !== true) {
			// A plain name of a directory outside the tree: its key is the directory's and its name.
			const count = ctx.entries.count;
			// The names of `wd` are its map's keys: never one twice.
			const id = (spellings.entry[sid] = ctx.otherEntryOfUniqueName(outsideKey, name, uri, r.anchor, wd));
			// Made for this spelling (its `uri` is the entry's): its place is its written directory's.
			if (ctx.entries.count > count) ctx.noteOutsideDir(id, wd.dir);
			return;
		} else {
			const parsed = parseUri(uri);
			key = parsed === null ? `?${uri}` : matchKey(parsed);
			if (outsideKey === undefined) outsideKey = byName && plain && !ctx.remoteRoots ? outsideDirKey(wd.dir, name, key) : null;
		}
		/** The scan file id of this spelling's path (or NOT_SCANNED), when the join below tells. */
		let knownFileId: number | undefined;
		if (byName && plain) {
			const m = resolver.directoryMapping(wd.dir);
			if (m !== undefined) {
				mapped = ctx.localDirOf(m.localDir);
				mappedAnchor = m.anchor;
				mappedAmbiguous = m.ambiguous;
				// Before this spelling's entry is made: looking its name up would make the map
				// of the directory's names that the join does without.
				const found = joinScanned(ctx, wd, mapped, mappedAnchor, sid);
				joined = found !== undefined;
				if (joined) listed = ctx.scan.files.listed(mapped.path);
				if (joined && key === mapped.prefix + name) knownFileId = found;
			}
		}
		spellings.entry[sid] = ctx.entryFor(key, uri, r === null ? null : r.anchor, false, knownFileId);
		if (r?.ambiguous === true || (mapped !== null && mappedAmbiguous)) ctx.ambiguousEntries.add(spellings.entry[sid]);
	});
}

/**
 * Resolve every written path (each spelling makes at most one entry) and turn the snapshots'
 * targets from spellings into entries, merging two spellings of one file in a snapshot. Then the
 * spellings are dropped; the local paths outside the roots (and anchors) are to be probed next
 * ({@link toProbe}).
 */
export function resolveWrittenPaths(ctx: BuildContext, unsure: UnsureReferences): void {
	const {entries, snapFilesOf, kept} = ctx;
	// The entries take their room in what only adding snapshots needed.
	entries.recycle(ctx.spellings.dropAccumulation());
	entries.reserve(ctx.spellings.count);
	for (const wd of ctx.writtenDirs.values()) {
		resolveWrittenDir(ctx, wd, unsure);
		// Its names are not looked up again: each map goes as soon as its directory is resolved,
		// while the entries are made (the maps of the 1M-file bench tree's names are 50 MB).
		wd.spellings.clear();
	}
	// Only the spellings' entries are needed from here on: the rest goes before the targets are turned.
	const spellingEntry = ctx.spellings.entry;
	ctx.writtenDirs.clear();
	ctx.spellings = new Spellings();
	ctx.lastWritten = null;
	ctx.lastPaths = []; // slices of the last file's text
	entries.snap.fill(-1);
	for (let si = 0; si < ctx.snaps.length; si++) {
		const sf = snapFilesOf[si];
		const targets = sf.targets;
		let merged = false;
		for (let i = 0; i < targets.length; i++) {
			const target = targets[i];
			const id = target < 0 ? spellingEntry[spellingTarget(target)] : target;
			targets[i] = id;
			if (entries.snap[id] === si) {
				mergeFiles(sf, entries.index[id], i, kept);
				merged = true;
			} else {
				entries.snap[id] = si;
				entries.index[id] = i;
			}
		}
		if (merged) snapFilesOf[si] = withoutUnreferenced(sf);
	}
}

/**
 * The local paths outside the roots to probe: by directory, the names of its entries (every entry of
 * a directory outside the roots is in `LocalDir.entries`: none is a scanned file), and the anchors.
 */
export function* toProbe(ctx: BuildContext): Generator<ProbeGroup> {
	for (const local of ctx.localDirs.values()) {
		if (local.entries.size > 0 && !ctx.checkLocal(local).inside) yield {dir: local.path, names: local.entries.keys()};
	}
	const {entries} = ctx;
	const anchors = new Set<string>();
	let last: string | null = null;
	for (let id = 0; id < entries.count; id++) {
		const anchor = entries.anchor[id];
		if (anchor === null || anchor === last) continue;
		anchors.add(anchor);
		last = anchor;
	}
	for (const anchor of anchors) {
		if (ctx.inside(anchor)) continue;
		const slash = anchor.lastIndexOf('/');
		yield {dir: anchor.slice(0, slash), names: [anchor.slice(slash + 1)]};
	}
}
