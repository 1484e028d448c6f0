/**
 * `executePlan` writes and moves nothing it must not: a target that fails keeps what it referenced,
 * a `_metadata` that cannot be read keeps its job's files, a root reached twice through a symlink
 * is scanned once, and no log or quarantine goes outside an existing root.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {executePlan, ExecutionRefusedError, makePlan, quarantineTimestamp, QUARANTINE_DIR} from '../../source/cleanup/index.js';
import {runCommand, type Flags} from '../../source/cli/run.js';
import {EXIT_SKIPPED} from '../../source/report/index.js';
import {J1, J2, NOW, OLD, tree} from './helpers.js';
import {tempDir} from '../support/temp.js';

/** J2/chk-1 (not J2's newest) is the only reference of J1/shared/x; J1/chk-1 references J1/shared/z. */
function restoredTree(prefix: string) {
	const t = tree(prefix);
	t.file(`${J1}/shared/x`);
	t.file(`${J1}/shared/z`);
	t.metadata(`${J1}/chk-1`, 1, [`${J1}/shared/z`]);
	t.metadata(`${J2}/chk-1`, 1, [`${J1}/shared/x`]);
	t.metadata(`${J2}/chk-2`, 2, []);
	return t;
}

/** A tree with one orphan file (J1/shared/orphan), its plan, and an empty directory outside the tree for a symlink to point at. */
async function orphanPlanAndElsewhere(prefix: string) {
	const t = tree(prefix);
	t.file(`${J1}/shared/orphan`);
	t.metadata(`${J1}/chk-2`, 2, []);
	const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {nowMs: NOW});
	return {t, plan, elsewhere: tempDir('fcx-safety-elsewhere-')};
}

describe('executePlan: safety', () => {
	test('a target whose move fails keeps the files only it referenced (they were planned as freed by it)', async () => {
		const t = restoredTree('fcx-safety-fail-');
		const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {targets: [t.abs(`${J2}/chk-1`)], nowMs: NOW});
		// The freed file comes first in the plan's order.
		expect(plan.entries.map((e) => e.path)).toEqual([t.abs(`${J1}/shared/x`), t.abs(`${J2}/chk-1`)]);
		// The target cannot be moved: its place in the quarantine is taken.
		mkdirSync(join(t.dir, QUARANTINE_DIR, quarantineTimestamp(NOW), J2, 'chk-1'), {recursive: true});

		const result = await executePlan(plan, {nowMs: NOW});
		expect(result.records.map((r) => [r.path, r.action])).toEqual([
			[t.abs(`${J1}/shared/x`), 'skipped'],
			[t.abs(`${J2}/chk-1`), 'skipped'],
		]);
		expect(result.records[0].reason).toMatch(/chk-1\/_metadata, which stays: the entry removing it failed/);
		expect(result.records[1].reason).toMatch(/^failed: .*already exists/);
		const after = await analyse([t.dir], {nowMs: NOW});
		expect(after.checkpoints.map((cp) => cp.status)).toEqual(['complete', 'complete', 'complete']);
		rmSync(t.dir, {recursive: true});
	});

	test('targets referencing each other: the referencing one acts first, and when it fails the other is kept for it', async () => {
		const t = tree('fcx-safety-order-');
		// J2/chk-1 (restored from J1/chk-1 in LEGACY mode) references a file of J1/chk-1's directory.
		t.file(`${J1}/chk-1/own`);
		t.metadata(`${J1}/chk-1`, 1, [`${J1}/chk-1/own`]);
		t.metadata(`${J1}/chk-2`, 2, []);
		t.metadata(`${J2}/chk-1`, 1, [`${J1}/chk-1/own`]);
		t.metadata(`${J2}/chk-2`, 2, []);
		const before = await analyse([t.dir], {nowMs: NOW});
		const plan = makePlan(before, {targets: [t.abs(`${J1}/chk-1`), t.abs(`${J2}/chk-1`)], nowMs: NOW});
		expect(plan.entries.map((e) => e.path)).toEqual([t.abs(`${J1}/chk-1`), t.abs(`${J2}/chk-1`)]);
		mkdirSync(join(t.dir, QUARANTINE_DIR, quarantineTimestamp(NOW), J2, 'chk-1'), {recursive: true});

		const result = await executePlan(plan, {nowMs: NOW});
		expect(result.records.map((r) => r.action)).toEqual(['skipped', 'skipped']);
		expect(result.records[0].reason).toMatch(/which stays: the entry removing it failed/);
		// Nothing moved: every checkpoint is as it was. (Both chk-1 name the remote chk-1 of J1 as
		// their own location, so J1/chk-1's file may be in either copy: unknown-files, not complete.)
		const after = await analyse([t.dir], {nowMs: NOW});
		expect(after.checkpoints.map((cp) => [cp.path, cp.status])).toEqual(before.checkpoints.map((cp) => [cp.path, cp.status]));
		expect(after.checkpoints.every((cp) => cp.status === 'complete' || cp.status === 'unknown-files')).toBe(true);
		rmSync(t.dir, {recursive: true});
	});

	test('a target whose own _metadata cannot be read (a corrupt checkpoint) is still cleaned', async () => {
		const t = tree('fcx-safety-corrupt-');
		t.metadata(`${J1}/chk-2`, 2, []);
		mkdirSync(t.abs(`${J1}/chk-1`));
		writeFileSync(t.abs(`${J1}/chk-1/_metadata`), 'truncated');
		utimesSync(t.abs(`${J1}/chk-1/_metadata`), OLD / 1000, OLD / 1000);
		const analysis = await analyse([t.dir], {nowMs: NOW});
		expect(analysis.warnings.some((w) => w.path.startsWith(t.abs(`${J1}/chk-1`)))).toBe(true);
		const plan = makePlan(analysis, {targets: [t.abs(`${J1}/chk-1`)], nowMs: NOW});
		const result = await executePlan(plan, {nowMs: NOW});
		expect(result.records.map((r) => [r.path, r.action])).toEqual([[t.abs(`${J1}/chk-1`), 'quarantined']]);
		rmSync(t.dir, {recursive: true});
	});

	test("this run's quarantine directory planted as a symlink: the entry fails, nothing is made or moved outside the root", async () => {
		const {t, plan, elsewhere} = await orphanPlanAndElsewhere('fcx-safety-qdir-');
		mkdirSync(join(t.dir, QUARANTINE_DIR));
		symlinkSync(elsewhere, join(t.dir, QUARANTINE_DIR, quarantineTimestamp(NOW)));

		const result = await executePlan(plan, {nowMs: NOW});
		expect(result.records[0]).toMatchObject({action: 'skipped', reason: expect.stringMatching(/^failed: .*leads out of the root$/)});
		expect(readdirSync(elsewhere)).toEqual([]);
		expect(existsSync(t.abs(`${J1}/shared/orphan`))).toBe(true);
		expect(result.restoreCommand).toBeNull();
		rmSync(t.dir, {recursive: true});
		rmSync(elsewhere, {recursive: true});
	});

	test('a _metadata of the job that cannot be read now keeps the files a target frees there', async () => {
		const t = restoredTree('fcx-safety-unknown-');
		const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {targets: [t.abs(`${J2}/chk-1`)], nowMs: NOW});
		const unreadable = t.abs(`${J1}/chk-2/_metadata`);
		mkdirSync(t.abs(`${J1}/chk-2`));
		writeFileSync(unreadable, 'not a _metadata');
		utimesSync(unreadable, OLD / 1000, OLD / 1000);

		// The unreadable snapshot may reference the target's files (a restore across jobs): the target is unknown now.
		const refused = await executePlan(plan, {nowMs: NOW});
		expect(refused.records.map((r) => [r.path, r.action])).toEqual([
			[t.abs(`${J1}/shared/x`), 'skipped'],
			[t.abs(`${J2}/chk-1`), 'skipped'],
		]);
		expect(refused.records[1].reason).toMatch(/could not be read and may reference files of target/);

		// Told to go on (--accept-unreadable), it still keeps the files the unreadable job may need.
		const result = await executePlan(plan, {nowMs: NOW, acceptUnreadable: true});
		expect(result.records.map((r) => [r.path, r.action])).toEqual([
			[t.abs(`${J1}/shared/x`), 'skipped'],
			[t.abs(`${J2}/chk-1`), 'quarantined'],
		]);
		expect(result.records[0].reason).toMatch(/_metadata fcx cannot read/);
		expect(existsSync(t.abs(`${J1}/shared/x`))).toBe(true);
		rmSync(t.dir, {recursive: true});
	});

	test('two roots naming one directory (one through a symlink) are scanned once: nothing is an orphan twice', async () => {
		const t = tree('fcx-safety-alias-');
		const link = `${t.dir}-link`;
		symlinkSync(t.abs('data'), link);
		t.file(`data/${J1}/shared/x`);
		t.metadata(`data/${J1}/chk-1`, 1, [`data/${J1}/shared/x`]);
		t.metadata(`data/${J1}/chk-2`, 2, [`data/${J1}/shared/x`]);
		const inner = `${t.dir}-inner`;
		symlinkSync(t.abs(`data/${J1}`), inner);

		const analysis = await analyse([link, t.abs('data'), inner], {nowMs: NOW});
		expect(analysis.roots).toEqual([t.abs('data')]);
		expect(
			analysis.warnings
				.filter((w) => /scanned once/.test(w.message))
				.map((w) => w.path)
				.sort(),
		).toEqual([inner, link].sort());
		expect(analysis.orphans).toEqual([]);
		expect(makePlan(analysis, {nowMs: NOW}).entries).toEqual([]);
		// A plan made before (with both roots) moves nothing under the alias.
		const result = await executePlan(
			{
				...makePlan(analysis, {nowMs: NOW}),
				roots: [link, t.abs('data')],
				entries: [{path: `${link}/${J1}/shared/x`, type: 'file', bytes: 16, size: 16, mtimeMs: OLD, reason: 'unreferenced-file', evidence: 'test'}],
			},
			{nowMs: NOW},
		);
		expect(result.records[0]).toMatchObject({action: 'skipped', reason: 'outside the plan roots'});
		expect(existsSync(t.abs(`data/${J1}/shared/x`))).toBe(true);
		rmSync(link);
		rmSync(inner);
		rmSync(t.dir, {recursive: true});
	});

	test('an orphan directory holding what the scan could not read (a FIFO) is not planned whole: the FIFO and the directory stay', async () => {
		const t = tree('fcx-safety-fifo-');
		t.metadata(`${J1}/chk-2`, 2, []);
		t.file(`${J1}/chk-1/state`);
		execFileSync('mkfifo', [t.abs(`${J1}/chk-1/pipe`)]);
		utimesSync(t.abs(`${J1}/chk-1`), OLD / 1000, OLD / 1000);
		const analysis = await analyse([t.dir], {nowMs: NOW});
		const plan = makePlan(analysis, {nowMs: NOW});
		expect(plan.entries.map((e) => e.path)).toEqual([t.abs(`${J1}/chk-1/state`)]);
		await executePlan(plan, {nowMs: NOW});
		expect(existsSync(t.abs(`${J1}/chk-1/pipe`))).toBe(true);
		rmSync(t.dir, {recursive: true});
	});

	test('the restore script exists before the first move and gets each move as it happens (an interrupted run can be undone)', async () => {
		const t = tree('fcx-safety-script-');
		t.metadata(`${J1}/chk-2`, 2, []);
		t.file(`${J1}/shared/a`);
		t.file(`${J1}/shared/b`);
		const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {nowMs: NOW});
		const result = await executePlan(plan, {nowMs: NOW});
		expect(result.records.map((r) => r.action)).toEqual(['quarantined', 'quarantined']);
		const events = readFileSync(result.logPath, 'utf8')
			.trim()
			.split('\n')
			.map((line) => (JSON.parse(line) as {event: string}).event);
		expect(events).toEqual(['start', 'restore-script', 'moving', 'entry', 'moving', 'entry', 'done']);
		const script = readFileSync(result.restoreCommand!.replace(/^sh '(.*)'$/, '$1'), 'utf8')
			.trim()
			.split('\n');
		expect(script.filter((line) => line.startsWith('if '))).toHaveLength(2);
		expect(script.at(-1)).toBe('exit $status');
		rmSync(t.dir, {recursive: true});
	});

	test('a .fcx-quarantine that is a symlink is refused before anything is written or moved', async () => {
		const {t, plan, elsewhere} = await orphanPlanAndElsewhere('fcx-safety-qlink-');
		expect(plan.entries).toHaveLength(1);
		symlinkSync(elsewhere, join(t.dir, QUARANTINE_DIR));

		await expect(executePlan(plan, {nowMs: NOW})).rejects.toThrow(ExecutionRefusedError);
		await expect(executePlan(plan, {nowMs: NOW})).rejects.toThrow(/\.fcx-quarantine is a symlink.*nothing was changed/);
		expect(readdirSync(elsewhere)).toEqual([]);
		expect(existsSync(t.abs(`${J1}/shared/orphan`))).toBe(true);
		rmSync(t.dir, {recursive: true});
		rmSync(elsewhere, {recursive: true});
	});

	test('a root that is not there (an unmounted file system) is not created: clean refuses with exit 4', async () => {
		const parent = tempDir('fcx-safety-missing-');
		const root = join(parent, 'unmounted', 'checkpoints');
		const planFile = join(parent, 'plan.json');
		writeFileSync(
			planFile,
			JSON.stringify({
				version: 1,
				createdAt: '2026-01-01T00:00:00.000Z',
				roots: [root],
				minAgeMs: 0,
				totalBytes: 0,
				entries: [{path: `${root}/${J1}/chk-1`, type: 'directory', bytes: 0, size: 0, mtimeMs: 0, reason: 'orphan-directory', evidence: 'test'}],
			}),
		);
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		let err = '';
		stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		stdout.resume();
		const flags: Flags = {json: false, map: [], color: false, plan: planFile, yes: true};
		expect(await runCommand('clean', [], flags, {interactive: false, stdout, stderr})).toBe(EXIT_SKIPPED);
		expect(err).toMatch(/fcx: clean: none of the plan's roots is a directory now .*; nothing was changed/);
		expect(existsSync(join(parent, 'unmounted'))).toBe(false);
		rmSync(parent, {recursive: true});
	});
});
