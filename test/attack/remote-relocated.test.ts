/**
 * A tree copied one level below where its `_metadata` files say it was written, on the same store
 * (HDFS served by the WebHDFS test server): a reference inside the root that names a path the
 * listing does not have, while the file sits where the snapshot's own location (its anchor) puts
 * it, must not make that file an orphan, nor the checkpoint lose it. The answer must be the local
 * copy's (#21 trust, #23 same answers on every store).
 */
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import nodePath from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import {makePlan} from '../../source/cleanup/index.js';
import {openWebHdfsStore} from '../../source/store/webhdfs.js';
import {generateSampleTree} from '../../fixtures/generate.js';
import {startWebHdfsServer, type WebHdfsServer} from '../store/webhdfs-server.js';
import {attackTree, fcx, J1, planned, report} from './helpers.js';

/** After every orphan of the sample tree is an hour old (see fixtures/README.md). */
const NOW = Date.parse('2026-11-02T00:00:00Z');
const HOST = 'hdfs://namenode:8020';
const dirs: string[] = [];
let sample: string;
let server: WebHdfsServer;

function tempDir(prefix: string): string {
	const dir = mkdtempSync(nodePath.join(tmpdir(), prefix));
	dirs.push(dir);
	return dir;
}

beforeAll(async () => {
	sample = tempDir('fcx-relocated-sample-');
	await generateSampleTree(sample);
	const served = tempDir('fcx-relocated-served-');
	// The sample's _metadata say hdfs://namenode:8020/flink/{checkpoints,savepoints,changelog}/…; the
	// copy puts those three below /flink/checkpoints/ instead.
	const below = nodePath.join(served, 'flink', 'checkpoints');
	mkdirSync(below, {recursive: true});
	cpSync(sample, below, {recursive: true, preserveTimestamps: true});
	server = await startWebHdfsServer({dir: served, batchSize: 50, user: 'flink'});
}, 60_000);

afterAll(async () => {
	await server.close();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

/** Each snapshot's status and each orphan, by path relative to the root. */
function answer(analysis: Analysis, root: string) {
	const rel = (path: string) => path.slice(root.length);
	return {
		snapshots: analysis.checkpoints.map((c) => `${rel(c.path)} ${c.status}`).sort(),
		orphans: analysis.orphans.map((o) => rel(o.path)).sort(),
	};
}

describe('a tree one level below where its _metadata were written, on HDFS', () => {
	// Rule 2 (identity inside the roots) used to take a store URI literally although the job lives one
	// level down; the local copy maps it by job id (rule 3), and so does the store now. See analysis/resolve.ts.
	it('has no orphan the local copy does not have, and no snapshot loses a file', async () => {
		const root = `${HOST}/flink/checkpoints`;
		const store = openWebHdfsStore({root, httpAddress: server.url, user: 'flink'});
		const remote = await analyse([root], {nowMs: NOW, stores: {hdfs: store}});
		const local = await analyse([sample], {nowMs: NOW});
		const remoteAnswer = answer(remote, root);
		const localAnswer = answer(local, sample);
		// Never an orphan the local copy would keep.
		for (const orphan of remoteAnswer.orphans) expect(localAnswer.orphans).toContain(orphan);
		// The plan removes nothing a snapshot needs: no taskowned or shared file of a snapshot.
		const plan = makePlan(remote);
		const planned = plan.entries.map((entry) => entry.path.slice(root.length));
		for (const path of planned) expect(localAnswer.orphans).toContain(path);
		// No snapshot is called worse than on the local copy (missing where the file is there): the
		// sample's one checkpoint with a missing file (fixtures/README.md) is the only one, on both.
		// (A checkpoint without `_metadata` is "in-progress" on the store and "incomplete" locally: not this test's matter.)
		const unfinished = (lines: string[]) => lines.map((line) => line.replace(/ (in-progress|incomplete)$/, ' unfinished'));
		expect(unfinished(remoteAnswer.snapshots)).toEqual(unfinished(localAnswer.snapshots));
		expect(remoteAnswer.snapshots.filter((line) => line.endsWith('missing-files'))).toHaveLength(1);
	});
});

describe('a local tree one level below where its _metadata were written', () => {
	for (const scheme of ['file://', '']) {
		it(`maps ${scheme === '' ? 'plain paths' : 'file: URIs'} inside the root by job id: no orphan, no missing file`, () => {
			// Written as <root>/<job>/…, copied to <root>/sub/<job>/…; <root>/<job> does not exist.
			const t = attackTree({[`cp/sub/${J1}/chk-5`]: [5, [{relative: 'x1'}, `${scheme}$T/cp/${J1}/taskowned/t1`, `${scheme}$T/cp/${J1}/shared/s1`]]}, [
				`cp/sub/${J1}/chk-5/x1`,
				`cp/sub/${J1}/taskowned/t1`,
				`cp/sub/${J1}/shared/s1`,
			]);
			const r = report([t.abs('cp')]);
			expect(r.orphans).toEqual([]);
			expect(r.checkpoints.map((c) => c.status)).toEqual(['complete']);
			expect(planned(fcx(['plan', '--min-age', '0', t.abs('cp')]).stdout)).toEqual([]);
		});
	}

	it('is ambiguous when the written job directory exists too: neither copy of a file is an orphan, the checkpoint is not complete', () => {
		const t = attackTree({[`cp/sub/${J1}/chk-5`]: [5, [{relative: 'x1'}, `$T/cp/${J1}/shared/s1`]]}, [
			`cp/sub/${J1}/chk-5/x1`,
			`cp/sub/${J1}/shared/s1`,
			`cp/${J1}/shared/s1`,
		]);
		const r = report([t.abs('cp')]);
		expect(r.orphans).toEqual([]);
		expect(r.checkpoints.map((c) => c.status)).not.toContain('complete');
	});
});
