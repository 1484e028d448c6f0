/**
 * `clean` on S3 against a real S3-compatible server (s3rver on 127.0.0.1): plan + clean quarantine
 * exactly the orphans (a second plan finds none, every checkpoint stays as it was), a tampered plan
 * moves nothing it should not, an object changed after the plan (or between the re-scan and the
 * act) is skipped, `--delete` deletes in DeleteObjects batches, and the restore script (`aws s3 mv`)
 * puts everything back.
 */
import {execFile} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {PutObjectCommand} from '@aws-sdk/client-s3';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {executeRemotePlan, makePlan} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {createS3Store, type S3Store} from '../../source/store/s3.js';
import {tempDir} from '../support/temp.js';
import {createBucket, startS3rver, uploadTree, type S3rver} from '../store/s3rver.js';

const BUCKET = 'fcx';
/** After every orphan of the sample tree is an hour old (see fixtures/README.md). */
const NOW = Date.parse('2026-11-02T00:00:00Z');
const CLI = path.resolve('dist/fcx.js');
const B_CHK_8 = 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8';

let server: S3rver;
let local: string;
let store: S3Store;
let localPlan: Plan;
let hasAwsCli = false;

/** Upload the sample tree to `prefix` (with a marker on B's unfinished chk-8, as the answer key does). */
async function upload(prefix: string): Promise<string> {
	await uploadTree(server, local, BUCKET, prefix, [B_CHK_8]);
	return `s3://${BUCKET}/${prefix}`;
}

async function planOf(root: string): Promise<Plan> {
	return makePlan(await analyse([root], {nowMs: NOW, stores: {s3: store}}));
}

/** Every key below `prefix` with its size. */
async function keys(prefix: string): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	for await (const batch of store.list(`s3://${BUCKET}/${prefix}`)) for (const e of batch) out.set(e.path, e.size);
	return out;
}

beforeAll(async () => {
	local = tempDir('fcx-s3clean-tree-');
	await generateSampleTree(local);
	localPlan = makePlan(await analyse([local], {nowMs: NOW}));
	hasAwsCli = await promisify(execFile)('aws', ['--version']).then(
		() => true,
		() => false,
	);
	server = await startS3rver(tempDir('fcx-s3clean-s3rver-'));
	await createBucket(server, BUCKET);
	store = await createS3Store({...server.storeOptions, client: server.client});
}, 120_000);

afterAll(async () => {
	await server?.stop();
});

const relative = (paths: readonly string[], root: string): string[] => paths.map((p) => p.slice(root.length)).sort();

describe('clean on S3 (s3rver)', () => {
	it('plan on S3 equals the local plan; clean quarantines exactly its orphans and a second plan finds none; the restore script undoes it', async () => {
		const root = await upload('quarantine');
		const plan = await planOf(root);
		expect(plan.entries.length).toBeGreaterThan(3);
		expect(
			relative(
				plan.entries.map((e) => e.path),
				root,
			),
		).toEqual(
			relative(
				localPlan.entries.map((e) => e.path),
				local,
			),
		);
		const before = await keys('quarantine');
		const logPath = path.join(tempDir('fcx-s3clean-log-'), 'run.log');
		const result = await executeRemotePlan(JSON.parse(JSON.stringify(plan)) as Plan, {store, nowMs: NOW, logPath, endpoint: server.endpoint});
		expect(result.records.filter((r) => r.action !== 'quarantined')).toEqual([]);
		// s3rver does not implement GetObjectLockConfiguration: said, not refused.
		expect(result.warnings.join('\n')).toContain('Object Lock');
		const after = await keys('quarantine');
		for (const [key, size] of before) {
			const planned = plan.entries.some((e) => key === e.path || key.startsWith(`${e.path}/`));
			const moved = `${result.quarantineDir}${key.slice(root.length)}`;
			expect({key, kept: after.get(key), moved: after.get(moved)}).toEqual(planned ? {key, kept: undefined, moved: size} : {key, kept: size, moved: undefined});
		}
		const second = await planOf(root);
		expect(second.entries).toEqual([]);
		const fresh = await analyse([root], {nowMs: NOW, stores: {s3: store}});
		const local_ = await analyse([local], {nowMs: NOW});
		// Every snapshot with a _metadata is as it was (only incomplete chk-<n> directories went).
		const snapshots = (a: typeof fresh, r: string): string[] =>
			a.checkpoints
				.filter((c) => c.metadataPath !== null)
				.map((c) => `${c.path.slice(r.length)} ${c.status}`)
				.sort();
		expect(snapshots(fresh, root)).toEqual(snapshots(local_, local));
		const log = readFileSync(logPath, 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as {event: string});
		expect(log[0].event).toBe('start');
		expect(log.at(-1)!.event).toBe('done');
		expect(log.filter((l) => l.event === 'moving').length).toBe([...after.keys()].filter((k) => k.startsWith(`${result.quarantineDir}/`)).length);

		// The restore script, run with the AWS CLI against s3rver (a part of it: the CLI takes seconds
		// an object), puts objects back and skips one that never moved.
		if (!hasAwsCli) {
			console.warn('[s3clean] the AWS CLI is not installed: the restore script is not run');
			return;
		}
		const env = {
			...process.env,
			AWS_ACCESS_KEY_ID: 'S3RVER',
			AWS_SECRET_ACCESS_KEY: 'S3RVER',
			AWS_DEFAULT_REGION: 'us-east-1',
			AWS_EC2_METADATA_DISABLED: 'true',
		};
		const lines = readFileSync(result.restoreCommand!.replace(/^sh '(.*)'$/, '$1'), 'utf8').split('\n');
		const backs = lines.filter((l) => l.startsWith('back '));
		expect(backs.length).toBe(log.filter((l) => l.event === 'moving').length);
		const part = path.join(tempDir('fcx-s3clean-restore-'), 'part.sh');
		writeFileSync(
			part,
			[
				...lines.filter((l) => !l.startsWith('back ')),
				...backs.slice(0, 1),
				`back '${BUCKET}' 'quarantine/.fcx-quarantine/never/moved' 'quarantine/never-moved'`,
				'exit $status',
				'',
			].join('\n'),
		);
		await promisify(execFile)('sh', [part], {env, timeout: 120_000});
		const restored = await keys('quarantine');
		const back = backs.slice(0, 1).map((l) => `s3://${BUCKET}/${/'([^']*)'$/.exec(l)![1]}`);
		for (const key of back) expect({key, size: restored.get(key)}).toEqual({key, size: before.get(key)});
		expect(restored.size).toBe(after.size);
		expect(restored.has(`${root}/never-moved`)).toBe(false);
	}, 300_000);

	it('a tampered plan moves nothing it should not: referenced files, the newest checkpoint, a target that breaks, paths outside the roots', async () => {
		const root = await upload('tampered');
		const analysis = await analyse([root], {nowMs: NOW, stores: {s3: store}});
		const plan = makePlan(analysis);
		const before = await keys('tampered');
		const complete = analysis.checkpoints.filter((c) => c.status === 'complete' && c.kind === 'checkpoint');
		const referenced = complete.flatMap((c) => c.files.flatMap((f) => (f.path !== null && f.path.includes('/shared/') ? [f.path] : []))).slice(0, 3);
		expect(referenced.length).toBeGreaterThan(0);
		const entry = (p: string, type: 'file' | 'directory' = 'file'): Plan['entries'][number] => ({
			path: p,
			type,
			bytes: 1,
			size: before.get(p) ?? 0,
			mtimeMs: 0,
			reason: 'orphan',
			evidence: 'tampered',
		});
		const newest = complete
			.map((c) => c.path)
			.sort()
			.at(-1)!;
		const tampered: Plan = {
			...plan,
			entries: [
				...referenced.map((p) => entry(p)),
				entry(complete[0].metadataPath!),
				{...entry(newest, 'directory'), target: newest, removesCheckpoints: [newest]},
				{...entry(referenced[0]), target: newest},
				entry(`s3://${BUCKET}/elsewhere/x`),
				entry(`s3://${BUCKET}/tampered/../quarantine/y`),
				...plan.entries,
			],
		};
		const result = await executeRemotePlan(tampered, {store, nowMs: NOW, logPath: path.join(tempDir('fcx-s3clean-log-'), 'run.log')});
		const extra = tampered.entries.length - plan.entries.length;
		expect(result.records.find((r) => r.path.includes('/../'))?.reason).toBe('not a normalised S3 URI');
		expect(result.records.slice(0, extra).map((r) => r.action)).toEqual(Array(extra).fill('skipped'));
		expect(result.records.slice(extra).map((r) => r.action)).toEqual(plan.entries.map(() => 'quarantined'));
		const after = await keys('tampered');
		for (const [key, size] of before) {
			if (plan.entries.some((e) => key === e.path || key.startsWith(`${e.path}/`))) continue;
			expect({key, size: after.get(key)}).toEqual({key, size});
		}
		const fresh = await analyse([root], {nowMs: NOW, stores: {s3: store}});
		expect(fresh.checkpoints.filter((c) => c.metadataPath !== null).map((c) => `${c.path} ${c.status}`)).toEqual(
			analysis.checkpoints.filter((c) => c.metadataPath !== null).map((c) => `${c.path} ${c.status}`),
		);
	}, 120_000);

	it('an object changed after the plan, or between the re-scan and the act (HeadObject), is skipped and stays as it is', async () => {
		const root = await upload('changed');
		const plan = await planOf(root);
		const files = plan.entries.filter((e) => e.type === 'file');
		expect(files.length).toBeGreaterThanOrEqual(2);
		const [afterPlan, duringRun] = files;
		const key = (p: string): string => p.slice(`s3://${BUCKET}/`.length);
		await server.client.send(new PutObjectCommand({Bucket: BUCKET, Key: key(afterPlan.path), Body: 'rewritten after the plan'}));
		// A writer that rewrites one object just before its HeadObject: after the re-scan, before the act.
		class Racing extends (store.constructor as typeof S3Store) {
			override async head(p: string): Promise<{size: number; mtimeMs: number} | undefined> {
				if (p === duringRun.path) await server.client.send(new PutObjectCommand({Bucket: BUCKET, Key: key(p), Body: 'rewritten during the run'}));
				return super.head(p);
			}
		}
		const racing = new Racing(server.client, {}, server.endpoint);
		const result = await executeRemotePlan(plan, {store: racing, nowMs: NOW, logPath: path.join(tempDir('fcx-s3clean-log-'), 'run.log')});
		const record = (p: string): {action: string; reason?: string} => result.records.find((r) => r.path === p)!;
		expect(record(afterPlan.path)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/^changed since the plan: size/)});
		expect(record(duringRun.path)).toMatchObject({action: 'skipped', reason: expect.stringMatching(/^changed since the scan: .* is now 24 bytes/)});
		expect(result.records.filter((r) => r.action === 'quarantined').length).toBe(plan.entries.length - 2);
		const after = await keys('changed');
		expect(after.get(afterPlan.path)).toBe(24);
		expect(after.get(duringRun.path)).toBe(24);
	}, 120_000);

	it('--delete deletes exactly the orphans (DeleteObjects) and a second plan finds none', async () => {
		const root = await upload('deleted');
		const plan = await planOf(root);
		const before = await keys('deleted');
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, delete: true, logPath: path.join(tempDir('fcx-s3clean-log-'), 'run.log')});
		expect(result.records.map((r) => r.action)).toEqual(plan.entries.map(() => 'deleted'));
		expect(result.restoreCommand).toBeNull();
		const after = await keys('deleted');
		for (const [key, size] of before) {
			const planned = plan.entries.some((e) => key === e.path || key.startsWith(`${e.path}/`));
			expect({key, size: after.get(key)}).toEqual({key, size: planned ? undefined : size});
		}
		expect([...after.keys()].some((k) => k.includes('.fcx-quarantine'))).toBe(false);
		expect((await planOf(root)).entries).toEqual([]);
	}, 120_000);

	it.skipIf(!existsSync(CLI))(
		'fcx plan s3://… --out plan.json, then fcx clean --plan plan.json --yes --endpoint …: the orphans are in the quarantine, the restore command is printed',
		async () => {
			const root = await upload('cli');
			const work = tempDir('fcx-s3clean-cli-');
			const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
			const fcx = (...args: string[]): Promise<{stdout: string; stderr: string}> => promisify(execFile)(process.execPath, [CLI, ...args], {env, cwd: work});
			await fcx('plan', root, '--endpoint', server.endpoint, '--json', '--out', 'plan.json');
			const plan = JSON.parse(readFileSync(path.join(work, 'plan.json'), 'utf8')) as Plan;
			expect(plan.roots).toEqual([root]);
			expect(plan.entries.length).toBe(localPlan.entries.length);
			const {stdout, stderr} = await fcx('clean', '--plan', 'plan.json', '--yes', '--endpoint', server.endpoint);
			expect(stderr).toContain('Object Lock');
			expect(stdout).toMatch(/Restore:\s+sh '.*fcx-clean-.*\.restore\.sh'/);
			const after = await keys('cli');
			for (const e of plan.entries) expect([...after.keys()].some((k) => k === e.path || k.startsWith(`${e.path}/`))).toBe(false);
			expect([...after.keys()].filter((k) => k.includes('/.fcx-quarantine/')).length).toBeGreaterThan(plan.entries.length - 1);
		},
		120_000,
	);
});
