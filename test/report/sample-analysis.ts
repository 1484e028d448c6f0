/**
 * A hand-built analysis for the report tests: two jobs (B restored from A in CLAIM mode), a
 * savepoint, orphans (one possibly in progress, one nested in an orphan directory), one missing file.
 */
import type {Analysis, CheckpointAnalysis, Dependency, ResolvedFile} from '../../source/analysis/types.js';
import type {FileReference} from '../../source/metadata/types.js';
import {checkpointProperties} from '../../source/metadata/properties.js';

export const ROOT = '/data/tree';
export const JOB_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const JOB_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const T = Date.parse('2026-11-01T10:00:00.000Z');

function reference(path: string, size: number): FileReference {
	return {
		handle: 'file',
		path,
		size,
		operatorId: 'ea632d67b7d595e5b851708ae9ad79d6',
		subtaskIndex: 0,
		slot: 'managedKeyedState',
		role: 'shared',
		localPath: '000011.sst',
	};
}

function file(uri: string, path: string, size: number, exists: boolean): ResolvedFile {
	return {uri, path, handle: 'file', size, exists, ...(exists ? {actualSize: size} : {}), references: 1, reference: reference(uri, size)};
}

function dependency(path: string, jobId: string, crossJob: boolean, files: ResolvedFile[]): Dependency {
	return {
		path,
		local: true,
		kind: 'shared',
		jobId,
		crossJob,
		files: files.length,
		bytes: files.reduce((sum, f) => sum + f.size, 0),
		missing: files.filter((f) => f.exists === false).length,
		fileList: files,
	};
}

function checkpoint(
	jobId: string,
	id: number,
	files: ResolvedFile[],
	dependencies: Dependency[],
	overrides: Partial<CheckpointAnalysis> = {},
): CheckpointAnalysis {
	const path = `${ROOT}/checkpoints/${jobId}/chk-${id}`;
	const missing = files.filter((f) => f.exists === false).length;
	return {
		path,
		metadataPath: `${path}/_metadata`,
		jobId,
		kind: 'checkpoint',
		checkpointId: id,
		formatVersion: 6,
		status: missing > 0 ? 'missing-files' : 'complete',
		timeMs: T + id * 60_000,
		properties: checkpointProperties(),
		files,
		dependencies,
		operators: [
			{
				operatorId: 'ea632d67b7d595e5b851708ae9ad79d6',
				name: 'Window(TumblingEventTimeWindows)',
				uid: 'window-agg',
				parallelism: 2,
				maxParallelism: 128,
				subtasks: 2,
				finishedSubtasks: 0,
				fullyFinished: false,
				stateKinds: ['keyed state (incremental)'],
				stateNames: [],
				bytes: files.reduce((sum, f) => sum + f.size, 0),
			},
		],
		sizes: {
			referencedBytes: files.reduce((sum, f) => sum + f.size, 0),
			ownDirectoryBytes: 10,
			sharedBytes: 40,
			inlineBytes: 200,
			metadataBytes: 1500,
			exclusiveBytes: 1500,
		},
		missing,
		damaged: 0,
		outside: 0,
		...overrides,
	};
}

/** Build a fresh sample analysis (mutable by the caller). */
export function sampleAnalysis(): Analysis {
	const aShared = `${ROOT}/checkpoints/${JOB_A}/shared`;
	const bShared = `${ROOT}/checkpoints/${JOB_B}/shared`;
	const sstA = file(`hdfs://nn:8020/flink/checkpoints/${JOB_A}/shared/sst-1`, `${aShared}/sst-1`, 20, true);
	const sstB = file(`hdfs://nn:8020/flink/checkpoints/${JOB_B}/shared/sst-2`, `${bShared}/sst-2`, 20, true);
	const lost = file(`hdfs://nn:8020/flink/checkpoints/${JOB_B}/shared/sst-lost`, `${bShared}/sst-lost`, 20, false);

	const a9 = checkpoint(JOB_A, 9, [sstA], [dependency(aShared, JOB_A, false, [sstA])]);
	const a10 = checkpoint(JOB_A, 10, [sstA], [dependency(aShared, JOB_A, false, [sstA])]);
	// Files deliberately out of order: the report must sort them.
	const b11 = checkpoint(JOB_B, 11, [sstB, lost, sstA], [dependency(bShared, JOB_B, false, [sstB, lost]), dependency(aShared, JOB_A, true, [sstA])]);
	const savepoint = checkpoint(JOB_A, 12, [], [], {
		path: `${ROOT}/savepoints/savepoint-aaaaaa-0123456789ab`,
		metadataPath: `${ROOT}/savepoints/savepoint-aaaaaa-0123456789ab/_metadata`,
		kind: 'savepoint',
		properties: {
			checkpointType: {kind: 'savepoint', name: 'Savepoint', postCheckpointAction: 'NONE', formatType: 'NATIVE'},
			forced: true,
			discardSubsumed: false,
			discardFinished: false,
			discardCancelled: false,
			discardFailed: false,
			discardSuspended: false,
		},
	});
	const broken = checkpoint(JOB_A, 13, [], [], {
		status: 'unreadable',
		checkpointId: null,
		formatVersion: null,
		properties: null,
		operators: [],
		error: 'at byte 8: expected a version 0…7, found 99',
	});

	return {
		roots: [ROOT],
		mappings: [{remote: 'hdfs://nn:8020/flink', local: ROOT, inferred: true}],
		jobs: [
			// Deliberately out of order.
			{
				jobId: JOB_B,
				path: `${ROOT}/checkpoints/${JOB_B}`,
				label: JOB_B,
				checkpoints: [b11],
				latestCheckpointId: 11,
				bytesOnDisk: 40,
				orphanBytes: 0,
				orphans: 0,
				damaged: 0,
				exclusiveBytes: 0,
				missing: 1,
				referencesJobs: [JOB_A],
				timeMs: b11.timeMs,
			},
			{
				jobId: JOB_A,
				path: `${ROOT}/checkpoints/${JOB_A}`,
				label: JOB_A,
				checkpoints: [a10, broken, a9],
				latestCheckpointId: 10,
				bytesOnDisk: 5000,
				orphanBytes: 3000,
				orphans: 3,
				damaged: 0,
				exclusiveBytes: 0,
				missing: 0,
				referencesJobs: [],
				timeMs: a10.timeMs,
			},
			{
				jobId: null,
				path: `${ROOT}/savepoints`,
				label: 'savepoints',
				checkpoints: [savepoint],
				latestCheckpointId: 12,
				bytesOnDisk: 1500,
				orphanBytes: 0,
				orphans: 0,
				damaged: 0,
				exclusiveBytes: 0,
				missing: 0,
				referencesJobs: [],
				timeMs: savepoint.timeMs,
			},
		],
		checkpoints: [b11, a10, savepoint, a9, broken],
		orphans: [
			{
				path: `${ROOT}/checkpoints/${JOB_A}/shared/unused-2`,
				type: 'file',
				reason: 'unreferenced-file',
				description: 'not referenced by any checkpoint',
				bytes: 1000,
				files: 1,
				jobId: JOB_A,
				timeMs: T,
				possiblyInProgress: false,
			},
			{
				path: `${ROOT}/checkpoints/${JOB_A}/chk-14`,
				type: 'directory',
				reason: 'incomplete-checkpoint',
				description: 'chk-14 has no _metadata',
				bytes: 500,
				files: 1,
				jobId: JOB_A,
				timeMs: T + 3_600_000 * 5,
				possiblyInProgress: true,
			},
			{
				path: `${ROOT}/checkpoints/${JOB_A}/chk-8`,
				type: 'directory',
				reason: 'incomplete-checkpoint',
				description: 'chk-8 has no _metadata',
				bytes: 2000,
				files: 2,
				jobId: JOB_A,
				timeMs: T,
				possiblyInProgress: false,
			},
			{
				path: `${ROOT}/checkpoints/${JOB_A}/chk-8/nested-file`,
				type: 'file',
				reason: 'unreferenced-file',
				description: 'inside an incomplete checkpoint',
				bytes: 700,
				files: 1,
				jobId: JOB_A,
				timeMs: T,
				possiblyInProgress: false,
			},
		],
		damaged: [],
		missing: [{path: `${bShared}/sst-lost`, uri: lost.uri, referencedBy: [b11.path]}],
		warnings: [
			{code: 'unreadable-metadata', path: `${ROOT}/checkpoints/${JOB_A}/chk-13/_metadata`, message: 'does not parse'},
			{code: 'unreadable-directory', path: `${ROOT}/checkpoints/${JOB_A}/chk-10`, message: 'something odd'},
		],
		totals: {files: 12, bytesOnDisk: 6540, orphans: 3, orphanBytes: 3700, missing: 1, damaged: 0, checkpoints: 4, savepoints: 1},
		referencedBy: new Map([
			[`${aShared}/sst-1`, [a9.path, a10.path, b11.path]],
			[aShared, [a9.path, a10.path, b11.path]],
		]),
		scannedFiles: new Map(),
		minAgeMs: 3_600_000,
		analysedAtMs: Date.parse('2026-11-01T16:00:00.000Z'),
	};
}
