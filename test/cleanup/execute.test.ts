import {execSync} from 'node:child_process';
import {existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import {executePlan, makePlan} from '../../source/cleanup/index.js';
import {metadataBytes} from './helpers.js';
import {tempDir} from '../support/temp.js';

const NOW = Date.parse('2026-11-02T00:00:00.000Z');
const HOUR = 3_600_000;

async function sample(): Promise<{dir: string; analysis: Analysis; A: (rel: string) => string; B: (rel: string) => string}> {
	const dir = tempDir('fcx-exec-');
	await generateSampleTree(dir);
	return {
		dir,
		analysis: await analyse([dir], {nowMs: NOW}),
		A: (rel) => join(dir, 'checkpoints', JOBS.A, rel),
		B: (rel) => join(dir, 'checkpoints', JOBS.B, rel),
	};
}

/** Every local file any `_metadata` references that exists now. */
function referencedExisting(analysis: Analysis): string[] {
	return analysis.checkpoints.flatMap((cp) => cp.files.filter((f) => f.exists === true && f.path !== null).map((f) => f.path!));
}

describe('executePlan', () => {
	test('mutations between plan and execute: exactly the safe entries move; the log and the restore command are exact', async () => {
		const {dir, analysis, A, B} = await sample();
		const plan = makePlan(analysis, {nowMs: NOW});
		const referencedBefore = referencedExisting(analysis);
		const sstReferenced = A('shared/12621770-d607-46cd-9cf0-66d892a5454e');
		const sstTouched = A('shared/fa319e6b-b1b7-4970-a672-14fa44fcc91c');
		const deadJob = join(dir, 'checkpoints', JOBS.D);
		expect(plan.entries.map((e) => e.path)).toEqual([A('chk-6'), sstReferenced, sstTouched, B('chk-8'), deadJob]);

		// 1. A new job's checkpoint now references a planned SST.
		const newJob = join(dir, 'checkpoints', '0123456789abcdef0123456789abcdef', 'chk-1');
		mkdirSync(newJob, {recursive: true});
		writeFileSync(join(newJob, '_metadata'), metadataBytes(1, [sstReferenced]));
		const old = (NOW - 10 * HOUR) / 1000;
		utimesSync(join(newJob, '_metadata'), old, old);
		// 2. A planned file was touched (still older than --min-age).
		utimesSync(sstTouched, (NOW - 5 * HOUR) / 1000, (NOW - 5 * HOUR) / 1000);
		// 3. A planned directory was replaced by a symlink pointing out of the root.
		const outside = tempDir('fcx-exec-outside-');
		writeFileSync(join(outside, 'precious'), 'do not touch');
		rmSync(B('chk-8'), {recursive: true});
		symlinkSync(outside, B('chk-8'));

		const result = await executePlan(plan, {nowMs: NOW});
		const byPath = new Map(result.records.map((r) => [r.path, r]));
		expect(result.records.map((r) => r.path)).toEqual(plan.entries.map((e) => e.path));
		expect(byPath.get(A('chk-6'))!.action).toBe('quarantined');
		expect(byPath.get(deadJob)!.action).toBe('quarantined');
		expect(byPath.get(sstReferenced)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/referenced/)});
		expect(byPath.get(sstTouched)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/changed since the plan/)});
		expect(byPath.get(B('chk-8'))).toMatchObject({action: 'skipped', reason: expect.stringMatching(/symlink/)});

		// Moved with relative paths kept; the rest untouched.
		const quarantine = result.quarantineDir!;
		expect(quarantine.startsWith(join(dir, '.fcx-quarantine'))).toBe(true);
		expect(byPath.get(A('chk-6'))!.quarantinePath).toBe(join(quarantine, 'checkpoints', JOBS.A, 'chk-6'));
		expect(existsSync(A('chk-6'))).toBe(false);
		expect(existsSync(join(quarantine, 'checkpoints', JOBS.D, 'shared'))).toBe(true);
		expect(existsSync(sstReferenced) && existsSync(sstTouched)).toBe(true);
		expect(lstatSync(B('chk-8')).isSymbolicLink()).toBe(true);
		expect(readFileSync(join(outside, 'precious'), 'utf8')).toBe('do not touch');
		for (const f of referencedBefore) expect(existsSync(f)).toBe(true);

		// The quarantine is not scanned: the tree now only has the new job's checkpoint in addition.
		const after = await analyse([dir], {nowMs: NOW});
		expect(after.orphans.filter((o) => !o.possiblyInProgress).map((o) => o.path)).toEqual([sstTouched]);
		expect(after.missing).toHaveLength(1);

		// The log says exactly what was done.
		const log = readFileSync(result.logPath, 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as {event: string; path?: string; action?: string});
		expect(log[0].event).toBe('start');
		expect(log.at(-1)!.event).toBe('done');
		expect(log.filter((l) => l.event === 'entry').map((l) => [l.path, l.action])).toEqual(result.records.map((r) => [r.path, r.action]));

		// The restore command brings the moved entries back.
		execSync(result.restoreCommand!);
		expect(existsSync(A('chk-6'))).toBe(true);
		expect(existsSync(join(deadJob, 'chk-12'))).toBe(true);
		const restored = await analyse([dir], {nowMs: NOW});
		expect(restored.orphans.map((o) => o.path)).toEqual(expect.arrayContaining([A('chk-6'), deadJob]));
	});

	test('a root whose name holds an escape sequence: the restore script comments it visibly and still restores exactly', async () => {
		const dir = tempDir('fcx-exec-\u001B[31m\u009B-');
		await generateSampleTree(dir);
		const plan = makePlan(await analyse([dir], {nowMs: NOW}), {nowMs: NOW});
		const result = await executePlan(plan, {nowMs: NOW});
		const moved = result.records.filter((r) => r.action === 'quarantined').map((r) => r.path);
		expect(moved.length).toBeGreaterThan(0);
		const script = readFileSync(result.restoreCommand!.replace(/^sh '(.*)'$/, '$1'), 'utf8');
		const comments = script.split('\n').filter((line) => line.startsWith('#'));
		expect(comments.join('\n')).toContain('fcx-exec-\\x1b[31m\\x9b-');
		// eslint-disable-next-line no-control-regex
		expect(comments.join('\n')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		execSync(result.restoreCommand!);
		for (const path of moved) expect(existsSync(path)).toBe(true);
	});

	test('--delete removes for real; nothing referenced goes', async () => {
		const {analysis} = await sample();
		const plan = makePlan(analysis, {nowMs: NOW});
		const result = await executePlan(plan, {delete: true, nowMs: NOW});
		expect(result.records.every((r) => r.action === 'deleted')).toBe(true);
		expect(result.quarantineDir).toBeNull();
		expect(result.restoreCommand).toBeNull();
		for (const e of plan.entries) expect(existsSync(e.path)).toBe(false);
		for (const f of referencedExisting(analysis)) expect(existsSync(f)).toBe(true);
		expect(existsSync(result.logPath)).toBe(true);
	});

	test('skips entries younger than --min-age, outside the roots, not normalised, missing, or the newest checkpoint', async () => {
		const {dir, analysis, A} = await sample();
		const plan = makePlan(analysis, {nowMs: NOW});
		const chk5 = analysis.checkpoints.find((cp) => cp.path === A('chk-5'))!;
		const fp = [...analysis.scannedFiles].filter(([f]) => f.startsWith(`${chk5.path}/`));
		const tampered = {
			...plan,
			entries: [
				...plan.entries,
				{path: '/etc/hostname', type: 'file' as const, bytes: 1, size: 1, mtimeMs: 0, reason: 'x', evidence: 'x'},
				{path: `${dir}/checkpoints/../checkpoints/${JOBS.D}`, type: 'directory' as const, bytes: 1, size: 1, mtimeMs: 0, reason: 'x', evidence: 'x'},
				{path: join(dir, 'nope'), type: 'file' as const, bytes: 1, size: 1, mtimeMs: 0, reason: 'x', evidence: 'x'},
				{
					path: chk5.path,
					type: 'directory' as const,
					bytes: 0,
					size: fp.reduce((n, [, s]) => n + s.size, 0),
					mtimeMs: Math.max(...fp.map(([, s]) => s.mtimeMs)),
					files: fp.length,
					reason: 'x',
					evidence: 'x',
					target: chk5.path,
					removesCheckpoints: [chk5.path],
				},
			],
		};
		const young = await executePlan(tampered, {nowMs: NOW, minAgeMs: 30 * 24 * HOUR});
		const reasons = new Map(young.records.map((r) => [r.path, r]));
		for (const e of plan.entries) expect(reasons.get(e.path)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/younger than --min-age/)});
		expect(reasons.get('/etc/hostname')!.reason).toMatch(/outside the plan roots/);
		expect(reasons.get(`${dir}/checkpoints/../checkpoints/${JOBS.D}`)!.reason).toMatch(/normalised/);
		expect(reasons.get(join(dir, 'nope'))!.reason).toMatch(/missing/);
		expect(reasons.get(chk5.path)!.action).toBe('skipped');
		expect(young.restoreCommand).toBeNull();
		for (const e of plan.entries) expect(existsSync(e.path)).toBe(true);

		const normal = await executePlan(tampered, {nowMs: NOW});
		expect(normal.records.find((r) => r.path === chk5.path)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/newest complete checkpoint/)});
		expect(existsSync(join(chk5.path, '_metadata'))).toBe(true);
		expect(normal.records.filter((r) => r.action === 'quarantined')).toHaveLength(plan.entries.length);
	});

	test('a what-if target is executed with what only it references; a skipped checkpoint keeps its files', async () => {
		const {analysis, A} = await sample();
		const plan = makePlan(analysis, {targets: [A('chk-3'), A('chk-4')], nowMs: NOW});
		const sst9 = analysis.checkpoints.find((cp) => cp.path === A('chk-3'))!.files.find((f) => f.reference.localPath === '000009.sst')!.path!;
		expect(plan.entries.map((e) => e.path)).toContain(sst9);
		// chk-4 changes after planning: it must stay, and so must 000009.sst, which it references.
		writeFileSync(join(A('chk-4'), 'late-file'), 'x');
		utimesSync(join(A('chk-4'), 'late-file'), (NOW - 5 * HOUR) / 1000, (NOW - 5 * HOUR) / 1000);
		const result = await executePlan(plan, {nowMs: NOW});
		const byPath = new Map(result.records.map((r) => [r.path, r]));
		expect(byPath.get(A('chk-3'))!.action).toBe('quarantined');
		expect(byPath.get(A('chk-4'))!.action).toBe('skipped');
		expect(byPath.get(sst9)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/referenced by .*chk-4/)});
		expect(existsSync(sst9)).toBe(true);
	});
});
