/**
 * The files of each checkpoint in the order of the JSON report (`sortByPath` by `path ?? uri`), one
 * file at a time: a million-file tree's resolved files are never all in memory at once.
 */
import {checkpointFileSource, type CheckpointAnalysis, type CheckpointFileSource, type ResolvedFile} from '../analysis/index.js';
import {sortByPath, sortByPathInPlace} from '../text/index.js';

/**
 * The rank of every file key of a report in the order of `sortByPath` (equal keys share a rank):
 * by entry id for files with a local path (the entry's path is their key), by key for the others.
 */
export interface FileRanks {
	/** Rank + 1 by entry id (0: not a local file's entry). */
	byEntry: Int32Array;
	byKey: Map<string, number>;
}

/** The distinct keys of the files of `checkpoints`, each with its entry id (-1: ranked by key). */
function distinctKeys(checkpoints: readonly CheckpointAnalysis[]): {keys: string[]; ids: number[]} {
	const keys: string[] = [];
	const ids: number[] = [];
	// Entry ids are dense: a byte per id (a set of a million numbers costs more to probe).
	let localIds = new Uint8Array(1024);
	const otherKeys = new Set<string>();
	const addOther = (key: string): void => {
		if (!otherKeys.has(key)) {
			otherKeys.add(key);
			keys.push(key);
			ids.push(-1);
		}
	};

	for (const checkpoint of checkpoints) {
		const source = checkpointFileSource(checkpoint);
		if (source === undefined) {
			for (const file of checkpoint.files) {
				addOther(file.path ?? file.uri);
			}

			continue;
		}

		for (let i = 0; i < source.count; i++) {
			const id = source.entryId(i);
			if (id < localIds.length && localIds[id] === 1) {
				continue;
			}

			const {key, local} = source.sortKey(i);
			if (local) {
				if (id >= localIds.length) {
					const grown = new Uint8Array(Math.max(id + 1, localIds.length * 2));
					grown.set(localIds);
					localIds = grown;
				}

				localIds[id] = 1;
				keys.push(key);
				ids.push(id);
			} else {
				addOther(key);
			}
		}
	}

	return {keys, ids};
}

/**
 * The ranks of the file keys of `checkpoints`. Incremental checkpoints share most of their files,
 * so sorting the distinct keys once and each checkpoint's files by rank is much cheaper than
 * sorting every list by path; the sorted keys are dropped before any file is written.
 */
export function fileRanks(checkpoints: readonly CheckpointAnalysis[]): FileRanks {
	const {keys, ids} = distinctKeys(checkpoints);
	const order = sortByPathInPlace(
		keys.map((_, i) => i),
		(i) => keys[i],
	);
	let maxId = -1;
	for (const id of ids) {
		maxId = Math.max(maxId, id);
	}

	const byEntry = new Int32Array(maxId + 1);
	const byKey = new Map<string, number>();
	let rank = 0;
	let previous: string | undefined;
	for (const i of order) {
		const key = keys[i];
		if (key !== previous) {
			rank++;
			previous = key;
		}

		if (ids[i] >= 0) {
			byEntry[ids[i]] = rank;
		}

		// A local file's key may equal another file's: both get the rank (the lookup goes by entry first).
		if (ids[i] < 0) {
			byKey.set(key, rank);
		}
	}

	return {byEntry, byKey};
}

/** Positions in the list of keys below 2^22; beyond, a checkpoint's files are sorted by path. */
const POSITIONS = 4_194_304;

/** The rank of file `i` of `source` (built the first time or not at all). */
function rankAt(source: CheckpointFileSource, i: number, ranks: FileRanks): number {
	const id = source.entryId(i);
	const rank = id < ranks.byEntry.length ? ranks.byEntry[id] : 0;
	return rank > 0 ? rank : ranks.byKey.get(source.sortKey(i).key)!;
}

/** A checkpoint's files in report order: `count` of them, the `k`th by `at(k)`. */
export interface OrderedFiles {
	readonly count: number;
	at(k: number): ResolvedFile;
}

/**
 * The files of `checkpoint` in the order of `sortByPath` by `path ?? uri` (a stable sort), from
 * `ranks` (of a list of checkpoints that holds it). Files from the build's source are made when
 * asked for and not kept.
 */
export function orderedFiles(checkpoint: CheckpointAnalysis, ranks: FileRanks): OrderedFiles {
	const source = checkpointFileSource(checkpoint);
	if (source === undefined) {
		const files = checkpoint.files;
		if (files.length >= POSITIONS) {
			const sorted = sortByPath(files, (file) => file.path ?? file.uri);
			return {count: sorted.length, at: (k) => sorted[k]};
		}

		const positions = sortedPositions(files.length, (i) => ranks.byKey.get(files[i].path ?? files[i].uri)!);
		return {count: files.length, at: (k) => files[positions[k]]};
	}

	const n = source.count;
	const positions =
		n < POSITIONS
			? sortedPositions(n, (i) => rankAt(source, i, ranks))
			: sortByPathInPlace(
					Array.from({length: n}, (_, i) => i),
					(i) => source.sortKey(i).key,
				);
	return {count: n, at: (k) => source.fileAt(positions[k])};
}

/** The positions `0 … n-1` sorted by `rankOf` (ties in position order). */
function sortedPositions(n: number, rankOf: (i: number) => number): Int32Array {
	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		// Rank in the high part, position in the low part: distinct keys, so the order is stable.
		keys[i] = rankOf(i) * POSITIONS + i;
	}

	keys.sort();
	const out = new Int32Array(n);
	for (let i = 0; i < n; i++) {
		out[i] = keys[i] % POSITIONS;
	}

	return out;
}
