/**
 * Renamed and partial local copies (issue #21.1): a `_metadata` anchors its own location, and files
 * that a reference fcx cannot map may name are never orphans.
 */
import {describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import type {Analysis} from '../../source/analysis/types.js';
import {makePlan} from '../../source/cleanup/plan.js';
import {J1, NOW, OLD, metadataBytes, tree} from '../cleanup/helpers.js';

const REMOTE = 'hdfs://namenode:8020/flink/checkpoints';
const SP_REMOTE = 'hdfs://namenode:8020/flink/savepoints';
const uuid = (n: number): string => `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`;

/** The files of job J1's chk-41 as Flink wrote them: two exclusive files in chk-41, two shared ones. */
const CHK41 = [`${J1}/chk-41/${uuid(1)}`, `${J1}/chk-41/${uuid(2)}`, `${J1}/shared/${uuid(3)}`, `${J1}/shared/${uuid(4)}`];

/** A local copy of job J1 under `jobDir` (relative to the tree), optionally without some of its files. */
function copyOfJob(t: ReturnType<typeof tree>, jobDir: string, chkDir = 'chk-41', skip: readonly string[] = []): void {
	const put = t.put;
	put(
		`${jobDir}/${chkDir}/_metadata`,
		metadataBytes(
			41,
			CHK41.map((p) => `${REMOTE}/${p}`),
		),
	);
	for (const p of CHK41) {
		const local = p.replace(`${J1}/`, `${jobDir}/`).replace('chk-41/', `${chkDir}/`);
		if (!skip.includes(p)) t.file(local);
	}
}

function referencedPaths(analysis: Analysis): Set<string> {
	const out = new Set<string>();
	for (const cp of analysis.checkpoints) for (const f of cp.files) if (f.path !== null && f.exists === true) out.add(f.path);
	return out;
}

/** What no analysis of a copy may do: call a file the copy's checkpoint needs an orphan, or plan it. */
function expectNothingNeededIsDeletable(analysis: Analysis, needed: readonly string[]): void {
	for (const path of needed) {
		expect(
			analysis.orphans.filter((o) => path === o.path || path.startsWith(`${o.path}/`)).map((o) => o.path),
			path,
		).toEqual([]);
	}
	const plan = makePlan(analysis, {nowMs: NOW});
	for (const path of needed) {
		expect(
			plan.entries.filter((e) => path === e.path || path.startsWith(`${e.path}/`)).map((e) => e.path),
			path,
		).toEqual([]);
	}
}

describe('a _metadata anchors its own location', () => {
	it('maps a job directory copied under another name (hdfs dfs -get …/<job-id> ./jobB)', async () => {
		const t = tree('fcx-anchor-');
		copyOfJob(t, 'jobB');
		const analysis = await analyse([t.abs('jobB')], {nowMs: NOW, minAgeMs: 0});
		const chk = analysis.checkpoints.find((cp) => cp.path === t.abs('jobB/chk-41'))!;
		expect(chk.status).toBe('complete');
		expect(chk.outside).toBe(0);
		expect([...referencedPaths(analysis)].sort()).toEqual(CHK41.map((p) => t.abs(p.replace(`${J1}/`, 'jobB/'))).sort());
		expect(analysis.orphans).toEqual([]);
		expect(analysis.mappings).toContainEqual({remote: `${REMOTE}/${J1}`, local: t.abs('jobB'), inferred: true});
	});

	it('maps one chk-<n> downloaded alone, even renamed; its shared files are outside, not missing', async () => {
		for (const name of ['chk-41', 'my-download']) {
			const t = tree('fcx-anchor-');
			t.put(
				`${name}/_metadata`,
				metadataBytes(
					41,
					CHK41.map((p) => `${REMOTE}/${p}`),
				),
			);
			t.file(`${name}/${uuid(1)}`);
			t.file(`${name}/${uuid(2)}`);
			const analysis = await analyse([t.abs(name)], {nowMs: NOW, minAgeMs: 0});
			const chk = analysis.checkpoints.find((cp) => cp.path === t.abs(name))!;
			expect(chk.missing).toBe(0);
			expect(chk.outside).toBe(2);
			expect(analysis.orphans).toEqual([]);
			expectNothingNeededIsDeletable(analysis, [t.abs(`${name}/${uuid(1)}`), t.abs(`${name}/${uuid(2)}`)]);
		}
	});

	it.each(['sp-copy', 'savepoints/savepoint-bbbbbb-ba9876543210'])('maps a savepoint directory renamed to %s', async (local) => {
		const t = tree('fcx-anchor-');
		const files = [uuid(5), uuid(6)];
		t.put(
			`${local}/_metadata`,
			metadataBytes(
				7,
				files.map((f) => `${SP_REMOTE}/savepoint-aaaaaa-0123456789ab/${f}`),
				{savepoint: true},
			),
		);
		for (const f of files) t.file(`${local}/${f}`);
		const analysis = await analyse([t.dir], {nowMs: NOW, minAgeMs: 0});
		expect(analysis.orphans).toEqual([]);
		expect(analysis.checkpoints.map((cp) => [cp.status, cp.outside, cp.missing])).toEqual([['complete', 0, 0]]);
	});

	it('maps a renamed base directory', async () => {
		const t = tree('fcx-anchor-');
		copyOfJob(t, `renamed-base/${J1}`, 'chk-41');
		const analysis = await analyse([t.dir], {nowMs: NOW, minAgeMs: 0});
		expect(analysis.orphans).toEqual([]);
		expect(analysis.checkpoints.map((cp) => [cp.status, cp.outside, cp.missing])).toEqual([['complete', 0, 0]]);
	});
});

describe('files a reference fcx cannot map may name are never orphans', () => {
	it('holds a chk-<n> directory whose files an unmapped reference names, and suggests the --map', async () => {
		const t = tree('fcx-anchor-');
		// The _metadata of chk-41 is elsewhere (another tree), its files here, in a job directory of another id.
		const other = tree('fcx-anchor-other-');
		other.put('snap/_metadata', metadataBytes(41, [`${REMOTE}/${J1}/chk-40/${uuid(1)}`]));
		const J3 = 'cccccccccccccccccccccccccccccccc';
		t.file(`${J3}/chk-40/${uuid(1)}`);
		t.file(`${J3}/chk-40/${uuid(2)}`);
		t.put(`${J3}/chk-42/_metadata`, metadataBytes(42, [`${REMOTE}/${J3}/chk-42/${uuid(7)}`]));
		t.file(`${J3}/chk-42/${uuid(7)}`);
		const analysis = await analyse([t.dir, other.abs('snap')], {nowMs: NOW, minAgeMs: 0});
		expect(analysis.orphans.map((o) => o.path)).toEqual([]);
		const warning = analysis.warnings.find((w) => w.code === 'unmapped-references')!;
		expect(warning.path).toBe(t.abs(`${J3}/chk-40`));
		expect(warning.message).toContain(`--map '${REMOTE}/${J1}=${t.abs(J3)}'`);
	});

	it('holds both copies when one job directory was copied twice', async () => {
		const t = tree('fcx-anchor-');
		copyOfJob(t, `a/${J1}`);
		copyOfJob(t, `b/${J1}`);
		copyOfJob(t, 'jobB');
		const analysis = await analyse([t.dir], {nowMs: NOW, minAgeMs: 0});
		expect(analysis.orphans.map((o) => o.path)).toEqual([]);
		expect(analysis.warnings.map((w) => w.code)).toContain('unmapped-references');
	});

	it('does not hold unrelated files: an aborted checkpoint of the copy is still an orphan', async () => {
		const t = tree('fcx-anchor-');
		copyOfJob(t, 'jobB');
		t.file(`jobB/chk-42/${uuid(9)}`, OLD);
		const analysis = await analyse([t.abs('jobB')], {nowMs: NOW, minAgeMs: 0});
		expect(analysis.orphans.map((o) => o.path)).toEqual([t.abs('jobB/chk-42')]);
		expect(analysis.warnings).toEqual([]);
	});
});
