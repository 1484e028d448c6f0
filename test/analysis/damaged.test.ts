/**
 * Truncated referenced files are damaged (#21.4), the newest restorable checkpoint and exclusive
 * bytes (#21.7): through `analyse` (the real reader on `_metadata` files written by the project's
 * writer) and the JSON report.
 */
import {mkdirSync, truncateSync, utimesSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import {newestCompleteCheckpoint, newestRestorableCheckpoint} from '../../source/analysis/jobs.js';
import {writeMetadata} from '../../source/metadata/index.js';
import type {IncrementalRemoteKeyedStateHandle, StreamStateHandle} from '../../source/metadata/types.js';
import {exitCodeFor, EXIT_MISSING_FILES, EXIT_OK} from '../../source/report/exit-codes.js';
import {reportToJson} from '../../source/report/json.js';
import {reportToText} from '../../source/report/text.js';
import {readResult} from './helpers.js';
import {tempDir} from '../support/temp.js';

const J1 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const J2 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2';
const OLD = Date.parse('2026-01-01T00:00:00.000Z');
const LATER = Date.parse('2027-01-01T00:00:00.000Z');

/** A temp tree with state files of given sizes and `_metadata` files whose keyed state holds `handles`. */
function tree() {
	const dir = tempDir('fcx-damaged-');
	const abs = (rel: string): string => join(dir, rel);
	const write = (rel: string, content: Uint8Array): string => {
		const p = abs(rel);
		mkdirSync(dirname(p), {recursive: true});
		writeFileSync(p, content);
		utimesSync(p, OLD / 1000, OLD / 1000);
		return p;
	};
	return {
		dir,
		abs,
		file: (rel: string, size: number): string => write(rel, new Uint8Array(size).fill(7)),
		/** `<rel>/_metadata`: shared handles in `shared`, private ones in `private`. */
		metadata(rel: string, checkpointId: number, shared: StreamStateHandle[], privateState: StreamStateHandle[] = []): string {
			const {metadata} = readResult(checkpointId, []);
			const subtask = metadata.operators[0].subtasks[0];
			if (subtask.finished) throw new Error('unexpected finished subtask');
			const keyed = subtask.state.managedKeyedState as IncrementalRemoteKeyedStateHandle;
			keyed.sharedState = shared.map((handle, i) => ({localPath: `${String(i).padStart(6, '0')}.sst`, handle}));
			keyed.privateState = privateState.map((handle, i) => ({localPath: `MANIFEST-${i}`, handle}));
			keyed.checkpointedSize = 0;
			keyed.stateHandleId = `handle-${checkpointId}`;
			return write(`${rel}/_metadata`, writeMetadata(metadata));
		},
	};
}

const fileHandle = (path: string, size: number): StreamStateHandle => ({tag: 2, path, size});
const segment = (physicalFilePath: string, startPos: number, size: number): StreamStateHandle => ({
	tag: 15,
	startPos,
	size,
	scope: 1,
	physicalFilePath,
	logicalFileId: `${physicalFilePath}-${startPos}`,
});

const run = (root: string) => analyse([root], {nowMs: LATER, minAgeMs: 0});

describe('truncated referenced files are damaged (#21.4)', () => {
	it('a shared file two checkpoints reference, truncated: both damaged, listed with both sizes, exit as missing files', async () => {
		const t = tree();
		const sst = t.file(`${J1}/shared/sst-a`, 4000);
		t.file(`${J1}/shared/sst-b`, 500);
		t.metadata(`${J1}/chk-1`, 1, [fileHandle(sst, 4000)]);
		t.metadata(`${J1}/chk-2`, 2, [fileHandle(sst, 4000), fileHandle(t.abs(`${J1}/shared/sst-b`), 500)]);
		const before = await run(t.dir);
		expect(before.checkpoints.map((cp) => cp.status)).toEqual(['complete', 'complete']);
		expect(before.damaged).toEqual([]);

		truncateSync(sst, 1000);
		const a = await run(t.dir);
		const chk1 = t.abs(`${J1}/chk-1`);
		const chk2 = t.abs(`${J1}/chk-2`);
		expect(a.checkpoints.map((cp) => [cp.path, cp.status, cp.damaged])).toEqual([
			[chk2, 'damaged', 1],
			[chk1, 'damaged', 1],
		]);
		expect(a.damaged).toEqual([{path: sst, uri: sst, expectedBytes: 4000, actualBytes: 1000, referencedBy: [chk1, chk2]}]);
		expect(a.jobs[0].damaged).toBe(1);
		expect(newestCompleteCheckpoint(a.jobs[0])).toBeUndefined();
		expect(newestRestorableCheckpoint(a.jobs[0])).toBeUndefined();
		expect(a.jobs[0].latestCheckpointId).toBe(2); // Flink's latest completed checkpoint, damaged or not
		expect(a.orphans).toEqual([]);
		expect(exitCodeFor(a)).toBe(EXIT_MISSING_FILES);

		const json = reportToJson(a, {files: true});
		expect(json.damaged).toEqual([{path: sst, uri: sst, expectedBytes: 4000, actualBytes: 1000, referencedBy: [chk1, chk2]}]);
		expect(json.summary).toMatchObject({damaged: 1, checkpointsWithDamagedFiles: 2, missing: 0});
		const file = json.checkpoints[0].files!.find((f) => f.path === sst);
		expect(file).toMatchObject({size: 4000, actualSize: 1000, neededBytes: 4000, damaged: true});
		expect(json.jobs[0].newestRestorableCheckpoint).toBeNull();

		const text = reportToText(a);
		expect(text).toContain('Damaged:      ✗ 1 damaged file (shorter than the metadata says) in 2 checkpoints');
		expect(text).toContain(
			`DAMAGED (1)\n  ✗ damaged  ${sst}\n      1 kB (1,000 bytes) on disk, 4 kB (4,000 bytes) needed (truncated)\n      referenced by: ${chk1}\n      referenced by: ${chk2}\n`,
		);
		expect(text).toContain('✗ damaged files (1 file)  chk-2');
		expect(text).toContain('latest 2 (damaged files; newest complete none), newest restorable none');
	});

	it('a file longer than its handle needs is fine', async () => {
		const t = tree();
		const sst = t.file(`${J1}/shared/sst-a`, 5000);
		t.metadata(`${J1}/chk-1`, 1, [fileHandle(sst, 4000)]);
		const a = await run(t.dir);
		expect(a.checkpoints[0].status).toBe('complete');
		expect(a.damaged).toEqual([]);
		expect(exitCodeFor(a)).toBe(EXIT_OK);
	});

	it('segments of one physical file (file merging): each checkpoint needs offset + size; only the one whose segment is cut is damaged', async () => {
		const t = tree();
		const physical = t.file(`${J1}/shared/merged-1`, 150);
		t.metadata(`${J1}/chk-1`, 1, [segment(physical, 0, 100)]);
		t.metadata(`${J1}/chk-2`, 2, [segment(physical, 0, 100), segment(physical, 100, 100)]);
		const a = await run(t.dir);
		const status = Object.fromEntries(a.checkpoints.map((cp) => [cp.path, cp.status]));
		expect(status).toEqual({[t.abs(`${J1}/chk-1`)]: 'complete', [t.abs(`${J1}/chk-2`)]: 'damaged'});
		expect(a.damaged).toEqual([{path: physical, uri: physical, expectedBytes: 200, actualBytes: 150, referencedBy: [t.abs(`${J1}/chk-2`)]}]);
		expect(newestCompleteCheckpoint(a.jobs[0])?.path).toBe(t.abs(`${J1}/chk-1`));
		expect(reportToJson(a).jobs[0].newestRestorableCheckpoint).toEqual({path: t.abs(`${J1}/chk-1`), id: 1});
	});

	it('a relative handle (native savepoint) needs its state size', async () => {
		const t = tree();
		t.file('savepoints/savepoint-aaaaaa-0123456789ab/state-1', 10);
		t.metadata('savepoints/savepoint-aaaaaa-0123456789ab', 7, [], [{tag: 6, relativePath: 'state-1', size: 50}]);
		const a = await run(t.dir);
		expect(a.checkpoints[0].status).toBe('damaged');
		expect(a.damaged.map((d) => [d.expectedBytes, d.actualBytes])).toEqual([[50, 10]]);
	});

	it('a missing file wins over a damaged one in the status; both are listed', async () => {
		const t = tree();
		const sst = t.file(`${J1}/shared/sst-a`, 10);
		t.metadata(`${J1}/chk-1`, 1, [fileHandle(sst, 4000), fileHandle(t.abs(`${J1}/shared/gone`), 10)]);
		const a = await run(t.dir);
		expect(a.checkpoints[0]).toMatchObject({status: 'missing-files', missing: 1, damaged: 1});
		expect(a.damaged).toHaveLength(1);
		expect(a.missing).toHaveLength(1);
	});
});

describe('newest restorable checkpoint and exclusive bytes (#21.7)', () => {
	it('skips damaged, missing and unverifiable checkpoints', async () => {
		const t = tree();
		const ok = t.file(`${J1}/shared/ok`, 100);
		const cut = t.file(`${J1}/shared/cut`, 10);
		t.metadata(`${J1}/chk-1`, 1, [fileHandle(ok, 100)]);
		t.metadata(`${J1}/chk-2`, 2, [fileHandle(ok, 100), fileHandle(cut, 100)]);
		t.metadata(`${J1}/chk-3`, 3, [fileHandle(t.abs(`${J1}/shared/gone`), 100)]);
		t.metadata(`${J2}/chk-5`, 5, [fileHandle(t.abs(`${J2}/shared/x`), 100), fileHandle('hdfs://nn/elsewhere/shared/y', 100)]);
		t.file(`${J2}/shared/x`, 100);
		const json = reportToJson(await run(t.dir));
		const restorable = Object.fromEntries(json.jobs.map((job) => [job.jobId, job.newestRestorableCheckpoint]));
		expect(restorable).toEqual({[J1]: {path: t.abs(`${J1}/chk-1`), id: 1}, [J2]: null});
	});

	it('counts per checkpoint the files only it references, per job the files no other job references', async () => {
		const t = tree();
		const a = t.file(`${J1}/shared/a`, 100);
		const b = t.file(`${J1}/shared/b`, 200);
		const c = t.file(`${J1}/shared/c`, 300);
		t.file(`${J1}/shared/orphan`, 5000);
		const m1 = t.metadata(`${J1}/chk-1`, 1, [fileHandle(a, 100), fileHandle(b, 200)]);
		const m2 = t.metadata(`${J1}/chk-2`, 2, [fileHandle(b, 200), fileHandle(c, 300)]);
		// J2 restored from J1's chk-2 in CLAIM mode: it references c.
		const d = t.file(`${J2}/shared/d`, 400);
		const m3 = t.metadata(`${J2}/chk-3`, 3, [fileHandle(c, 300), fileHandle(d, 400)]);
		const analysis = await run(t.dir);
		const size = (p: string): number => analysis.checkpoints.find((cp) => cp.metadataPath === p)!.sizes.metadataBytes;
		const exclusive = Object.fromEntries(analysis.checkpoints.map((cp) => [cp.path, cp.sizes.exclusiveBytes]));
		expect(exclusive).toEqual({
			[t.abs(`${J1}/chk-1`)]: 100 + size(m1),
			[t.abs(`${J1}/chk-2`)]: size(m2),
			[t.abs(`${J2}/chk-3`)]: 400 + size(m3),
		});
		const jobs = Object.fromEntries(reportToJson(analysis).jobs.map((job) => [job.jobId, job.exclusiveBytes]));
		expect(jobs).toEqual({[J1]: 100 + 200 + size(m1) + size(m2), [J2]: 400 + size(m3)});
		expect(reportToJson(analysis).checkpoints.map((cp) => cp.sizes.exclusiveBytes)).toEqual([100 + size(m1), size(m2), 400 + size(m3)]);
	});
});
