/**
 * Damaged files: referenced files that exist but are shorter than what a snapshot's references
 * need (a truncated upload or copy). Flink writes a file once and records its length in the handle,
 * so a file shorter than that cannot be restored from; a longer one is fine (docs/format.md#state-handles).
 */
import type {ReferenceHandle} from '../metadata/types.js';
import type {DamagedFile} from './types.js';

/**
 * The bytes a file must hold for a snapshot's references to it, or -1 when they do not tell
 * (file-merging directories, a size of -1). `handle`: the first reference's; `size`: the largest
 * size of the references (`Dependency` bytes); `segmentNeeds`: segment handles only, their
 * {@link segmentEnd}.
 * - whole-file handles (`file`, `relative`: FileStateHandle, RelativeFileStateHandle): their state
 *   size, which Flink sets to the bytes written to the file. The key-group offsets of keyed-state
 *   handles, the partition offsets of operator-state handles and the offsets of channel-state and
 *   changelog handles all point into such a delegate, so its size covers them;
 * - segment handles (file merging, SegmentFileStateHandle): the furthest `startPos + size`.
 */
export function neededBytes(handle: ReferenceHandle, size: number, segmentNeeds: number | undefined): number {
	if (handle === 'segment') return segmentNeeds ?? -1;
	return (handle === 'file' || handle === 'relative') && size >= 0 ? size : -1;
}

/** The furthest byte the segments of one file reach (`startPos:size` keys, see `addReference`); -1 when none tells. */
export function segmentEnd(segments: Iterable<string>): number {
	let end = -1;
	for (const key of segments) {
		const colon = key.indexOf(':');
		const start = Number(key.slice(0, colon));
		const size = Number(key.slice(colon + 1));
		if (start >= 0 && size >= 0 && start + size > end) end = start + size;
	}

	return end;
}

/** What {@link DamageTracker.list} needs to know of an entry (a referenced local file). */
export interface DamagedEntryFacts {
	path: string;
	uri: string;
	actualBytes: number;
}

/** Collects the damaged files while the snapshots are analysed: by entry id, the most bytes needed and by whom. */
export class DamageTracker {
	private readonly byEntry = new Map<number, {expectedBytes: number; referencedBy: string[]}>();

	/** Snapshot `dir` needs `neededBytes` of entry `id`, more than it holds. */
	add(id: number, neededBytes: number, dir: string): void {
		const known = this.byEntry.get(id);
		if (known === undefined) {
			this.byEntry.set(id, {expectedBytes: neededBytes, referencedBy: [dir]});
		} else {
			known.expectedBytes = Math.max(known.expectedBytes, neededBytes);
			if (!known.referencedBy.includes(dir)) known.referencedBy.push(dir);
		}
	}

	/** The damaged files, sorted by path (`facts`: an entry's path, written path and size on disk). */
	list(facts: (id: number) => DamagedEntryFacts): DamagedFile[] {
		const out: DamagedFile[] = [];
		for (const [id, {expectedBytes, referencedBy}] of this.byEntry) {
			const {path, uri, actualBytes} = facts(id);
			out.push({path, uri, expectedBytes, actualBytes, referencedBy: referencedBy.sort()});
		}
		return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	}
}
