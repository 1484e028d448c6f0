/** Hand-built trees and references for the analysis tests. */
import {mkdirSync, utimesSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import type {LoadedSnapshot} from '../../source/analysis/build.js';
import type {CheckpointProperties, FileReference, OperatorState, ReadResult} from '../../source/metadata/types.js';
import {tempDir} from '../support/temp.js';

export const OP = 'aaaabbbbccccddddaaaabbbbccccdddd';

/** A temp directory; `put` writes a file of `size` bytes with mtime `mtimeMs`. */
export function tempTree(prefix: string): {dir: string; put: (rel: string, size: number, mtimeMs?: number) => string; mkdir: (rel: string) => string} {
	const dir = tempDir(prefix);
	return {
		dir,
		put(rel, size, mtimeMs) {
			const p = join(dir, rel);
			mkdirSync(dirname(p), {recursive: true});
			writeFileSync(p, Buffer.alloc(size, 7));
			if (mtimeMs !== undefined) utimesSync(p, mtimeMs / 1000, mtimeMs / 1000);
			return p;
		},
		mkdir(rel) {
			const p = join(dir, rel);
			mkdirSync(p, {recursive: true});
			return p;
		},
	};
}

/** A file reference of the keyed state of subtask 0 of {@link OP}. */
export function ref(handle: FileReference['handle'], path: string, size: number, extra: Partial<FileReference> = {}): FileReference {
	return {handle, path, size, operatorId: OP, subtaskIndex: 0, slot: 'managedKeyedState', role: handle === 'file' ? 'shared' : 'private', ...extra};
}

const checkpointProps: CheckpointProperties = {
	checkpointType: {kind: 'checkpoint', name: 'Checkpoint', sharingFilesStrategy: 'FORWARD_BACKWARD'},
	forced: false,
	discardSubsumed: true,
	discardFinished: true,
	discardCancelled: true,
	discardFailed: true,
	discardSuspended: true,
};

/** Properties of a (native) savepoint. */
export const savepointProps: CheckpointProperties = {
	checkpointType: {kind: 'savepoint', name: 'Savepoint', postCheckpointAction: 'NONE', formatType: 'NATIVE'},
	forced: true,
	discardSubsumed: false,
	discardFinished: false,
	discardCancelled: false,
	discardFailed: false,
	discardSuspended: false,
};

/** A V5 read result with one operator (one subtask, incremental keyed state). */
export function readResult(checkpointId: number, references: FileReference[], properties: CheckpointProperties | null = checkpointProps): ReadResult {
	const operator: OperatorState = {
		operatorId: OP,
		name: 'KeyedProcess',
		uid: 'proc',
		parallelism: 1,
		maxParallelism: 128,
		coordinatorState: null,
		fullyFinished: false,
		subtasks: [
			{
				subtaskIndex: 0,
				finished: false,
				state: {
					managedOperatorState: {tag: 4, states: [{name: 'SourceReaderState', distributionMode: 0, offsets: [0]}], delegate: null},
					rawOperatorState: null,
					managedKeyedState: {
						tag: 11,
						checkpointId,
						backendId: 'b',
						keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128},
						metaState: null,
						sharedState: [],
						privateState: [],
					},
					rawKeyedState: null,
					inputChannelState: [],
					resultSubpartitionState: [],
				},
			},
		],
	};
	return {
		metadata: {
			version: 5,
			checkpointId,
			masterStates: [],
			operators: [operator],
			trailer: {properties},
			layout: {channelState: 'B', changelog: '1.15'},
		},
		references,
	};
}

/** A loaded snapshot for `<dir>/_metadata` (the file must exist in the tree for the scan). */
export function loaded(dir: string, result: ReadResult | undefined, mtimeMs: number, error?: string): LoadedSnapshot {
	const l: LoadedSnapshot = {metadataPath: join(dir, '_metadata'), mtimeMs, size: 10};
	if (result) l.result = result;
	if (error !== undefined) l.error = error;
	return l;
}
