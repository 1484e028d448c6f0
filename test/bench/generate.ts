/**
 * Input generators of the benchmark (`npm run bench`), written with the project's own
 * `writeMetadata`: one big incremental RocksDB `_metadata` and a big checkpoint tree.
 * Everything is deterministic (a seeded PRNG makes the UUIDs), so a cached copy can be reused.
 */
import {closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {checkpointProperties, writeMetadata} from '../../source/metadata/index.js';
import type {CheckpointMetadata, HandleAndLocalPath, IncrementalRemoteKeyedStateHandle, OperatorState, SubtaskEntry} from '../../source/metadata/types.js';

/** Remote checkpoint base written into the metadata; the local tree mirrors `<base>/<jobId>/…`. */
export const CHECKPOINTS_URI = 'hdfs://namenode.prod.example.com:8020/flink/checkpoints';

/** xorshift32: fast, deterministic. */
export class Prng {
	private s: number;
	constructor(seed: number) {
		this.s = seed >>> 0 || 0x9e3779b9;
	}

	next(): number {
		let x = this.s;
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		this.s = x >>> 0;
		return this.s;
	}

	hex(n: number): string {
		let s = '';
		while (s.length < n) s += this.next().toString(16).padStart(8, '0');
		return s.slice(0, n);
	}

	uuid(): string {
		const h = this.hex(32);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
	}
}

function sst(index: number): string {
	return `${String(index).padStart(6, '0')}.sst`;
}

/** One subtask's tag-11 handle. `shared` = (local name, remote uuid) pairs. */
function incrementalHandle(
	rng: Prng,
	jobDir: string,
	checkpointId: number,
	backendId: string,
	keyGroupRange: {startKeyGroup: number; numberOfKeyGroups: number},
	shared: {name: string; uuid: string; size: number}[],
	privateFiles: {name: string; uuid: string; size: number}[],
): IncrementalRemoteKeyedStateHandle {
	const sharedState: HandleAndLocalPath[] = shared.map((f) => ({localPath: f.name, handle: {tag: 2, size: f.size, path: `${jobDir}/shared/${f.uuid}`}}));
	const privateState: HandleAndLocalPath[] = privateFiles.map((f) => ({
		localPath: f.name,
		handle: {tag: 2, size: f.size, path: `${jobDir}/chk-${checkpointId}/${f.uuid}`},
	}));
	const meta = new Uint8Array(96);
	for (let i = 0; i < meta.length; i++) meta[i] = rng.next() & 0xff;
	return {
		tag: 11,
		checkpointId,
		backendId,
		keyGroupRange,
		checkpointedSize: shared.reduce((sum, f) => sum + f.size, 0),
		metaState: {tag: 1, name: `meta-${backendId}`, data: meta},
		sharedState,
		privateState,
		stateHandleId: rng.uuid(),
	};
}

function sourceOperator(rng: Prng, parallelism: number): OperatorState {
	const subtasks: SubtaskEntry[] = [];
	for (let i = 0; i < parallelism; i++) {
		subtasks.push({
			subtaskIndex: i,
			finished: false,
			state: {
				managedOperatorState: {
					tag: 4,
					states: [{name: 'SourceReaderState', distributionMode: 0, offsets: [0]}],
					delegate: {tag: 1, name: `source-${i}-${rng.hex(8)}`, data: new Uint8Array(40)},
				},
				rawOperatorState: null,
				managedKeyedState: null,
				rawKeyedState: null,
				inputChannelState: [],
				resultSubpartitionState: [],
			},
		});
	}
	return {
		name: 'Source: Kafka Source',
		uid: 'kafka-source',
		operatorId: rng.hex(32),
		parallelism,
		maxParallelism: 32768,
		coordinatorState: {tag: 1, name: 'coordinator', data: new Uint8Array(64)},
		fullyFinished: false,
		subtasks,
	};
}

function keyGroupRange(subtask: number, parallelism: number, maxParallelism: number): {startKeyGroup: number; numberOfKeyGroups: number} {
	const start = Math.floor((subtask * maxParallelism + parallelism - 1) / parallelism);
	const end = Math.floor(((subtask + 1) * maxParallelism - 1) / parallelism);
	return {startKeyGroup: start, numberOfKeyGroups: end - start + 1};
}

/**
 * Task a: one incremental RocksDB checkpoint, format 6, `subtasks` × `ssts` shared SSTs (tag 2,
 * `<base>/<jobId>/shared/<uuid>`) plus MANIFEST/OPTIONS/CURRENT as private tag-2 files in `chk-n/`.
 */
export function bigMetadataModel(subtasks = 256, ssts = 400): CheckpointMetadata {
	const rng = new Prng(42);
	const jobId = rng.hex(32);
	const jobDir = `${CHECKPOINTS_URI}/${jobId}`;
	const checkpointId = 1234;
	const maxParallelism = 32768;
	const entries: SubtaskEntry[] = [];
	for (let i = 0; i < subtasks; i++) {
		const shared = Array.from({length: ssts}, (_, k) => ({name: sst(1000 + k * 3), uuid: rng.uuid(), size: 20_000_000 + (rng.next() % 50_000_000)}));
		const privateFiles = ['MANIFEST-000004', 'OPTIONS-000007', 'CURRENT'].map((name) => ({name, uuid: rng.uuid(), size: 100 + (rng.next() % 5000)}));
		entries.push({
			subtaskIndex: i,
			finished: false,
			state: {
				managedOperatorState: null,
				rawOperatorState: null,
				managedKeyedState: incrementalHandle(rng, jobDir, checkpointId, rng.uuid(), keyGroupRange(i, subtasks, maxParallelism), shared, privateFiles),
				rawKeyedState: null,
				inputChannelState: [],
				resultSubpartitionState: [],
			},
		});
	}
	const window: OperatorState = {
		name: 'Window(TumblingEventTimeWindows(60000), EventTimeTrigger, AggregateFunction)',
		uid: 'window-agg',
		operatorId: rng.hex(32),
		parallelism: subtasks,
		maxParallelism,
		coordinatorState: null,
		fullyFinished: false,
		subtasks: entries,
	};
	return {
		version: 6,
		checkpointId,
		masterStates: [],
		operators: [sourceOperator(rng, subtasks), window],
		trailer: {properties: checkpointProperties()},
		layout: {channelState: 'C', changelog: '1.15'},
	};
}

/** Shape of the big tree (task b). Defaults give ≈1,000,000 files at scale 1. */
export interface TreeShape {
	jobs: number;
	/** Retained checkpoints per job. */
	retained: number;
	parallelism: number;
	/** SSTs each subtask references per checkpoint. */
	live: number;
	/** SSTs each subtask uploads per checkpoint (and drops from its live set). */
	churn: number;
	/** Unreferenced SSTs per subtask left in shared/ (leftovers of a subsumed checkpoint). */
	orphans: number;
}

export function treeShape(scale: number): TreeShape {
	return {jobs: Math.max(1, Math.round(200 * scale)), retained: 10, parallelism: 10, live: 120, churn: 40, orphans: 2};
}

/** Files the tree will hold. */
export function treeFileCount(s: TreeShape): number {
	const perJob = s.retained * (1 + 2 * s.parallelism) + s.parallelism * (s.live + (s.retained - 1) * s.churn + s.orphans);
	return s.jobs * perJob;
}

/** A size in the metadata for an SST of the bench tree, bytes. */
function sstSize(rng: Prng): number {
	return 20_000_000 + (rng.next() % 50_000_000);
}

/** Version of {@link generateTree}'s output, part of the cached tree's name: a changed generator makes a new tree. */
export const TREE_VERSION = 3;

/**
 * Create `file` as a sparse file of `size` bytes: the analysis checks each referenced file's size
 * against its metadata (a shorter one is damaged), and holes cost no disk.
 */
function touch(file: string, size = 0): void {
	const fd = openSync(file, 'w');
	if (size > 0) ftruncateSync(fd, size);
	closeSync(fd);
}

/**
 * Task b: `<root>/<jobId>/{shared/<uuid>, chk-<n>/{_metadata, <uuid>…}}` for every job; sparse
 * state files (the tree is about counts) of the sizes in the metadata, real ones (20-70 MB SSTs,
 * a few KB of private files): the analysis sums them per file and operator, and sizes of 0 would
 * skip that work. `onJob` reports progress.
 */
export function generateTree(root: string, s: TreeShape, onJob: (done: number, files: number) => void, options: {smallFiles?: boolean} = {}): number {
	// Small files (1-64 bytes, same names and structure) for a tree uploaded to a local S3 server.
	const sized = (size: number): number => (options.smallFiles === true ? 1 + (size % 64) : size);
	if (existsSync(root)) rmSync(root, {recursive: true, force: true});
	mkdirSync(root, {recursive: true});
	const rng = new Prng(7);
	let files = 0;
	const firstId = 20;
	for (let j = 0; j < s.jobs; j++) {
		const jobId = rng.hex(32);
		const local = path.join(root, jobId);
		const remote = `${CHECKPOINTS_URI}/${jobId}`;
		mkdirSync(path.join(local, 'shared'), {recursive: true});
		const backends = Array.from({length: s.parallelism}, () => rng.uuid());
		// Live SST window per subtask: name counter and uuid.
		const live: {name: string; uuid: string; size: number}[][] = [];
		const counter: number[] = [];
		for (let p = 0; p < s.parallelism; p++) {
			counter.push(10);
			const set: {name: string; uuid: string; size: number}[] = [];
			for (let k = 0; k < s.live; k++) set.push({name: sst((counter[p] += 3)), uuid: rng.uuid(), size: sized(sstSize(rng))});
			live.push(set);
			for (const f of set) {
				touch(path.join(local, 'shared', f.uuid), f.size);
				files++;
			}
			for (let k = 0; k < s.orphans; k++) {
				touch(path.join(local, 'shared', rng.uuid()));
				files++;
			}
		}
		for (let c = 0; c < s.retained; c++) {
			const checkpointId = firstId + c;
			if (c > 0) {
				for (let p = 0; p < s.parallelism; p++) {
					const set = live[p].slice(s.churn);
					for (let k = 0; k < s.churn; k++) {
						const f = {name: sst((counter[p] += 3)), uuid: rng.uuid(), size: sized(sstSize(rng))};
						set.push(f);
						touch(path.join(local, 'shared', f.uuid), f.size);
						files++;
					}
					live[p] = set;
				}
			}
			const chkDir = path.join(local, `chk-${checkpointId}`);
			mkdirSync(chkDir);
			const entries: SubtaskEntry[] = [];
			for (let p = 0; p < s.parallelism; p++) {
				const privateFiles = ['MANIFEST-000004', 'OPTIONS-000007'].map((name) => ({name, uuid: rng.uuid(), size: sized(100 + (rng.next() % 5000))}));
				for (const f of privateFiles) touch(path.join(chkDir, f.uuid), f.size);
				files += privateFiles.length;
				entries.push({
					subtaskIndex: p,
					finished: false,
					state: {
						managedOperatorState: null,
						rawOperatorState: null,
						managedKeyedState: incrementalHandle(rng, remote, checkpointId, backends[p], keyGroupRange(p, s.parallelism, 128), live[p], privateFiles),
						rawKeyedState: null,
						inputChannelState: [],
						resultSubpartitionState: [],
					},
				});
			}
			const op: OperatorState = {
				name: 'KeyedProcess',
				uid: 'keyed-process',
				operatorId: `${jobId.slice(0, 16)}${'0'.repeat(15)}1`,
				parallelism: s.parallelism,
				maxParallelism: 128,
				coordinatorState: null,
				fullyFinished: false,
				subtasks: entries,
			};
			const metadata: CheckpointMetadata = {
				version: 6,
				checkpointId,
				masterStates: [],
				operators: [op],
				trailer: {properties: checkpointProperties()},
				layout: {channelState: 'C', changelog: '1.15'},
			};
			writeFileSync(path.join(chkDir, '_metadata'), writeMetadata(metadata));
			files++;
		}
		onJob(j + 1, files);
	}
	return files;
}
