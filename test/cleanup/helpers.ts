/** Small checkpoint trees written with the project's own metadata writer, for the cleanup tests. */
import {mkdirSync, utimesSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {checkpointProperties, writeMetadata} from '../../source/metadata/index.js';
import type {CheckpointProperties, IncrementalRemoteKeyedStateHandle} from '../../source/metadata/types.js';
import {readResult, savepointProps} from '../analysis/helpers.js';
import {tempDir} from '../support/temp.js';

/** An old time: everything written with it is older than any --min-age. */
export const OLD = Date.parse('2026-01-01T00:00:00.000Z');
/** "Now" for plans and executions in the tests. */
export const NOW = Date.parse('2026-06-01T00:00:00.000Z');

/** Job ids of the hand-made trees. */
export const J1 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
export const J2 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2';

/** `_metadata` bytes of a checkpoint whose keyed state references `files` (absolute paths) as tag-2 shared handles. */
export function metadataBytes(checkpointId: number, files: string[], options: {unclaimed?: boolean; savepoint?: boolean} = {}): Uint8Array {
	const props: CheckpointProperties = options.savepoint ? savepointProps : checkpointProperties('RETAIN_ON_CANCELLATION', options.unclaimed ?? false);
	const {metadata} = readResult(checkpointId, [], props);
	const subtask = metadata.operators[0].subtasks[0];
	if (subtask.finished) throw new Error('unexpected finished subtask');
	const keyed = subtask.state.managedKeyedState as IncrementalRemoteKeyedStateHandle;
	keyed.sharedState = files.map((path, i) => ({localPath: `${String(i).padStart(6, '0')}.sst`, handle: {tag: 2, path, size: 16}}));
	keyed.checkpointedSize = 16 * files.length;
	keyed.stateHandleId = `handle-${checkpointId}`;
	return writeMetadata(metadata);
}

/** A temp tree: `file` writes 16 bytes (the size the metadata records), `metadata` writes a `_metadata`. */
export function tree(prefix = 'fcx-cleanup-') {
	const dir = tempDir(prefix);
	const abs = (rel: string): string => join(dir, rel);
	const put = (rel: string, content: Uint8Array, mtimeMs = OLD): string => {
		const p = abs(rel);
		mkdirSync(dirname(p), {recursive: true});
		writeFileSync(p, content);
		utimesSync(p, mtimeMs / 1000, mtimeMs / 1000);
		return p;
	};
	return {
		dir,
		abs,
		/** Write `content` at `rel` (old mtime unless given). */
		put,
		file: (rel: string, mtimeMs = OLD): string => put(rel, new Uint8Array(16).fill(7), mtimeMs),
		/** `<rel>/_metadata` referencing `files` (relative to the tree). */
		metadata: (rel: string, checkpointId: number, files: string[], options: {unclaimed?: boolean; savepoint?: boolean; mtimeMs?: number} = {}): string =>
			put(`${rel}/_metadata`, metadataBytes(checkpointId, files.map(abs), options), options.mtimeMs ?? OLD),
	};
}
