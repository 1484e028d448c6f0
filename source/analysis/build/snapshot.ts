/** A `_metadata` file as the build takes it, and its kind. */
import type {ApproximateReference} from '../../metadata/approximate.js';
import type {ReadResult} from '../../metadata/types.js';
import {isSavepointLocation, parentPath} from '../../tree/layout.js';
import type {OperatorSummary} from '../types.js';

/** One `_metadata` file as loaded by `analyse` (or built by hand in tests). */
export interface LoadedSnapshot {
	/** Absolute path of the `_metadata` file; its directory is the snapshot directory. */
	metadataPath: string;
	/** The parsed file; absent when it could not be read. */
	result?: ReadResult;
	/** Why it could not be read (parse error message). */
	error?: string;
	/** For unreadable files: path-like strings found in the bytes (approximate, display only). */
	approximate?: ApproximateReference[];
	/** mtime of `_metadata`, ms. */
	mtimeMs: number;
	/** Size of `_metadata`, bytes. */
	size: number;
	/**
	 * The operator summaries, when computed at load time (`analyse` does, then empties
	 * `result.metadata.operators`: the state handles of thousands of snapshots need not stay in
	 * memory together); their `bytes` are summed again from the references when the snapshot is
	 * added (see {@link OperatorBytes}). Absent: computed from `result`.
	 */
	operators?: OperatorSummary[];
}

/**
 * Checkpoint or savepoint: `properties.checkpointType.kind` when present (format version 4+), else by
 * the directory ({@link isSavepointLocation}: `savepoint-…`, or below a `savepoints` directory).
 */
export function snapshotKind(metadataPath: string, result: ReadResult | undefined): 'checkpoint' | 'savepoint' {
	const props = result?.metadata.trailer?.properties ?? null;
	if (props?.checkpointType != null) return props.checkpointType.kind;
	return isSavepointLocation(parentPath(metadataPath)) ? 'savepoint' : 'checkpoint';
}
