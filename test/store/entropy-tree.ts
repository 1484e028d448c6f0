/**
 * A small tree as Flink writes it with entropy injection (`s3.entropy.key`): configured
 * `state.checkpoints.dir: s3://<bucket>/_entropy_/flink/cp`, each `_metadata` at the entropy-free
 * path (`flink/cp/<job>/chk-<n>/_metadata`) and every state file below a random 4-character
 * prefix in place of the key (`Ab3x/flink/cp/<job>/shared/<uuid>`), referenced by that absolute
 * path (with entropy, exclusive files are absolute handles too). Written into a local directory
 * laid out as the bucket (relative paths are object keys), for {@link uploadTree}.
 */
import {mkdirSync, readdirSync, utimesSync, writeFileSync} from 'node:fs';
import * as nodePath from 'node:path';
import {writeMetadata} from '../../source/metadata/index.js';
import type {FileStateHandle, HandleAndLocalPath} from '../../source/metadata/types.js';
import {readResult} from '../analysis/helpers.js';
import {uploadTree, type S3rver} from './s3rver.js';

/** The job of the tree. */
export const ENTROPY_JOB = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** The random prefixes the state files are below (Flink's `s3.entropy.length` 4). */
export const ENTROPY_PREFIXES = ['Ab3x', 'q9Zk', '7Tmw', 'Xy01'];
/** The entropy-free root below the bucket. */
export const ENTROPY_ROOT_KEY = 'flink/cp';
const T0 = Date.parse('2026-11-01T10:00:00Z');

/**
 * Write the tree into `dir` (the bucket's layout): chk-3 and chk-4 of one job, incremental, chk-4
 * sharing chk-3's first SST. Every state file is referenced, except one day-old leftover below the
 * entropy-free root's `shared/`.
 *
 * @returns the object keys written, `_metadata` files first.
 */
export function writeEntropyTree(dir: string, bucket: string): string[] {
	const keys: string[] = [];
	const put = (key: string, bytes: Uint8Array, mtimeMs: number): void => {
		const file = nodePath.join(dir, key);
		mkdirSync(nodePath.dirname(file), {recursive: true});
		writeFileSync(file, bytes);
		utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
		keys.push(key);
	};
	let n = 0;
	/** A state file below the next prefix, `<root>/<job>/<sub>/<name>`; its handle. */
	const state = (sub: string, name: string, mtimeMs: number): FileStateHandle => {
		const prefix = ENTROPY_PREFIXES[n++ % ENTROPY_PREFIXES.length];
		const key = `${prefix}/${ENTROPY_ROOT_KEY}/${ENTROPY_JOB}/${sub}/${name}`;
		const bytes = Buffer.from(`state ${name}\n`);
		put(key, bytes, mtimeMs);
		return {tag: 2, path: `s3://${bucket}/${key}`, size: bytes.length};
	};
	const sst1 = state('shared', '5f0e9a7c-0000-4000-8000-000000000001', T0);
	const metadataFiles: {key: string; bytes: Uint8Array; mtimeMs: number}[] = [];
	for (const checkpoint of [3, 4]) {
		const mtimeMs = T0 + (checkpoint - 3) * 60_000;
		const shared: HandleAndLocalPath[] = [{localPath: '000009.sst', handle: sst1}];
		if (checkpoint === 4) shared.push({localPath: '000012.sst', handle: state('shared', '5f0e9a7c-0000-4000-8000-000000000002', mtimeMs)});
		const privateState: HandleAndLocalPath[] = [
			{localPath: 'MANIFEST-000004', handle: state(`chk-${checkpoint}`, `5f0e9a7c-0000-4000-8000-00000000010${checkpoint}`, mtimeMs)},
		];
		const {metadata} = readResult(checkpoint, []);
		const subtask = metadata.operators[0].subtasks[0];
		const keyed = 'state' in subtask ? subtask.state.managedKeyedState : null;
		if (keyed?.tag !== 11) throw new Error('readResult changed: no incremental keyed state');
		Object.assign(keyed, {sharedState: shared, privateState, checkpointedSize: 100, stateHandleId: `handle-${checkpoint}`});
		metadataFiles.push({key: `${ENTROPY_ROOT_KEY}/${ENTROPY_JOB}/chk-${checkpoint}/_metadata`, bytes: writeMetadata(metadata), mtimeMs});
	}
	// Not referenced, below the entropy-free root (as a writer without entropy would leave it): an orphan only when the entropy prefixes are listed.
	put(`${ENTROPY_ROOT_KEY}/${ENTROPY_JOB}/shared/5f0e9a7c-0000-4000-8000-0000000000ff`, Buffer.from('leftover\n'), T0 - 86_400_000);
	const stateKeys = keys.splice(0);
	for (const m of metadataFiles) put(m.key, m.bytes, m.mtimeMs);
	return [...keys, ...stateKeys];
}

/** Upload the tree written by {@link writeEntropyTree} in `dir` into `bucket` (each top-level directory as its prefix). */
export async function uploadEntropyTree(server: S3rver, dir: string, bucket: string): Promise<void> {
	for (const top of readdirSync(dir)) await uploadTree(server, nodePath.join(dir, top), bucket, top);
}
