/**
 * Attacks on the trust promise on S3 (s3rver on 127.0.0.1, started here; see test/store/s3rver.ts):
 * keys that are a file and a directory at once, a writer that adds a checkpoint between `plan` and
 * `clean`, a directory that gains an object after the plan, and entropy injection
 * (`--entropy-key`) where a reference's entropy prefix is not where the file is.
 *
 * Found (fixed since): the entropy store showed every state file at its entropy-free path and
 * forgot its prefix, and a reference (which names its prefix: `s3://b/AAAA/cp/<job>/shared/s1`)
 * was matched by the entropy-free path. A checkpoint whose files are gone from their prefix and
 * present below another one (a copy, a backup prefix such as `old/cp/…`, which also counted as an
 * entropy prefix: any alphanumeric name did) was called complete, and Flink cannot restore it. Now
 * a reference counts as present only when the key it names was listed, and only names of the
 * entropy prefixes' one length are entropy prefixes.
 */
import {PutObjectCommand} from '@aws-sdk/client-s3';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {executeRemotePlan, makePlan} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {createS3Store, type S3Store} from '../../source/store/s3.js';
import {tempDir} from '../support/temp.js';
import {createBucket, setLastModified, startS3rver, type S3rver} from '../store/s3rver.js';
import {J1, metadataWith} from './helpers.js';

const BUCKET = 'fcx';
const NOW = Date.parse('2026-11-02T00:00:00Z');
const OLD = new Date('2026-01-01T00:00:00Z');
let server: S3rver;
let store: S3Store;

beforeAll(async () => {
	server = await startS3rver(tempDir('fcx-attack-s3rver-'));
	await createBucket(server, BUCKET);
	store = await createS3Store({...server.storeOptions, client: server.client});
}, 120_000);

afterAll(async () => {
	await server?.stop();
});

/** Put `key` (16 bytes unless given), an old object. */
async function put(key: string, body: Uint8Array = new Uint8Array(16).fill(7)): Promise<void> {
	await server.client.send(new PutObjectCommand({Bucket: BUCKET, Key: key, Body: body}));
	await setLastModified(server, BUCKET, key, OLD);
}

/** Whether `key` exists. */
async function exists(key: string): Promise<boolean> {
	return (await store.head(`s3://${BUCKET}/${key}`)) !== undefined;
}

/** A job below `prefix` with a complete chk-4 and chk-5 (chk-5 also references shared/s5), shared/u1 unreferenced. */
async function job(prefix: string): Promise<string> {
	const root = `s3://${BUCKET}/${prefix}`;
	const j = `${root}/${J1}`;
	await put(`${prefix}/${J1}/chk-4/_metadata`, metadataWith(4, [`${j}/chk-4/x4`, `${j}/shared/s1`]));
	await put(`${prefix}/${J1}/chk-5/_metadata`, metadataWith(5, [`${j}/chk-5/x5`, `${j}/shared/s1`, `${j}/shared/s5`]));
	for (const f of ['chk-4/x4', 'chk-5/x5', 'shared/s1', 'shared/s5', 'shared/u1']) await put(`${prefix}/${J1}/${f}`);
	return root;
}

async function planOf(root: string): Promise<Plan> {
	return makePlan(await analyse([root], {nowMs: NOW, stores: {s3: store}}), {nowMs: NOW});
}

async function clean(plan: Plan) {
	const logPath = path.join(tempDir('fcx-attack-s3log-'), 'run.log');
	return executeRemotePlan(JSON.parse(JSON.stringify(plan)) as Plan, {store, nowMs: NOW, logPath, endpoint: server.endpoint});
}

describe('attacks on S3 (s3rver)', () => {
	test('held: an object chk-4/_metadata and objects below chk-4/_metadata/ (S3 holds both): the prefix is not planned, clean keeps the _metadata object and chk-4 stays complete', async () => {
		const root = await job('filedir');
		await put(`filedir/${J1}/chk-4/_metadata/part-0`);
		const plan = await planOf(root);
		// The prefix is reported as an orphan directory, but not planned: its path is a _metadata's.
		expect(plan.entries.map((e) => e.path)).toEqual([`${root}/${J1}/shared/u1`]);
		const result = await clean(plan);
		expect(result.records.map((r) => r.action)).toEqual(['quarantined']);
		expect(await exists(`filedir/${J1}/chk-4/_metadata`)).toBe(true);
		const after = await analyse([root], {nowMs: NOW, stores: {s3: store}});
		expect(after.checkpoints.map((c) => c.status)).toEqual(['complete', 'complete']);
	});

	test('held: a writer adds chk-6 between plan and clean, referencing the planned orphan shared/u1 (a restore in CLAIM mode would): clean skips u1', async () => {
		const root = await job('writer');
		const plan = await planOf(root);
		expect(plan.entries.map((e) => e.path)).toEqual([`${root}/${J1}/shared/u1`]);
		const j = `${root}/${J1}`;
		await put(`writer/${J1}/chk-6/_metadata`, metadataWith(6, [`${j}/chk-6/x6`, `${j}/shared/s5`, `${j}/shared/u1`]));
		await put(`writer/${J1}/chk-6/x6`);
		const result = await clean(plan);
		expect(result.records.map((r) => r.action)).toEqual(['skipped']);
		expect(await exists(`writer/${J1}/shared/u1`)).toBe(true);
	});

	test('held: an incomplete chk-<n> (directory markers, one nested) that gains an object after the plan: skipped whole, nothing of it moved', async () => {
		const root = await job('grow');
		await put(`grow/${J1}/chk-3/`, new Uint8Array(0));
		await put(`grow/${J1}/chk-3/sub/`, new Uint8Array(0));
		await put(`grow/${J1}/chk-3/x3`);
		const plan = await planOf(root);
		expect(plan.entries.map((e) => e.path).sort()).toEqual([`${root}/${J1}/chk-3`, `${root}/${J1}/shared/u1`]);
		await put(`grow/${J1}/chk-3/late`);
		const result = await clean(plan);
		expect(result.records.find((r) => r.path === `${root}/${J1}/chk-3`)?.action).toBe('skipped');
		for (const key of ['chk-3/', 'chk-3/sub/', 'chk-3/x3', 'chk-3/late']) expect(await exists(`grow/${J1}/${key}`)).toBe(true);
	});

	test('entropy: a checkpoint whose files are below another entropy prefix than the one its _metadata names is not complete', async () => {
		const j = `s3://${BUCKET}/AAAA/ecp/${J1}`;
		await put(`ecp/${J1}/chk-5/_metadata`, metadataWith(5, [`${j}/chk-5/x5`, `${j}/shared/s1`]));
		// Gone from AAAA; a copy below BBBB.
		await put(`BBBB/ecp/${J1}/chk-5/x5`);
		await put(`BBBB/ecp/${J1}/shared/s1`);
		const analysis = await analyse([`s3://${BUCKET}/_entropy_/ecp`], {nowMs: NOW, stores: {s3: store}, entropyKey: '_entropy_'});
		expect(analysis.checkpoints.map((c) => c.status)).toEqual(['missing-files']);
		expect(analysis.missing.map((m) => m.path)).toEqual([`${j}/chk-5/x5`, `${j}/shared/s1`]);
		expect(analysis.orphans).toEqual([]);
	});

	test('entropy: the key a reference names is its file; a copy below another prefix beside it changes nothing (complete, no orphan)', async () => {
		const j = `s3://${BUCKET}/CCCC/ecr/${J1}`;
		await put(`ecr/${J1}/chk-6/_metadata`, metadataWith(6, [`${j}/chk-6/x6`, `${j}/shared/s6`]));
		for (const prefix of ['CCCC', 'DDDD']) for (const key of ['chk-6/x6', 'shared/s6']) await put(`${prefix}/ecr/${J1}/${key}`);
		const analysis = await analyse([`s3://${BUCKET}/_entropy_/ecr`], {nowMs: NOW, stores: {s3: store}, entropyKey: '_entropy_'});
		expect(analysis.checkpoints.map((c) => c.status)).toEqual(['complete']);
		expect(analysis.orphans).toEqual([]);
	});

	test('entropy: a name of another length than the entropy prefixes (a backup old/) is not one: its files are no orphans, and a reference into it is not known to exist', async () => {
		const j = `s3://${BUCKET}/EEEE/ecq/${J1}`;
		await put(`ecq/${J1}/chk-7/_metadata`, metadataWith(7, [`${j}/chk-7/x7`, `s3://${BUCKET}/old/ecq/${J1}/shared/s7`]));
		await put(`EEEE/ecq/${J1}/chk-7/x7`);
		await put(`FFFF/ecq/${J1}/shared/leftover`);
		await put(`old/ecq/${J1}/shared/s7`);
		await put(`old/ecq/${J1}/shared/backup`);
		const analysis = await analyse([`s3://${BUCKET}/_entropy_/ecq`], {nowMs: NOW, stores: {s3: store}, entropyKey: '_entropy_'});
		expect(analysis.checkpoints.map((c) => c.status)).toEqual(['unknown-files']);
		expect(analysis.orphans.map((o) => o.path)).toEqual([`s3://${BUCKET}/ecq/${J1}/shared/leftover`]);
		expect(analysis.warnings.find((w) => w.code === 'entropy-prefixes')?.message).toMatch(
			/not listed \(not of length 4, as the entropy prefixes are\): .*\bold\b/,
		);
	});
});
