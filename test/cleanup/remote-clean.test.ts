/**
 * `clean` on S3 against a real S3-compatible server (s3rver on 127.0.0.1): plan + clean quarantine
 * exactly the orphans (a second plan finds none, every checkpoint stays as it was), a tampered plan
 * moves nothing it should not, an object changed after the plan (or between the re-scan and the
 * act) is skipped, `--delete` deletes in DeleteObjects batches, and the restore script (`aws s3 mv`)
 * puts everything back.
 */
import {execFile} from 'node:child_process';
import {readFileSync} from 'node:fs';
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
const B_CHK_8 = 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8';

let server: S3rver;
let local: string;
let store: S3Store;
let localPlan: Plan;

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
		expect(relative(plan.entries.map((e) => e.path), root)).toEqual(relative(localPlan.entries.map((e) => e.path), local));
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
		const snapshots = (a: typeof fresh, r: string): string[] => a.checkpoints.filter((c) => c.metadataPath !== null).map((c) => `${c.path.slice(r.length)} ${c.status}`).sort();
		expect(snapshots(fresh, root)).toEqual(snapshots(local_, local));
		const log = readFileSync(logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {event: string});
		expect(log[0].event).toBe('start');
		expect(log.at(-1)!.event).toBe('done');
		expect(log.filter((l) => l.event === 'moving').length).toBe([...after.keys()].filter((k) => k.startsWith(`${result.quarantineDir}/`)).length);

		// The restore script, run with the AWS CLI against s3rver, puts every object back.
		const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
		const script = result.restoreCommand!.replace(/^sh '(.*)'$/, '$1');
		await promisify(execFile)('sh', [script], {env, timeout: 240_000});
		const restored = await keys('quarantine');
		for (const [key, size] of before) expect({key, size: restored.get(key)}).toEqual({key, size});
	}, 300_000);
});
