/**
 * The file references an analysis keeps for display (the first reference of each file of each
 * snapshot), as columns by reference id. A big tree keeps a million: an object each was a million
 * objects for the garbage collector to copy while the `_metadata` files load, and 100 MB of peak
 * memory on the 1M-file bench tree.
 */
import type {FileReference, ReferenceHandle, StateSlot} from '../metadata/types.js';
import {GrowingColumns, withCapacity, withSlots} from '../tree/columns.js';

const HANDLES: readonly ReferenceHandle[] = ['file', 'relative', 'segment', 'directory', 'inline'];
const SLOTS: readonly StateSlot[] = [
	'coordinatorState',
	'managedOperatorState',
	'rawOperatorState',
	'managedKeyedState',
	'rawKeyedState',
	'inputChannelState',
	'resultSubpartitionState',
	'legacyOperatorState',
];
const HANDLE_CODE = new Map(HANDLES.map((h, i) => [h, i]));
const SLOT_CODE = new Map(SLOTS.map((s, i) => [s, i]));

/** {@link KeptReferences.scope} codes. */
const NO_SCOPE = 0;
const EXCLUSIVE = 1;
const SHARED = 2;

function scopeCode(scope: FileReference['scope']): number {
	return scope === undefined ? NO_SCOPE : scope === 'exclusive' ? EXCLUSIVE : SHARED;
}

/** Strings that repeat (operator ids, roles) by code `0 … n - 1`. */
class Interned {
	readonly values: string[] = [];
	private readonly codes = new Map<string, number>();
	/** The last string coded and its code: the references of an operator come one after the other. */
	private last: string | undefined;
	private lastCode = -1;

	code(value: string): number {
		if (value === this.last) return this.lastCode;
		let code = this.codes.get(value);
		if (code === undefined) {
			code = this.values.length;
			this.values.push(value);
			this.codes.set(value, code);
		}
		this.last = value;
		this.lastCode = code;
		return code;
	}
}

/**
 * References by id `0 … count - 1`, each with every field of a {@link FileReference}. Paths are
 * kept as given (the caller passes shared or flat ones: a slice of a file's text would keep the
 * whole text in memory); operator ids and roles once each, as codes.
 */
export class KeptReferences extends GrowingColumns {
	/** Index in {@link HANDLES}. */
	private handle = new Uint8Array(0);
	/** Index in {@link SLOTS}. */
	private slot = new Uint8Array(0);
	private scope = new Uint8Array(0);
	/** -1: `null` (coordinator state). */
	private subtaskIndex = new Int32Array(0);
	/** Bytes. */
	private size = new Float64Array(0);
	/** Bytes; NaN: none (not a segment). Made with the first segment (most trees have none: 8 bytes per reference kept); `null` before. */
	private startPos: Float64Array | null = null;
	/** Codes in {@link operatorIds} and {@link roles}. */
	private operatorId = new Int32Array(0);
	private role = new Int32Array(0);
	private readonly operatorIds = new Interned();
	private readonly roles = new Interned();
	private path: string[] = [];
	private localPath: (string | undefined)[] = [];

	/** Keep `ref`; returns its id. */
	add(ref: FileReference): number {
		const id = this.takeId();
		this.handle[id] = HANDLE_CODE.get(ref.handle)!;
		this.slot[id] = SLOT_CODE.get(ref.slot)!;
		this.scope[id] = scopeCode(ref.scope);
		this.subtaskIndex[id] = ref.subtaskIndex ?? -1;
		this.size[id] = ref.size;
		if (ref.startPos !== undefined || this.startPos !== null) this.startPosColumn()[id] = ref.startPos ?? Number.NaN;
		this.operatorId[id] = this.operatorIds.code(ref.operatorId);
		this.role[id] = this.roles.code(ref.role);
		this.path[id] = ref.path;
		this.localPath[id] = ref.localPath;
		return id;
	}

	protected grow(capacity: number): void {
		this.path = withSlots(this.path, capacity, this.count);
		this.localPath = withSlots(this.localPath, capacity, this.count);
		this.handle = withCapacity(this.handle, capacity);
		this.slot = withCapacity(this.slot, capacity);
		this.scope = withCapacity(this.scope, capacity);
		this.subtaskIndex = withCapacity(this.subtaskIndex, capacity);
		this.size = withCapacity(this.size, capacity);
		if (this.startPos !== null) this.startPos = withCapacity(this.startPos, capacity);
		this.operatorId = withCapacity(this.operatorId, capacity);
		this.role = withCapacity(this.role, capacity);
	}

	/** The start position of reference `id` (NaN: none). */
	private startPosOf(id: number): number {
		return this.startPos === null ? Number.NaN : this.startPos[id];
	}

	/** The start-position column, made (NaN for every reference so far, as long as the others) when missing. */
	private startPosColumn(): Float64Array {
		return (this.startPos ??= new Float64Array(this.handle.length).fill(Number.NaN));
	}

	/** Whether reference `id` equals `ref` in every field. */
	equals(id: number, ref: FileReference): boolean {
		return (
			HANDLES[this.handle[id]] === ref.handle &&
			this.path[id] === ref.path &&
			this.size[id] === ref.size &&
			(ref.startPos === undefined ? Number.isNaN(this.startPosOf(id)) : this.startPosOf(id) === ref.startPos) &&
			this.scope[id] === scopeCode(ref.scope) &&
			this.operatorIds.values[this.operatorId[id]] === ref.operatorId &&
			this.subtaskIndex[id] === (ref.subtaskIndex ?? -1) &&
			SLOTS[this.slot[id]] === ref.slot &&
			this.roles.values[this.role[id]] === ref.role &&
			this.localPath[id] === ref.localPath
		);
	}

	/** The handle of reference `id`. */
	handleOf(id: number): ReferenceHandle {
		return HANDLES[this.handle[id]];
	}

	/** The path of reference `id`, as written (relative handles: the name). */
	pathOf(id: number): string {
		return this.path[id];
	}

	/** Reference `id` as a new object (the fields of the one kept; optional ones only when set). */
	reference(id: number): FileReference {
		const subtaskIndex = this.subtaskIndex[id];
		const ref: FileReference = {
			handle: HANDLES[this.handle[id]],
			path: this.path[id],
			size: this.size[id],
			operatorId: this.operatorIds.values[this.operatorId[id]],
			subtaskIndex: subtaskIndex < 0 ? null : subtaskIndex,
			slot: SLOTS[this.slot[id]],
			role: this.roles.values[this.role[id]],
		};
		const startPos = this.startPosOf(id);
		if (!Number.isNaN(startPos)) ref.startPos = startPos;
		const scope = this.scope[id];
		if (scope !== NO_SCOPE) ref.scope = scope === EXCLUSIVE ? 'exclusive' : 'shared';
		const localPath = this.localPath[id];
		if (localPath !== undefined) ref.localPath = localPath;
		return ref;
	}
}
