/**
 * What `readMetadata` returns besides the model: the flat list of file references the tree analysis
 * works on, and the reader's options and result. Re-exported by `types.ts`.
 */
import type {CheckpointMetadata, ChannelStateLayout} from './types.js';

// ---------------------------------------------------------------------------------------------
// File references: the flat list the tree analysis works on.
// ---------------------------------------------------------------------------------------------

/** How a file reference is stored: tag 2 `file`, tag 6 `relative`, tag 15 `segment`, tag 17 `directory`, tag 1 `inline`. */
export type ReferenceHandle = 'file' | 'relative' | 'segment' | 'directory' | 'inline';

/** Which slot of a subtask (or of the operator / file) a reference sits in. */
export type StateSlot =
	| 'coordinatorState'
	| 'managedOperatorState'
	| 'rawOperatorState'
	| 'managedKeyedState'
	| 'rawKeyedState'
	| 'inputChannelState'
	| 'resultSubpartitionState'
	| 'legacyOperatorState';

/** One file (or directory, or inline blob) a checkpoint refers to. */
export interface FileReference {
	handle: ReferenceHandle;
	/** The path exactly as written in the metadata (for `inline`: the handle's name label). */
	path: string;
	/** Bytes: file size, segment size, inline data length; -1 when unknown; 0 for directories. */
	size: number;
	/** Segments only: byte offset inside the physical file. */
	startPos?: number;
	/** Segments and file-merging directories: `exclusive` or `shared`. */
	scope?: 'exclusive' | 'shared';
	operatorId: string;
	/** `null` for coordinator state. */
	subtaskIndex: number | null;
	slot: StateSlot;
	/**
	 * Where inside the handle: `delegate`, `metaState`, `shared` / `private` (incremental lists),
	 * `materialized` / `changelog`, `channel`, `taskOwnedDirectory` / `sharedDirectory`.
	 */
	role: string;
	/** Incremental handles: the local RocksDB file name (e.g. `000012.sst`). */
	localPath?: string;
}

/** Options of `readMetadata`. */
export interface ReadOptions {
	/** File name used in error messages. */
	fileName?: string;
	/**
	 * Force a channel-state layout instead of detecting it. Default: V3 tries B (Flink 1.12+) then A
	 * (1.11); V2, V4 and V5 use B; V6+ use C.
	 */
	channelLayout?: ChannelStateLayout;
	/** Force a changelog layout instead of detecting it. Default: V3 tries 1.15 then 1.14; other versions use 1.15. */
	changelogLayout?: '1.14' | '1.15';
}

/** Result of `readMetadata`. */
export interface ReadResult {
	metadata: CheckpointMetadata;
	references: FileReference[];
}
