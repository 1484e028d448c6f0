import {execFileSync} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import {fingerprints, makePlan, planToShellScript, shellQuote} from '../../source/cleanup/index.js';
import {FileTable} from '../../source/tree/file-table.js';
import type {Plan} from '../../source/cleanup/types.js';
import {tempDir} from '../support/temp.js';

/** After the sample tree's newest time (2026-11-01T12:00Z) plus one hour. */
export const SAMPLE_NOW = Date.parse('2026-11-02T00:00:00.000Z');

describe('makePlan on the sample tree', () => {
	let dir: string;
	let analysis: Analysis;
	const A = (rel: string) => join(dir, 'checkpoints', JOBS.A, rel);
	beforeAll(async () => {
		dir = tempDir('fcx-plan-');
		await generateSampleTree(dir);
		analysis = await analyse([dir], {nowMs: SAMPLE_NOW});
	});

	test('contains exactly the orphans that are not possibly in progress, with size, mtime and evidence', () => {
		const plan = makePlan(analysis);
		const expected = analysis.orphans
			.filter((o) => !o.possiblyInProgress)
			.map((o) => o.path)
			.sort();
		expect(expected).toHaveLength(5);
		expect(plan.entries.map((e) => e.path)).toEqual(expected);
		for (const e of plan.entries) {
			const orphan = analysis.orphans.find((o) => o.path === e.path)!;
			expect(e).toMatchObject({type: orphan.type, bytes: orphan.bytes, size: orphan.bytes, reason: orphan.reason});
			expect(e.mtimeMs).toBeGreaterThan(0);
			expect(e.evidence).toMatch(/no _metadata/);
		}
		expect(plan.totalBytes).toBe(623);
		expect(plan.roots).toEqual([dir]);
	});

	test('possibly-in-progress orphans are excluded, with the reason', async () => {
		const early = await analyse([dir], {nowMs: Date.parse('2026-11-01T12:30:00.000Z')});
		const plan = makePlan(early);
		const chk8 = join(dir, 'checkpoints', JOBS.B, 'chk-8');
		expect(plan.entries.map((e) => e.path)).not.toContain(chk8);
		expect(plan.excluded).toContainEqual({path: chk8, reason: expect.stringMatching(/in progress/)});
	});

	test('a target adds the checkpoint and what only it references; dangerous targets are refused', () => {
		const plan = makePlan(analysis, {targets: [A('chk-3')]});
		const entry = plan.entries.find((e) => e.path === A('chk-3'))!;
		expect(entry).toMatchObject({type: 'directory', reason: 'what-if-target', target: A('chk-3'), removesCheckpoints: [A('chk-3')]});
		expect(() => makePlan(analysis, {targets: [A('chk-5')]})).toThrow(/newest complete checkpoint/);
		expect(() => makePlan(analysis, {targets: [join(dir, 'checkpoints', JOBS.A)]})).toThrow(/would break/);
		expect(() => makePlan(analysis, {targets: [join(dir, 'savepoints')]})).toThrow(/would break/);
		expect(() => makePlan(analysis, {targets: ['/etc']})).toThrow(/not inside the analysed roots/);
	});

	test('`only` restricts the orphans (the explorer marks)', () => {
		const plan = makePlan(analysis, {only: [A('chk-6'), A('chk-5')]});
		expect(plan.entries.map((e) => e.path)).toEqual([A('chk-6')]);
		expect(plan.excluded).toContainEqual({path: A('chk-5'), reason: 'not an orphan'});
	});
});

describe('planToShellScript', () => {
	test('quotes single quotes safely, has set -eu and points to fcx clean', () => {
		const dir = tempDir('fcx-script-');
		const victim = join(dir, "it's $(touch pwned) `x`");
		writeFileSync(victim, 'x');
		const plan: Plan = {
			version: 1,
			createdAt: '2026-11-02T00:00:00.000Z',
			roots: [dir],
			minAgeMs: 0,
			entries: [
				{
					path: victim,
					type: 'file',
					bytes: 1,
					size: 1,
					mtimeMs: 0,
					reason: 'unreferenced-file',
					evidence: "line one\nline 'two' \u001B]0;title\u0007 \u009B31m",
				},
			],
			totalBytes: 1,
		};
		const script = planToShellScript(plan);
		expect(script).toContain('set -eu');
		expect(script).toContain('fcx clean --plan');
		expect(script).toContain(`rm -r -- ${shellQuote(victim)}`);
		expect(script).not.toMatch(/\nline 'two'/);
		// Comments show control characters, C1 included (a terminal may take U+009B as CSI).
		expect(script).toContain("line one\\x0aline 'two' \\x1b]0;title\\x07 \\x9b31m");
		// eslint-disable-next-line no-control-regex
		expect(script.replaceAll(/rm -r -- .*\n/g, '')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		execFileSync('sh', ['-c', script], {cwd: dir});
		expect(existsSync(victim)).toBe(false);
		expect(existsSync(join(dir, 'pwned'))).toBe(false);
	});
});

describe('fingerprints', () => {
	test('of a file table, directory by directory, equal those of the same files one by one', () => {
		const segment = fc.constantFrom('a', 'b', 'ab', 'chk-1', 'shared');
		const file = fc.record({
			dir: fc.array(segment, {minLength: 1, maxLength: 3}).map((parts) => `/${parts.join('/')}`),
			name: fc.constantFrom('x', 'y', '_metadata', 'a'),
			size: fc.nat(1000),
			mtimeMs: fc.nat(1000),
		});
		const asked = fc.array(segment, {minLength: 0, maxLength: 4}).map((parts) => `/${parts.join('/')}`.replace(/^\/$/, '/'));
		fc.assert(
			fc.property(fc.array(file, {maxLength: 15}), fc.array(asked, {minLength: 1, maxLength: 8}), (files, paths) => {
				const table = new FileTable();
				for (const f of files) table.addFile(f.dir, f.name, f.size, f.mtimeMs);
				const map = new Map(table);
				expect(fingerprints(table, paths)).toEqual(fingerprints(map, paths));
			}),
			{numRuns: 300},
		);
	});
});
