/**
 * Retention simulation (`what-if --keep-last N`): what keeping only the newest N completed
 * checkpoints of each job would free. Pure: computed from an {@link Analysis}.
 */
import {DirectorySet, parentPath} from '../tree/layout.js';
import {FileTable, type ScannedFiles} from '../tree/file-table.js';
import {isCompletedByFlink} from './jobs.js';
import {ReferenceSet} from './reference-set.js';
import {snapshotEntriesOf, type EntryTable} from './snapshot-entries.js';
import type {Analysis, CheckpointAnalysis, ResolvedFile, RetentionResult} from './types.js';
import {newestCompleteCheckpoints, unknownReferenceJobs} from './what-if.js';

/** What the subsumed snapshots free: files and bytes, and the files a retained snapshot still needs. */
type Freed = Pick<RetentionResult, 'freedBytes' | 'freedFiles' | 'stillNeeded'>;

/**
 * Retention simulation: per job keep the newest `keepLast` completed checkpoints (`_metadata` read:
 * status complete, missing-files or damaged); the older ones are subsumed. Savepoints are never subsumed.
 * Freed: the files under the subsumed checkpoint directories and the files they reference, except
 * those a retained snapshot of ANY job still references (`stillNeeded`) and those in job directories
 * with an unreadable `_metadata`. `warnings`: each job whose newest complete checkpoint without
 * missing files ({@link newestCompleteCheckpoints}) is subsumed.
 *
 * @throws RangeError when `keepLast` is not a positive integer
 */
export function simulateRetention(analysis: Analysis, keepLast: number): RetentionResult {
	if (!Number.isInteger(keepLast) || keepLast < 1) throw new RangeError(`keep-last must be a positive integer, got ${keepLast}`);
	const subsumed: CheckpointAnalysis[] = [];
	for (const job of analysis.jobs) {
		const completed = job.checkpoints
			.filter((cp) => cp.kind === 'checkpoint' && isCompletedByFlink(cp) && cp.checkpointId !== null)
			.sort((a, b) => b.checkpointId! - a.checkpointId! || b.timeMs - a.timeMs);
		subsumed.push(...completed.slice(keepLast));
	}
	const subsumedSet = new Set(subsumed);
	const warnings: string[] = [];
	for (const [jobPath, cp] of newestCompleteCheckpoints(analysis)) {
		if (subsumedSet.has(cp)) {
			warnings.push(
				`${cp.path} is the newest checkpoint of ${jobPath} without missing files: subsumed, the job could only be restored from the newer ones kept, which have missing files`,
			);
		}
	}
	const keep = new ReferenceSet(analysis.checkpoints.filter((cp) => cp.metadataPath !== null && !subsumedSet.has(cp)));
	const unknownJobs = new DirectorySet(unknownReferenceJobs(analysis));
	const files = analysis.scannedFiles;
	const freed = (files instanceof FileTable ? freedByFileId(files, subsumed, keep, unknownJobs) : undefined) ?? freedByPath(files, subsumed, keep, unknownJobs);
	// The keys in the order of `RetentionResult` (the JSON output).
	return {
		keepLast,
		subsumed: subsumed.map((cp) => cp.path).sort(),
		freedBytes: freed.freedBytes,
		freedFiles: freed.freedFiles,
		stillNeeded: freed.stillNeeded,
		warnings,
	};
}

/**
 * {@link Freed} by scan file id: the candidates marked in a byte per scanned file, then asked
 * directory by directory ({@link ReferenceSet.scannedIn}). No path is made per file: on the 1M-file
 * bench tree 750,000 candidates by path (a string, a map entry and three look-ups each) were most
 * of `what-if --keep-last`'s own time. `undefined` when a subsumed snapshot has no entries of the
 * scan's table (a hand-built analysis): {@link freedByPath} then.
 */
function freedByFileId(files: FileTable, subsumed: readonly CheckpointAnalysis[], keep: ReferenceSet, unknownJobs: DirectorySet): Freed | undefined {
	// Entries in `/` have paths `//name` (see `EntryTable.inDirectory`): what the paths tell.
	if ([...files.directories()].includes('/')) return undefined;
	const candidate = new Uint8Array(files.size);
	if (subsumed.length > 0) {
		const under = new DirectorySet(subsumed.map((cp) => cp.path));
		for (const dir of files.directories()) if (under.contains(dir)) files.forEachFile(dir, (_, id) => (candidate[id] = 1));
	}
	let table: EntryTable | undefined;
	let seen = new Uint8Array(0);
	for (const cp of subsumed) {
		const entries = snapshotEntriesOf(cp);
		if (entries === undefined || (table !== undefined && entries.table !== table) || entries.table.scannedFiles !== files) return undefined;
		if (table === undefined) {
			table = entries.table;
			seen = new Uint8Array(table.count);
		}
		const {ids} = entries;
		for (let i = 0; i < ids.length; i++) {
			const id = ids[i];
			if (seen[id] === 1 || !table.isLocal(id) || entries.isDirectory(i)) continue;
			seen[id] = 1;
			const fileId = table.scannedIdOf(id);
			if (fileId >= 0) candidate[fileId] = 1;
		}
	}
	const freed: Freed = {freedBytes: 0, freedFiles: 0, stillNeeded: 0};
	for (const dir of files.directories()) {
		// A file lies in a job directory when its directory does (a job directory is no file).
		const unknown = unknownJobs.contains(dir);
		const needed = keep.scannedIn(dir, files);
		files.forEachFile(dir, (name, id) => {
			if (candidate[id] !== 1) return;
			if (unknown || needed(name, id)) {
				freed.stillNeeded++;
			} else {
				freed.freedFiles++;
				freed.freedBytes += files.sizeOf(id);
			}
		});
	}
	return freed;
}

/** {@link Freed} by path, for scanned files that are not a {@link FileTable} or snapshots without entries. */
function freedByPath(files: ScannedFiles, subsumed: readonly CheckpointAnalysis[], keep: ReferenceSet, unknownJobs: DirectorySet): Freed {
	/** Files that may be freed → size on disk (bytes). */
	const candidates = new Map<string, number>();
	if (subsumed.length > 0) {
		const under = new DirectorySet(subsumed.map((cp) => cp.path));
		for (const [file, st] of files) if (under.contains(parentPath(file))) candidates.set(file, st.size);
	}
	// A file of an incremental checkpoint is one object in every snapshot of its chain: asked once.
	const asked = new Set<ResolvedFile>();
	for (const cp of subsumed) {
		for (const f of cp.files) {
			if (asked.has(f)) continue;
			asked.add(f);
			if (f.path === null || f.handle === 'directory' || candidates.has(f.path)) continue;
			const st = files.get(f.path);
			if (st !== undefined) candidates.set(f.path, st.size);
		}
	}
	const freed: Freed = {freedBytes: 0, freedFiles: 0, stillNeeded: 0};
	for (const [f, size] of candidates) {
		if (keep.has(f) || unknownJobs.contains(f)) {
			freed.stillNeeded++;
			continue;
		}
		freed.freedFiles++;
		freed.freedBytes += size;
	}
	return freed;
}
