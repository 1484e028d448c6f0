/**
 * Adversarial suite, part 1: tampered plan files. A plan is input, not authority (#21.8): whatever
 * its `target`, `removesCheckpoints`, `roots` and entries say, `executePlan` must leave every
 * file a remaining checkpoint needs, the newest complete checkpoint of every job, and everything
 * outside the real checkpoint trees. `FCX_FUZZ_RUNS` raises the number of random tamperings.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {newestCompleteCheckpoints} from '../../source/analysis/what-if.js';
import {executePlan, makePlan, validatePlan} from '../../source/cleanup/index.js';
import type {Plan, PlanEntry} from '../../source/cleanup/types.js';
import {J1, J2, NOW, tree} from './helpers.js';

const fuzzRuns = Number(process.env.FCX_FUZZ_RUNS ?? '0');
/** Random tamperings: 40 in `npm test`, FCX_FUZZ_RUNS / 100 (at least 40) under `npm run fuzz`. */
const TAMPER_RUNS = Math.max(40, Math.floor(fuzzRuns / 100));

/** J1: chk-1 (needs shared/a), chk-2 the newest complete (needs shared/b); an orphan; J2: chk-5 (needs J1/shared/c). And a directory outside the tree (no checkpoint layout in it). */
function victimTree() {
	const t = tree('fcx-tamper-');
	for (const f of ['a', 'b', 'c', 'orphan']) t.file(`${J1}/shared/${f}`);
	t.metadata(`${J1}/chk-1`, 1, [`${J1}/shared/a`]);
	t.metadata(`${J1}/chk-2`, 2, [`${J1}/shared/b`]);
	t.metadata(`${J2}/chk-5`, 5, [`${J1}/shared/c`]);
	t.file(`${J2}/chk-5/exclusive`);
	const o = tree('fcx-tamper-o-');
	o.file('secret');
	o.file('sub/other');
	return {t, outside: o};
}

/** Every regular file under `dir` (recursive, relative), with its size. */
function filesUnder(dir: string): Map<string, number> {
	const out = new Map<string, number>();
	const walk = (at: string, rel: string): void => {
		for (const e of readdirSync(at, {withFileTypes: true})) {
			const p = join(at, e.name);
			if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
			else out.set(`${rel}${e.name}`, statSync(p).size);
		}
	};
	if (existsSync(dir)) walk(dir, '');
	return out;
}

const entry = (path: string, type: 'file' | 'directory', extra: Partial<PlanEntry> = {}): PlanEntry => {
	const st = statSync(path);
	const files = type === 'file' ? 1 : filesUnder(path).size;
	let size = st.size;
	let mtimeMs = Math.trunc(st.mtimeMs);
	if (type === 'directory') {
		size = 0;
		mtimeMs = 0;
		for (const [rel, bytes] of filesUnder(path)) {
			size += bytes;
			mtimeMs = Math.max(mtimeMs, Math.trunc(statSync(join(path, rel)).mtimeMs));
		}
	}
	return {path, type, bytes: size, size, mtimeMs, files, reason: 'tampered', evidence: 'tampered', ...extra};
};

describe('adversarial: tampered plans (#21.8)', () => {
	test('a target and removesCheckpoints edited to delete a shared SST only the newest complete checkpoint needs: kept', async () => {
		const {t} = victimTree();
		const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {nowMs: NOW});
		const b = t.abs(`${J1}/shared/b`);
		plan.entries.push(entry(b, 'file', {target: b, removesCheckpoints: [t.abs(`${J1}/chk-2`)]}));
		for (const mode of [false, true]) {
			const result = await executePlan(structuredClone(plan), {nowMs: NOW, delete: mode});
			expect(result.records.find((r) => r.path === b)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/break .*chk-2|newest complete/)});
			expect(existsSync(b)).toBe(true);
		}
	});

	test('the newest complete checkpoint named as a target with removesCheckpoints: kept', async () => {
		const {t} = victimTree();
		const chk2 = t.abs(`${J1}/chk-2`);
		const plan: Plan = {
			version: 1,
			createdAt: '',
			roots: [t.dir],
			minAgeMs: 0,
			totalBytes: 0,
			entries: [entry(chk2, 'directory', {target: chk2, removesCheckpoints: [chk2]})],
		};
		const result = await executePlan(plan, {nowMs: NOW, delete: true});
		expect(result.records[0]).toMatchObject({action: 'skipped', reason: expect.stringMatching(/newest complete checkpoint/)});
		expect(existsSync(join(chk2, '_metadata'))).toBe(true);
	});

	test('roots edited to take in a directory outside every checkpoint tree: nothing there is moved or deleted', async () => {
		const {t, outside} = victimTree();
		const secret = outside.abs('secret');
		const other = outside.abs('sub/other');
		const plan: Plan = {
			version: 1,
			createdAt: '',
			roots: [t.dir, outside.dir],
			minAgeMs: 0,
			totalBytes: 0,
			entries: [
				entry(secret, 'file', {target: secret, removesCheckpoints: []}),
				entry(secret, 'file'),
				entry(other, 'file', {target: other}),
				entry(outside.abs('sub'), 'directory'),
			],
		};
		for (const mode of [false, true]) {
			const result = await executePlan(structuredClone(plan), {nowMs: NOW, delete: mode});
			expect(result.records.every((r) => r.action === 'skipped')).toBe(true);
		}
		expect(readFileSync(secret)).toHaveLength(16);
		expect(existsSync(other)).toBe(true);
	});

	test('a file referenced by a remaining checkpoint, given a target that does not free it: kept', async () => {
		const {t} = victimTree();
		const c = t.abs(`${J1}/shared/c`);
		const plan: Plan = {
			version: 1,
			createdAt: '',
			roots: [t.dir],
			minAgeMs: 0,
			totalBytes: 0,
			entries: [entry(c, 'file', {target: t.abs(`${J1}/chk-1`), removesCheckpoints: [t.abs(`${J2}/chk-5`)]})],
		};
		const result = await executePlan(plan, {nowMs: NOW, delete: true});
		expect(result.records[0].action).toBe('skipped');
		expect(existsSync(c)).toBe(true);
	});

	test('a malformed plan is refused with one line naming the field', () => {
		const base = {version: 1, roots: ['/r'], minAgeMs: 0, entries: [{path: '/r/x', type: 'file', size: 1, mtimeMs: 1}]};
		expect(() => validatePlan({...base, roots: ['relative']})).toThrow(/^not an fcx plan: roots\[0\]: must be an absolute path/);
		expect(() => validatePlan({...base, entries: [{...base.entries[0], removesCheckpoints: [7]}]})).toThrow(/entries\[0\]\.removesCheckpoints\[0\]: .*string/);
		expect(() => validatePlan({...base, entries: [{...base.entries[0], size: '1'}]})).toThrow(/entries\[0\]\.size: .*number/);
		expect(() => validatePlan({...base, version: 2})).toThrow(/^not an fcx plan: version: /);
		expect(() => validatePlan([])).toThrow(/not a JSON object/);
	});

	test(`property: ${TAMPER_RUNS} random tamperings (entries, targets, removesCheckpoints, roots) never break a remaining checkpoint or touch outside`, async () => {
		let attacks = 0;
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({pick: fc.nat(), target: fc.option(fc.nat(), {nil: undefined}), removes: fc.array(fc.nat(), {maxLength: 3})}), {
					minLength: 1,
					maxLength: 6,
				}),
				fc.boolean(),
				fc.boolean(),
				async (picks, addOutsideRoot, deleteMode) => {
					const {t, outside} = victimTree();
					const before = await analyse([t.dir], {nowMs: NOW});
					const newest = [...newestCompleteCheckpoints(before).values()].map((cp) => cp.path);
					const candidates: [string, 'file' | 'directory'][] = [
						...[...filesUnder(t.dir).keys()].map((rel): [string, 'file'] => [t.abs(rel), 'file']),
						...[`${J1}/chk-1`, `${J1}/chk-2`, `${J2}/chk-5`, `${J1}/shared`, J1, J2].map((rel): [string, 'directory'] => [t.abs(rel), 'directory']),
						[outside.abs('secret'), 'file'],
						[outside.abs('sub'), 'directory'],
					];
					const snapshots = before.checkpoints.map((cp) => cp.path);
					const plan: Plan = {
						version: 1,
						createdAt: '',
						roots: addOutsideRoot ? [t.dir, outside.dir] : [t.dir],
						minAgeMs: 0,
						totalBytes: 0,
						entries: picks.map((p) => {
							const [path, type] = candidates[p.pick % candidates.length];
							const target = p.target === undefined ? undefined : candidates[p.target % candidates.length][0];
							return entry(path, type, {...(target === undefined ? {} : {target}), removesCheckpoints: p.removes.map((i) => snapshots[i % snapshots.length])});
						}),
					};
					attacks++;
					const outsideBefore = filesUnder(outside.dir);
					await executePlan(plan, {nowMs: NOW, delete: deleteMode});
					const after = await analyse([t.dir], {nowMs: NOW});
					// Every snapshot still there is whole, the newest complete ones are all still there, nothing outside changed.
					expect(after.checkpoints.filter((cp) => cp.metadataPath !== null && cp.status !== 'complete').map((cp) => `${cp.path}: ${cp.status}`)).toEqual([]);
					for (const n of newest) expect(existsSync(join(n, '_metadata'))).toBe(true);
					expect(filesUnder(outside.dir)).toEqual(outsideBefore);
				},
			),
			{numRuns: TAMPER_RUNS},
		);
		expect(attacks).toBeGreaterThanOrEqual(TAMPER_RUNS);
		console.log(`[adversarial] tampered plans: ${attacks} random attacks, ${attacks} held`);
	});
});
