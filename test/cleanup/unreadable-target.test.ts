/**
 * #21.11: what cannot be known is not safe. A target that a snapshot whose `_metadata` could not be
 * read may reference: what-if says the impact is unknown, plan refuses it (exit 2, one line) unless
 * `--accept-unreadable`.
 */
import {writeFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {analyse, whatIfDelete} from '../../source/analysis/index.js';
import {unreadableReferrers} from '../../source/analysis/what-if.js';
import {makePlan} from '../../source/cleanup/index.js';
import {runCommand, type Flags} from '../../source/cli/run.js';
import {EXIT_OK, EXIT_USAGE, EXIT_WOULD_BREAK} from '../../source/report/index.js';
import {J1, J2, tree} from './helpers.js';
import {io} from '../support/io.js';

const base: Flags = {json: false, map: [], color: false, minAge: '0'};

/** J1: chk-1 unreadable (it may reference shared/a), chk-2 complete (the newest); J2: chk-5 complete. */
function unreadableTree() {
	const t = tree('fcx-unreadable-target-');
	t.file(`${J1}/shared/a`);
	t.file(`${J1}/shared/b`);
	t.metadata(`${J1}/chk-2`, 2, [`${J1}/shared/b`]);
	t.metadata(`${J1}/chk-1`, 1, [`${J1}/shared/a`]);
	writeFileSync(t.abs(`${J1}/chk-1/_metadata`), Buffer.from('not a flink metadata file'));
	t.file(`${J2}/shared/c`);
	t.metadata(`${J2}/chk-5`, 5, [`${J2}/shared/c`]);
	t.metadata(`${J2}/chk-4`, 4, []);
	return t;
}

describe('a target that an unreadable snapshot may reference', () => {
	test('what-if reports the unreadable snapshot instead of "nothing breaks"', async () => {
		const t = unreadableTree();
		const analysis = await analyse([t.dir], {minAgeMs: 0});
		const result = whatIfDelete(analysis, [t.abs(`${J1}/shared/a`)]);
		expect(result.broken).toEqual([]);
		expect(result.unreadable).toEqual([
			expect.objectContaining({
				checkpointPath: t.abs(`${J1}/chk-1`),
				metadataPath: t.abs(`${J1}/chk-1/_metadata`),
				status: 'unreadable',
				targets: [t.abs(`${J1}/shared/a`)],
			}),
		]);
		expect(result.warnings.some((w) => w.includes('could not be read') && w.includes(t.abs(`${J1}/chk-1/_metadata`)))).toBe(true);

		const s = io();
		expect(await runCommand('what-if', [t.abs(`${J1}/shared/a`)], {...base, root: [t.dir]}, {interactive: false, stdout: s.stdout, stderr: s.stderr})).toBe(
			EXIT_WOULD_BREAK,
		);
		expect(s.out()).not.toContain('nothing: no remaining checkpoint references');
		expect(s.out()).toContain(`? ${t.abs(`${J1}/chk-1`)} could not be read (unreadable): it may reference files under the targets`);
		const j = io();
		await runCommand('what-if', [t.abs(`${J1}/shared/a`)], {...base, json: true, root: [t.dir]}, {interactive: false, stdout: j.stdout, stderr: j.stderr});
		expect((JSON.parse(j.out()) as {unreadable: {checkpointPath: string}[]}).unreadable.map((u) => u.checkpointPath)).toEqual([t.abs(`${J1}/chk-1`)]);
	});

	test('plan refuses it in one line (exit 2) and plans it with --accept-unreadable', async () => {
		const t = unreadableTree();
		const target = t.abs(`${J1}/shared/a`);
		const s = io();
		expect(await runCommand('plan', [t.dir], {...base, json: true, target: [target]}, {interactive: false, stdout: s.stdout, stderr: s.stderr})).toBe(
			EXIT_USAGE,
		);
		expect(s.out()).toBe('');
		expect(s.err().trimEnd().split('\n')).toEqual([
			expect.stringMatching(
				/^fcx: refusing to plan the deletion of .*shared\/a: 1 snapshot\(s\) that may reference it could not be read.*chk-1\/_metadata.*--accept-unreadable/,
			),
		]);

		const ok = io();
		expect(
			await runCommand(
				'plan',
				[t.dir],
				{...base, json: true, target: [target], acceptUnreadable: true},
				{interactive: false, stdout: ok.stdout, stderr: ok.stderr},
			),
		).toBe(EXIT_OK);
		const plan = JSON.parse(ok.out()) as {acceptUnreadable?: boolean; entries: {path: string; evidence: string}[]};
		expect(plan.acceptUnreadable).toBe(true);
		expect(plan.entries.map((e) => e.path)).toEqual([target]);
		expect(plan.entries[0].evidence).toMatch(/1 unreadable snapshot\(s\) may \(accepted with --accept-unreadable\)/);
	});

	test("another job's files too (a CLAIM restore may reference them); deleting the unreadable snapshot itself is not refused", async () => {
		const t = unreadableTree();
		const analysis = await analyse([t.dir], {minAgeMs: 0});
		expect(() => makePlan(analysis, {targets: [t.abs(`${J2}/chk-4`)]})).toThrow(/could not be read/);
		expect(unreadableReferrers(analysis, [t.abs(`${J2}/chk-4`)]).map((u) => u.checkpointPath)).toEqual([t.abs(`${J1}/chk-1`)]);
		// The unreadable snapshot's own directory: removed with the target, nothing else is unreadable.
		expect(unreadableReferrers(analysis, [t.abs(`${J1}/chk-1`)])).toEqual([]);
		expect(makePlan(analysis, {targets: [t.abs(`${J1}/chk-1`)]}).entries.map((e) => e.path)).toEqual([t.abs(`${J1}/chk-1`)]);
	});

	test('an unreadable savepoint is self-contained: it only makes its own directory unknowable', async () => {
		const t = unreadableTree();
		const sp = 'savepoints/savepoint-aaaaaa-0123456789ab';
		t.file(`${sp}/x`);
		writeFileSync(t.abs(`${sp}/_metadata`), Buffer.from('garbage'));
		const analysis = await analyse([t.dir], {minAgeMs: 0});
		const referrers = unreadableReferrers(analysis, [t.abs(`${J2}/chk-4`), t.abs(`${sp}/x`)]);
		expect(referrers.map((u) => [u.checkpointPath, u.targets])).toEqual([
			[t.abs(`${J1}/chk-1`), [t.abs(`${J2}/chk-4`), t.abs(`${sp}/x`)]],
			[t.abs(sp), [t.abs(`${sp}/x`)]],
		]);
	});

	test('a directory the scan could not list may hold such snapshots (not a shared/ directory)', async () => {
		const t = tree('fcx-unlisted-');
		t.file(`${J1}/shared/a`);
		t.metadata(`${J1}/chk-2`, 2, []);
		t.metadata(`${J1}/chk-1`, 1, []);
		const analysis = await analyse([t.dir], {minAgeMs: 0});
		// As the scan reports a directory it cannot list (mode 000 for an unprivileged user).
		analysis.warnings.push({code: 'unreadable-directory', path: t.abs(`${J1}/chk-3`), message: 'could not be listed: permission denied'});
		analysis.warnings.push({code: 'unreadable-directory', path: t.abs(`${J2}/shared`), message: 'could not be listed: permission denied'});
		expect(unreadableReferrers(analysis, [t.abs(`${J1}/shared/a`)])).toEqual([
			{
				checkpointPath: t.abs(`${J1}/chk-3`),
				metadataPath: null,
				status: 'unreadable-directory',
				error: 'could not be listed: permission denied',
				targets: [t.abs(`${J1}/shared/a`)],
			},
		]);
		expect(() => makePlan(analysis, {targets: [t.abs(`${J1}/shared/a`)]})).toThrow(/chk-3: could not be listed/);
		expect(makePlan(analysis, {targets: [t.abs(`${J1}/shared/a`)], acceptUnreadable: true}).entries.map((e) => e.path)).toEqual([t.abs(`${J1}/shared/a`)]);
	});
});
