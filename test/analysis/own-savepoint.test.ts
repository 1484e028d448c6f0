/**
 * #21.5: a job with a fixed job id (Kubernetes operator, application mode) restored in CLAIM mode
 * from its own savepoint: the lineage has the edge savepoint → job, the Jobs view says so, and the
 * dependency row names the savepoint's job.
 */
import {describe, expect, test} from 'vitest';
import {analyse, inferLineage} from '../../source/analysis/index.js';
import {DEFAULT_SERVICES} from '../../source/ui/services.js';
import {buildView, indexAnalysis} from '../../source/ui/views/build.js';
import {lineageChainTexts} from '../../source/ui/views/lineage-view.js';
import {J1, J2, tree} from '../cleanup/helpers.js';

const SP = `savepoints/savepoint-${J1.slice(0, 6)}-0123456789ab`;

/** J1: chk-8 before its savepoint (id 9), chk-10 and chk-11 after the restore (CLAIM: they reference the savepoint's files). */
function ownSavepointTree() {
	const t = tree('fcx-own-savepoint-');
	t.file(`${J1}/shared/old`);
	t.metadata(`${J1}/chk-8`, 8, [`${J1}/shared/old`]);
	t.file(`${SP}/sst-1`);
	t.metadata(SP, 9, [`${SP}/sst-1`], {savepoint: true});
	t.file(`${J1}/shared/new`);
	t.metadata(`${J1}/chk-10`, 10, [`${SP}/sst-1`, `${J1}/shared/new`]);
	t.metadata(`${J1}/chk-11`, 11, [`${SP}/sst-1`, `${J1}/shared/new`]);
	return t;
}

describe("restore from the job's own savepoint", () => {
	test('the lineage has the edge savepoint → job (CLAIM), with the references and the ids continuing', async () => {
		const t = ownSavepointTree();
		const edges = inferLineage(await analyse([t.dir], {minAgeMs: 0}));
		expect(edges).toHaveLength(1);
		expect(edges[0]).toMatchObject({
			fromPath: t.abs(SP),
			fromJobId: J1,
			fromCheckpointId: 9,
			fromKind: 'savepoint',
			toJobId: J1,
			toPath: t.abs(J1),
			claimMode: 'CLAIM',
		});
		expect(edges[0].evidence).toContainEqual(
			expect.objectContaining({type: 'cross-job-reference', checkpointPath: t.abs(`${J1}/chk-10`), directory: t.abs(SP)}),
		);
		expect(edges[0].evidence).toContainEqual({type: 'checkpoint-id-continues', restoredId: 9, firstCheckpointId: 10});
		expect(edges[0].evidence).toContainEqual({type: 'savepoint-prefix', savepointPath: t.abs(SP), jobIdPrefix: J1.slice(0, 6)});
	});

	test('a restore into another job later still chains below it', async () => {
		const t = ownSavepointTree();
		t.metadata(`${J2}/chk-12`, 12, [`${J1}/shared/new`]);
		const edges = inferLineage(await analyse([t.dir], {minAgeMs: 0}));
		expect(edges.map((e) => [e.fromJobId, e.toJobId])).toEqual([
			[J1, J1],
			[J1, J2],
		]);
		expect(lineageChainTexts(edges)).toEqual([`job ${J1.slice(0, 8)}… savepoint-${J1.slice(0, 6)}-0123456789ab → ${J1.slice(0, 8)}… → ${J2.slice(0, 8)}…`]);
	});

	test("the Jobs view says it was restored from its own savepoint; the dependency row names the savepoint's job", async () => {
		const t = ownSavepointTree();
		const index = indexAnalysis(await analyse([t.dir], {minAgeMs: 0}), DEFAULT_SERVICES);
		const job = buildView(index, {type: 'jobs'}).sections[0].rows.find((row) => row.cells[0] === J1)!;
		expect(job.cells[7]).toBe('own savepoint');
		expect(job.details()).toContainEqual(
			expect.objectContaining({label: 'Restored from', value: `its own savepoint savepoint-${J1.slice(0, 6)}-0123456789ab`}),
		);
		expect(job.marks).not.toContain('cross-job');

		const rows = buildView(index, {type: 'checkpoint', checkpointPath: t.abs(`${J1}/chk-10`)}).sections.flatMap((section) => section.rows);
		const dependency = rows.find((row) => row.key === `dep:${t.abs(SP)}`)!;
		expect(dependency.cells[5]).toBe('this job');
		expect(dependency.details()).toContainEqual({label: 'Job', value: `${J1} (its savepoint)`});
	});

	test('NO_CLAIM from its own savepoint: no references, the next checkpoint says unclaimed=true; a savepoint the job just went on from is no restore', async () => {
		const t = tree('fcx-own-savepoint-noclaim-');
		t.file(`${J1}/shared/old`);
		t.metadata(`${J1}/chk-8`, 8, [`${J1}/shared/old`]);
		t.file(`${SP}/sst-1`);
		t.metadata(SP, 9, [`${SP}/sst-1`], {savepoint: true});
		t.file(`${J1}/shared/new`);
		t.metadata(`${J1}/chk-10`, 10, [`${J1}/shared/new`], {unclaimed: true});
		const edges = inferLineage(await analyse([t.dir], {minAgeMs: 0}));
		expect(edges).toHaveLength(1);
		expect(edges[0]).toMatchObject({fromPath: t.abs(SP), fromJobId: J1, fromCheckpointId: 9, toJobId: J1, claimMode: 'NO_CLAIM'});
		expect(edges[0].evidence).toContainEqual({type: 'unclaimed-flag', checkpointPath: t.abs(`${J1}/chk-10`), unclaimed: true});

		t.metadata(`${J1}/chk-10`, 10, [`${J1}/shared/new`], {unclaimed: false});
		expect(inferLineage(await analyse([t.dir], {minAgeMs: 0}))).toEqual([]);
	});
});
