/** A hand-built `Analysis` for the UI tests: two jobs (one restored from the other), a savepoint, orphans, a missing file. */
import type {
	Analysis,
	CheckpointAnalysis,
	CheckpointStatus,
	Dependency,
	JobSummary,
	Orphan,
	ResolvedFile,
	StorageDirectoryKind,
} from '../../source/analysis/types.js';

export const ROOT = '/data/flink';
export const JOB_A = '3f2a1b2c3d4e5f60718293a4b5c6d7e8';
export const JOB_B = 'b0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3';
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;

export const A_SHARED = `${ROOT}/${JOB_A}/shared`;
export const MISSING_FILE = `${A_SHARED}/gone-0002.sst`;

function file(path: string | null, size: number, exists: boolean | null, uri = path ?? 'hdfs://nn/x'): ResolvedFile {
	return {
		uri,
		path,
		handle: 'file',
		size,
		exists,
		actualSize: exists ? size : undefined,
		references: 1,
		reference: {handle: 'file', path: uri, size, operatorId: 'a'.repeat(32), subtaskIndex: 0, slot: 'managedKeyedState', role: 'shared'},
	};
}

function dependency(path: string, kind: StorageDirectoryKind, jobId: string | null, crossJob: boolean, files: ResolvedFile[]): Dependency {
	return {
		path,
		local: true,
		kind,
		jobId,
		crossJob,
		files: files.length,
		bytes: files.reduce((sum, entry) => sum + Math.max(0, entry.size), 0),
		missing: files.filter((entry) => entry.exists === false).length,
		fileList: files,
	};
}

function checkpoint(
	jobId: string | null,
	path: string,
	id: number | null,
	status: CheckpointStatus,
	timeMs: number,
	dependencies: Dependency[],
	kind: 'checkpoint' | 'savepoint' = 'checkpoint',
): CheckpointAnalysis {
	const files = dependencies.flatMap((entry) => entry.fileList);
	const bytes = dependencies.reduce((sum, entry) => sum + entry.bytes, 0);
	const hasMetadata = status !== 'incomplete' && status !== 'in-progress';
	return {
		path,
		metadataPath: hasMetadata ? `${path}/_metadata` : null,
		jobId,
		kind,
		checkpointId: id,
		formatVersion: hasMetadata ? 5 : null,
		status,
		timeMs,
		properties: null,
		files,
		dependencies,
		operators: hasMetadata
			? [
					{
						operatorId: 'a'.repeat(32),
						name: 'Source: Kafka',
						uid: 'kafka-source',
						parallelism: 4,
						maxParallelism: 128,
						subtasks: 4,
						finishedSubtasks: 0,
						fullyFinished: false,
						stateKinds: ['operator state'],
						stateNames: ['SourceReaderState'],
						bytes: 1200,
					},
					{
						operatorId: 'b'.repeat(32),
						name: 'KeyedProcess',
						uid: null,
						parallelism: 2,
						maxParallelism: 256,
						subtasks: 2,
						finishedSubtasks: 0,
						fullyFinished: false,
						stateKinds: ['keyed state (incremental)'],
						stateNames: [],
						bytes: bytes,
					},
				]
			: [],
		sizes: {referencedBytes: bytes, ownDirectoryBytes: 0, sharedBytes: bytes, inlineBytes: 0, metadataBytes: 900, exclusiveBytes: 900},
		missing: files.filter((entry) => entry.exists === false).length,
		damaged: 0,
		outside: 0,
	};
}

function orphan(
	path: string,
	reason: Orphan['reason'],
	bytes: number,
	jobId: string | null,
	possiblyInProgress = false,
	type: Orphan['type'] = 'file',
): Orphan {
	return {
		path,
		type,
		reason,
		description: `${reason} at ${path}`,
		bytes,
		files: 1,
		jobId,
		timeMs: possiblyInProgress ? NOW - 60_000 : NOW - 48 * HOUR,
		possiblyInProgress,
	};
}

/** The fixture analysis. */
export function makeAnalysis(): Analysis {
	const sharedA1 = file(`${A_SHARED}/0001.sst`, 5_000_000, true);
	const sharedA2 = file(`${A_SHARED}/0003.sst`, 2_000_000, true);
	const missing = file(MISSING_FILE, 700_000, false);
	const chk41 = checkpoint(JOB_A, `${ROOT}/${JOB_A}/chk-41`, 41, 'complete', NOW - 3 * HOUR, [
		dependency(A_SHARED, 'shared', JOB_A, false, [sharedA1]),
		dependency(`${ROOT}/${JOB_A}/chk-41`, 'chk', JOB_A, false, [file(`${ROOT}/${JOB_A}/chk-41/MANIFEST`, 300, true)]),
	]);
	const chk42 = checkpoint(JOB_A, `${ROOT}/${JOB_A}/chk-42`, 42, 'missing-files', NOW - 2 * HOUR, [
		dependency(A_SHARED, 'shared', JOB_A, false, [sharedA1, sharedA2, missing]),
		dependency(`${ROOT}/${JOB_A}/chk-42`, 'chk', JOB_A, false, [file(`${ROOT}/${JOB_A}/chk-42/MANIFEST`, 310, true)]),
	]);
	const chk43 = checkpoint(JOB_A, `${ROOT}/${JOB_A}/chk-43`, 43, 'in-progress', NOW - 60_000, []);
	const chk5 = checkpoint(JOB_B, `${ROOT}/${JOB_B}/chk-5`, 5, 'incomplete', NOW - 30 * HOUR, []);
	const chk7 = checkpoint(JOB_B, `${ROOT}/${JOB_B}/chk-7`, 7, 'complete', NOW - HOUR, [
		dependency(A_SHARED, 'shared', JOB_A, true, [sharedA1]),
		dependency(`${ROOT}/${JOB_B}/shared`, 'shared', JOB_B, false, [file(`${ROOT}/${JOB_B}/shared/0100.sst`, 9_000_000, true)]),
	]);
	const savepointPath = `${ROOT}/savepoints/savepoint-3f2a1b-0123abcd`;
	const savepoint = checkpoint(
		JOB_A,
		savepointPath,
		40,
		'complete',
		NOW - 5 * HOUR,
		[dependency(savepointPath, 'savepoint', null, false, [file(`${savepointPath}/b5c7e2d1-aaaa`, 12_000_000, true)])],
		'savepoint',
	);
	const orphans: Orphan[] = [
		orphan(`${A_SHARED}/orphan-9999.sst`, 'unreferenced-file', 1_500_000, JOB_A),
		orphan(`${ROOT}/${JOB_B}/chk-5`, 'incomplete-checkpoint', 400_000, JOB_B, false, 'directory'),
		orphan(`${ROOT}/${JOB_A}/chk-43`, 'incomplete-checkpoint', 1000, JOB_A, true, 'directory'),
	];
	const jobA: JobSummary = {
		jobId: JOB_A,
		path: `${ROOT}/${JOB_A}`,
		label: JOB_A,
		checkpoints: [chk41, chk42, chk43],
		latestCheckpointId: 42,
		bytesOnDisk: 8_500_000,
		orphanBytes: 1_500_000,
		orphans: 1,
		damaged: 0,
		exclusiveBytes: 0,
		missing: 1,
		referencesJobs: [],
		timeMs: NOW - 2 * HOUR,
	};
	const jobB: JobSummary = {
		jobId: JOB_B,
		path: `${ROOT}/${JOB_B}`,
		label: JOB_B,
		checkpoints: [chk5, chk7],
		latestCheckpointId: 7,
		bytesOnDisk: 9_400_000,
		orphanBytes: 400_000,
		orphans: 1,
		damaged: 0,
		exclusiveBytes: 0,
		missing: 0,
		referencesJobs: [JOB_A],
		timeMs: NOW - HOUR,
	};
	const savepoints: JobSummary = {
		jobId: null,
		path: `${ROOT}/savepoints`,
		label: 'savepoints',
		checkpoints: [savepoint],
		latestCheckpointId: 40,
		bytesOnDisk: 12_000_900,
		orphanBytes: 0,
		orphans: 0,
		damaged: 0,
		exclusiveBytes: 0,
		missing: 0,
		referencesJobs: [],
		timeMs: NOW - 5 * HOUR,
	};
	const all = [chk41, chk42, chk43, chk5, chk7, savepoint];
	const referencedBy = new Map<string, string[]>([
		[A_SHARED, [chk41.path, chk42.path, chk7.path]],
		[sharedA1.path!, [chk41.path, chk42.path, chk7.path]],
		[sharedA2.path!, [chk42.path]],
		[MISSING_FILE, [chk42.path]],
		[`${ROOT}/${JOB_A}/chk-41`, [chk41.path]],
		[`${ROOT}/${JOB_A}/chk-42`, [chk42.path]],
		[`${ROOT}/${JOB_B}/shared`, [chk7.path]],
		[savepointPath, [savepoint.path]],
	]);
	return {
		roots: [ROOT],
		mappings: [],
		jobs: [jobA, jobB, savepoints],
		checkpoints: all,
		orphans,
		damaged: [],
		missing: [{path: MISSING_FILE, uri: `hdfs://nn/flink/${JOB_A}/shared/gone-0002.sst`, referencedBy: [chk42.path]}],
		warnings: [{code: 'unreadable-metadata', path: `${ROOT}/${JOB_B}/chk-6/_metadata`, message: 'truncated _metadata (unexpected end of file)'}],
		totals: {files: 9, bytesOnDisk: 29_900_900, orphans: 2, orphanBytes: 1_900_000, missing: 1, damaged: 0, checkpoints: 5, savepoints: 1},
		referencedBy,
		scannedFiles: new Map([[sharedA1.path!, {size: 5_000_000, mtimeMs: NOW - 3 * HOUR}]]),
		minAgeMs: HOUR,
		analysedAtMs: NOW,
	};
}

/** An empty analysis (no jobs, no orphans). */
export function emptyAnalysis(): Analysis {
	return {
		roots: [ROOT],
		mappings: [],
		jobs: [],
		checkpoints: [],
		orphans: [],
		damaged: [],
		missing: [],
		warnings: [],
		totals: {files: 0, bytesOnDisk: 0, orphans: 0, orphanBytes: 0, missing: 0, damaged: 0, checkpoints: 0, savepoints: 0},
		referencedBy: new Map(),
		scannedFiles: new Map(),
		minAgeMs: HOUR,
		analysedAtMs: NOW,
	};
}

/** An analysis with `count` orphans (for the windowed-list performance test). */
export function manyOrphans(count: number): Analysis {
	const analysis = emptyAnalysis();
	analysis.orphans = Array.from({length: count}, (_, index) =>
		orphan(`${ROOT}/${JOB_A}/shared/orphan-${String(index).padStart(6, '0')}.sst`, 'unreferenced-file', index, JOB_A),
	);
	analysis.totals.orphans = count;
	return analysis;
}

/** The fixture analysis with `count` more files in the first directory of its first checkpoint. */
export function withManyFiles(count: number, seed = 1): Analysis {
	const analysis = makeAnalysis();
	const [dependency] = analysis.checkpoints[0].dependencies;
	const [template] = dependency.fileList;
	for (let index = 0; index < count; index++) {
		const name = `${(((index + seed) * 2_654_435_761) >>> 0).toString(16)}-${index % 97}.sst`;
		const path = `${dependency.path}/${name}`;
		dependency.fileList.push({...template, uri: path, path, size: (index * 7919) % 1_000_000, actualSize: undefined} satisfies ResolvedFile);
	}

	return analysis;
}
