import {join} from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS, SAVEPOINT_DIR} from '../../fixtures/generate.js';
import {analyse, inferLineage} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import {J1, J2, tree} from '../cleanup/helpers.js';
import {tempDir} from '../support/temp.js';

describe('inferLineage on the sample tree', () => {
	let dir: string;
	let analysis: Analysis;
	beforeAll(async () => {
		dir = tempDir('fcx-lineage-');
		await generateSampleTree(dir);
		analysis = await analyse([dir], {minAgeMs: 0});
	});

	test('job B was restored from A chk-5 (CLAIM or LEGACY), with cross-job and id evidence', () => {
		const edges = inferLineage(analysis);
		const b = edges.find((e) => e.toJobId === JOBS.B)!;
		expect(b).toMatchObject({
			fromPath: join(dir, 'checkpoints', JOBS.A, 'chk-5'),
			fromJobId: JOBS.A,
			fromCheckpointId: 5,
			fromKind: 'checkpoint',
			toPath: join(dir, 'checkpoints', JOBS.B),
			claimMode: 'CLAIM or LEGACY',
		});
		expect(b.evidence).toContainEqual(expect.objectContaining({type: 'cross-job-reference', directory: join(dir, 'checkpoints', JOBS.A, 'shared')}));
		expect(b.evidence).toContainEqual({type: 'checkpoint-id-continues', restoredId: 5, firstCheckpointId: 6});
		expect(b.evidence).toContainEqual(expect.objectContaining({type: 'unclaimed-flag', unclaimed: false}));
	});

	test('job C was restored from the native savepoint of A in CLAIM mode', () => {
		const c = inferLineage(analysis).find((e) => e.toJobId === JOBS.C)!;
		expect(c).toMatchObject({
			fromPath: join(dir, 'savepoints', SAVEPOINT_DIR),
			fromKind: 'savepoint',
			fromCheckpointId: 7,
			fromJobId: JOBS.A,
			claimMode: 'CLAIM',
		});
		expect(c.evidence).toContainEqual({type: 'savepoint-prefix', savepointPath: join(dir, 'savepoints', SAVEPOINT_DIR), jobIdPrefix: JOBS.A.slice(0, 6)});
		expect(c.evidence).toContainEqual({type: 'checkpoint-id-continues', restoredId: 7, firstCheckpointId: 8});
	});

	test('no other edges: ids that merely continue (F chk-4 after A chk-3) are not a restore', () => {
		expect(
			inferLineage(analysis)
				.map((e) => e.toJobId)
				.sort(),
		).toEqual([JOBS.B, JOBS.C].sort());
	});
});

describe('inferLineage on small trees', () => {
	test('no references, ids continue and unclaimed=true: NO_CLAIM', async () => {
		const t = tree('fcx-lineage-noclaim-');
		t.file(`${J1}/shared/a`);
		t.metadata(`${J1}/chk-4`, 4, [`${J1}/shared/a`]);
		t.file(`${J2}/shared/b`);
		t.metadata(`${J2}/chk-5`, 5, [`${J2}/shared/b`], {unclaimed: true, mtimeMs: Date.parse('2026-02-01T00:00:00Z')});
		const edges = inferLineage(await analyse([t.dir], {minAgeMs: 0}));
		expect(edges).toHaveLength(1);
		expect(edges[0]).toMatchObject({fromPath: t.abs(`${J1}/chk-4`), fromJobId: J1, toJobId: J2, claimMode: 'NO_CLAIM'});
		expect(edges[0].evidence).toContainEqual({type: 'unclaimed-flag', checkpointPath: t.abs(`${J2}/chk-5`), unclaimed: true});
	});

	test('a chain A → B → C leaves A files in C: the edge goes from B only', async () => {
		const J3 = 'ccccccccccccccccccccccccccccccc3';
		const t = tree('fcx-lineage-chain-');
		t.file(`${J1}/shared/a`);
		t.metadata(`${J1}/chk-2`, 2, [`${J1}/shared/a`]);
		t.file(`${J2}/shared/b`);
		t.metadata(`${J2}/chk-3`, 3, [`${J1}/shared/a`, `${J2}/shared/b`]);
		t.metadata(`${J3}/chk-4`, 4, [`${J1}/shared/a`, `${J2}/shared/b`]);
		const edges = inferLineage(await analyse([t.dir], {minAgeMs: 0}));
		expect(edges.map((e) => [e.fromJobId, e.toJobId, e.fromCheckpointId])).toEqual([
			[J1, J2, 2],
			[J2, J3, 3],
		]);
	});
});
