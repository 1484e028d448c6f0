/**
 * The one place where a file reference ({@link FileReference}) is made: the handle parser fills a
 * sink while it reads the bytes (`readMetadata`, `readReferences`), and `collectReferences` fills
 * one while it walks a model. Both set the context (operator, subtask, slot, role, local path) and
 * then name the handle that refers to a file (docs/format.md#paths-in-the-metadata).
 */
import type {FileReference, ReferenceHandle, StateSlot} from './read-types.js';
import type {I64} from './types.js';

function num(v: I64): number {
	return typeof v === 'number' ? v : Number(v);
}

/** Collects the references of one file, in file order, with the context they are found in. */
export class ReferenceSink {
	/** The references so far. */
	readonly out: FileReference[] = [];
	operatorId = '';
	/** `null` for coordinator state. */
	subtaskIndex: number | null = null;
	slot: StateSlot = 'coordinatorState';
	/** Role of the references of the next stream handle (see {@link FileReference.role}). */
	role = 'delegate';
	/** Local file name of the next stream handle (entries of an incremental handle's lists). */
	localPath: string | undefined = undefined;
	/** Below a changelog backend handle (tags 8/14): the role of every reference, by the list it is in. */
	outerRole: string | undefined = undefined;

	/** Set {@link role} (unless below a changelog backend handle) and {@link localPath} for the next stream handle. */
	next(role: string, localPath?: string): void {
		this.role = this.outerRole ?? role;
		this.localPath = localPath;
	}

	private push(handle: ReferenceHandle, path: string, size: number, role: string, localPath: string | undefined): FileReference {
		// Two literals rather than adding `localPath` later: adding a property to a literal's object
		// allocates an out-of-object property store for every reference.
		const ref: FileReference =
			localPath === undefined
				? {handle, path, size, operatorId: this.operatorId, subtaskIndex: this.subtaskIndex, slot: this.slot, role}
				: {handle, path, size, operatorId: this.operatorId, subtaskIndex: this.subtaskIndex, slot: this.slot, role, localPath};
		this.out.push(ref);
		return ref;
	}

	/** Tag 1: the handle's name label, the inline data's length in bytes. */
	inline(name: string, length: number): void {
		this.push('inline', name, length, this.role, this.localPath);
	}

	/** Tag 2: an absolute path; `size` in bytes, -1 if unknown. */
	file(path: string, size: I64): void {
		this.push('file', path, num(size), this.role, this.localPath);
	}

	/** Tag 6: a path relative to the directory that holds `_metadata`. */
	relative(relativePath: string, size: I64): void {
		this.push('relative', relativePath, num(size), this.role, this.localPath);
	}

	/** Tag 15: bytes `[startPos, startPos + size)` of a physical file; `scope` 1 is shared, else exclusive. */
	segment(physicalFilePath: string, size: I64, startPos: I64, scope: number): void {
		const ref = this.push('segment', physicalFilePath, num(size), this.role, this.localPath);
		ref.startPos = num(startPos);
		ref.scope = scope === 1 ? 'shared' : 'exclusive';
	}

	/** Tag 17: its two file-merging directories (size 0). */
	directories(taskOwnedDirectory: string, sharedDirectory: string): void {
		this.push('directory', taskOwnedDirectory, 0, 'taskOwnedDirectory', undefined).scope = 'exclusive';
		this.push('directory', sharedDirectory, 0, 'sharedDirectory', undefined).scope = 'shared';
	}
}
