/**
 * Phase 1 of the build (while the `_metadata` files load): per snapshot, the sums of its references
 * per written path (see {@link SnapshotFiles}), and what the references teach the resolver about
 * remote bases. Snapshots are taken in path order (later ones wait for the earlier ones) so that
 * the result does not depend on the order in which files finish loading.
 */
import type {FileReference} from '../../metadata/types.js';
import {isPlainFileName, normalisePathPart} from '../../tree/layout.js';
import {OperatorBytes} from '../operators.js';
import type {BuildContext} from './context.js';
import {flatSlice, flatString, toNumber} from './helpers.js';
import {snapshotKind} from './snapshot.js';
import {addFile, addReference, emptySnapshotFiles, spellingTarget, trimFiles, type WrittenDir} from './snapshot-files.js';

/** The written directory `dirText` (the text of a written path before its last `/`), made when new. */
function writtenDirOf(ctx: BuildContext, dirText: string): WrittenDir {
	let wd = ctx.lastWritten ?? undefined;
	if (wd === undefined || wd.dir !== dirText) {
		wd = ctx.writtenDirs.get(dirText);
		if (wd === undefined) {
			const dir = flatString(dirText);
			wd = {dir, prefix: dir.length === 0 ? '' : flatString(`${dir}/`), spellings: new Map(), learnt: -1};
			ctx.writtenDirs.set(wd.dir, wd);
		}
		ctx.lastWritten = wd;
	}
	return wd;
}

/**
 * Accumulate the references of snapshot `si` (loaded, or a placeholder that is skipped) into its
 * {@link SnapshotFiles}. One loop over every reference of the tree (millions): it keeps its state
 * in locals and calls out only for new paths, hence its length.
 */
function accumulate(ctx: BuildContext, si: number): void {
	const {entries, kept, spellings, snapFilesOf} = ctx;
	const s = ctx.snaps[si];
	const l = s.loaded;
	if (!l.result) return;
	s.kind = snapshotKind(l.metadataPath, l.result);
	const references = l.result.references;
	// A file has at least one reference: room for all.
	const sf = (snapFilesOf[si] = emptySnapshotFiles(references.length));
	/** The files of the snapshot added before, and where in them the next reference is expected. */
	const previousSnap = ctx.lastAccumulated;
	const previous = previousSnap < 0 ? [] : snapFilesOf[previousSnap].targets;
	const previousPaths = ctx.lastPaths;
	let expected = 0;
	if (previousSnap < 0) {
		// The first snapshot may name more files than the crawl found (`analyse` reserves room for
		// those): a loose `_metadata` whose files are elsewhere. Room for all of its references at
		// once, not by doubling (the 16 MB bench file: 7 doublings of the columns, 100 ms).
		spellings.reserve(references.length);
		kept.reserve(references.length);
	}
	ctx.lastAccumulated = si;
	/** Per file of this snapshot: its path as written in its `_metadata` (for the next snapshot). */
	const paths: string[] = [];
	ctx.lastPaths = paths;
	/** The operators' bytes, when their summaries came with the snapshot: by the files' indices in `sf`. */
	const operatorBytes = l.operators === undefined ? undefined : new OperatorBytes(l.operators, references.length);
	// What the resolver learns from: plain file names of one written directory teach the same
	// thing, so only the first of each directory is passed (see `Resolver.learn`).
	const toLearn: FileReference[] = [];
	const learnFrom = (ref: FileReference, wd: WrittenDir, plain: boolean): void => {
		if (!plain) {
			toLearn.push(ref);
		} else if (wd.learnt !== si) {
			wd.learnt = si;
			toLearn.push(ref);
		}
	};
	// By index: a `for … of` made an iterator result per reference until the loop was optimised.
	for (let r = 0; r < references.length; r++) {
		const ref = references[r];
		if (ref.handle === 'relative') {
			// Flink resolves a relative handle as a Path below the snapshot directory, which normalises
			// it: a tampered `../shared/x` names the job's shared file, not a missing one.
			const odd = ref.path.includes('/') || ref.path === '.' || ref.path === '..';
			const path = odd ? normalisePathPart(`${s.dir}/${ref.path}`) : `${s.dir}/${ref.path}`;
			const id = ctx.entryFor(path, ref.path, null, true);
			if (entries.snap[id] !== si) {
				ref.path = flatString(ref.path);
				if (ref.localPath !== undefined) ref.localPath = flatString(ref.localPath);
				entries.snap[id] = si;
				entries.index[id] = addFile(sf, id, kept.add(ref));
				paths.push('');
			}
			addReference(sf, entries.index[id], ref);
			operatorBytes?.add(ref, entries.index[id]);
			continue;
		}
		const path = ref.path;
		let sid = -1;
		if (ref.handle !== 'inline' && expected < previousPaths.length && previousPaths[expected] === path) {
			// Most references are the ones the previous snapshot had at this place, in this order
			// (the shared files of a chain of incremental checkpoints): compared as written (two
			// slices of file texts: no hashing, and no flattening of the kept concatenation).
			const candidate = previous[expected];
			if (candidate < 0) sid = spellingTarget(candidate);
		}
		if (sid < 0) {
			// Written paths are interned by directory (the text before the last `/`), then by name:
			// the references of one snapshot come directory by directory.
			const slash = path.lastIndexOf('/');
			const wd = writtenDirOf(ctx, slash < 0 ? '' : path.slice(0, slash));
			if (ref.handle === 'inline') {
				s.inlineBytes += Math.max(0, ref.size);
				operatorBytes?.add(ref, -1);
				learnFrom(ref, wd, slash > 0 && isPlainFileName(path.slice(slash + 1)));
				continue;
			}
			// A flat copy first (the name is almost always new here): its hash is computed once for
			// the lookup, the insertion and the scan's lookup later.
			const name = flatSlice(path, slash + 1);
			const known = wd.spellings.get(name);
			if (known === undefined) {
				// The path is kept as its directory's prefix and its name (a concatenation: a million
				// paths of 130 characters would cost 130 MB flat; few operations need it flat).
				sid = spellings.add(
					wd,
					slash > 0 ? wd.prefix + name : flatString(path),
					isPlainFileName(name),
					ref.localPath === undefined ? undefined : flatString(ref.localPath),
				);
				wd.spellings.set(name, sid);
			} else {
				sid = known;
			}
		}
		if (spellings.snap[sid] === previousSnap) expected = spellings.index[sid] + 1;
		const wd = spellings.dir[sid];
		learnFrom(ref, wd, ref.handle !== 'directory' && wd.dir.length > 0 && spellings.plain[sid] === 1);
		// Let every reference share one string per path (memory).
		ref.path = spellings.uri[sid];
		const localPath = spellings.localPath[sid];
		if (ref.localPath !== undefined && ref.localPath === localPath) ref.localPath = localPath;
		if (spellings.snap[sid] !== si) {
			if (ref.localPath !== undefined && ref.localPath !== localPath) ref.localPath = flatString(ref.localPath);
			// The same reference as in the previous snapshot (an incremental checkpoint's shared
			// file): keep it once.
			const last = spellings.first[sid];
			const first = last >= 0 && kept.equals(last, ref) ? last : kept.add(ref);
			spellings.first[sid] = first;
			spellings.snap[sid] = si;
			spellings.index[sid] = addFile(sf, spellingTarget(sid), first);
			paths.push(path);
		}
		addReference(sf, spellings.index[sid], ref);
		operatorBytes?.add(ref, spellings.index[sid]);
	}
	trimFiles(sf);
	ctx.resolver.learn(s.dir, toLearn);
	// Only a snapshot in a scanned directory anchors its location: a loose `_metadata` named on the
	// command line (its directory not crawled) would map its files into a directory nobody looked
	// at, where each would be probed (100,000 failed `stat`s, 2.9 s) and called missing.
	if (ctx.inside(s.dir)) ctx.resolver.anchor(s.dir, s.kind, toNumber(l.result.metadata.checkpointId), toLearn);
	// The operator summaries were computed at load time (`analyse`): nothing needs the
	// references any more but the first reference of each file (kept by its accumulator).
	if (l.operators !== undefined) l.result.references = [];
}

/** Accumulate every snapshot from the next one on that has been added (all of them when `all`: the rest count as unreadable). */
export function accumulateReady(ctx: BuildContext, all: boolean): void {
	const {snaps, loadedMap} = ctx;
	while (ctx.nextToAccumulate < snaps.length && (all || loadedMap.get(snaps[ctx.nextToAccumulate].loaded.metadataPath) !== undefined)) {
		accumulate(ctx, ctx.nextToAccumulate++);
	}
}
