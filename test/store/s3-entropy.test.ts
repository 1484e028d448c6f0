/**
 * Entropy injection (`s3.entropy.key`) on a real S3-compatible server (s3rver on 127.0.0.1): the
 * sample tree uploaded as Flink writes it with `state.checkpoints.dir: s3://fcx/_entropy_/flink/cp`
 * — each `_metadata` at the entropy-free path, every other file below a random prefix in place of
 * the key — analyses with `--entropy-key` exactly as the local copy does.
 */
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {cpSync, existsSync, mkdirSync, utimesSync} from 'node:fs';
import {promisify} from 'node:util';
import * as nodePath from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {reportToJson} from '../../source/report/json.js';
import {entropyLayout} from '../../source/store/entropy.js';
import {tempDir} from '../support/temp.js';
import {walkLocal} from './local-tree.js';
import {createBucket, startS3rver, uploadTree, type S3rver} from './s3rver.js';

const BUCKET = 'fcx';
const KEY = '_entropy_';
const CONFIGURED = `s3://${BUCKET}/${KEY}/flink/cp`;
const ROOT = `s3://${BUCKET}/flink/cp`;
const NOW = Date.parse('2026-11-02T00:00:00Z');
const B_CHK_8 = 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8';
/** Flink's random characters (`s3.entropy.length` 4); each file gets one of these by its path. */
const PREFIXES = ['Ab3x', 'q9Zk', '7Tmw'];

let server: S3rver;
let local: string;

beforeAll(async () => {
	local = tempDir('fcx-entropy-tree-');
	await generateSampleTree(local);
	// One local directory per upload: the _metadata files (and chk-8's directory marker), and the rest by entropy prefix.
	const parts = new Map<string, string>([['', tempDir('fcx-entropy-meta-')], ...PREFIXES.map((p) => [p, tempDir(`fcx-entropy-${p}-`)] as [string, string])]);
	for (const e of walkLocal(local)) {
		if (e.kind !== 'file') continue;
		const prefix = nodePath.basename(e.rel) === '_metadata' ? '' : PREFIXES[createHash('sha1').update(e.rel).digest()[0] % PREFIXES.length];
		const to = nodePath.join(parts.get(prefix)!, e.rel);
		mkdirSync(nodePath.dirname(to), {recursive: true});
		cpSync(nodePath.join(local, e.rel), to, {preserveTimestamps: true});
	}
	const chk8 = walkLocal(local).find((e) => e.rel === B_CHK_8)!;
	mkdirSync(nodePath.join(parts.get('')!, B_CHK_8), {recursive: true});
	utimesSync(nodePath.join(parts.get('')!, B_CHK_8), new Date(chk8.mtimeMs), new Date(chk8.mtimeMs));
	server = await startS3rver(tempDir('fcx-s3rver-entropy-'));
	await createBucket(server, BUCKET);
	for (const [prefix, dir] of parts) await uploadTree(server, dir, BUCKET, prefix === '' ? 'flink/cp' : `${prefix}/flink/cp`, prefix === '' ? [B_CHK_8] : []);
	// Not an entropy prefix: nothing of the tree below it.
	await uploadTree(server, parts.get('')!, BUCKET, 'other/data');
}, 120_000);

afterAll(async () => {
	await server?.stop();
});

/** A JSON report with `root` replaced by `ROOT`, and without generatedAt and the store-only warnings. */
function comparable(report: unknown, root: string): unknown {
	const json = JSON.parse(JSON.stringify(report).split(root).join(ROOT)) as {warnings: {code: string}[]; summary: {warnings: number}; generatedAt?: string};
	delete json.generatedAt;
	const kept = json.warnings.filter((w) => w.code !== 'pending-uploads-unknown' && w.code !== 'entropy-prefixes');
	json.summary.warnings -= json.warnings.length - kept.length;
	json.warnings = kept;
	return json;
}

describe('entropy injection on S3 (s3rver)', () => {
	it('the root as configured, with the key: the entropy-free root, the path the prefixes are in, and what follows', () => {
		expect(entropyLayout(CONFIGURED, KEY)).toEqual({root: ROOT, parent: `s3://${BUCKET}`, rest: 'flink/cp'});
		expect(entropyLayout(`s3://${BUCKET}/flink/${KEY}`, KEY)).toEqual({root: `s3://${BUCKET}/flink`, parent: `s3://${BUCKET}/flink`, rest: ''});
		expect(entropyLayout(ROOT, KEY)).toBeUndefined();
	});

	it('with --entropy-key, the state files below every entropy prefix are in their checkpoints: the answer of the local copy', async () => {
		const [onDisk, onS3] = await Promise.all([analyse([local], {nowMs: NOW}), analyse([CONFIGURED], {nowMs: NOW, s3: server.storeOptions, entropyKey: KEY})]);
		expect(onS3.roots).toEqual([ROOT]);
		expect(onS3.missing.length).toBe(1); // B's chk-7, as on the local copy
		const json = (analysis: typeof onS3): unknown => reportToJson(analysis, {version: 'test', files: true});
		expect(comparable(json(onS3), ROOT)).toEqual(comparable(json(onDisk), local));
		// 'other' is not of the entropy prefixes' length: not one, not listed.
		expect(onS3.warnings.filter((w) => w.code === 'entropy-prefixes').map((w) => [w.path, w.message])).toEqual([
			[
				ROOT,
				`3 entropy prefixes below s3://${BUCKET} listed (7Tmw, Ab3x, q9Zk); their files are shown at their entropy-free paths; not listed (not of length 4, as the entropy prefixes are): other`,
			],
		]);
	});

	it('without it, the entropy-free root alone misses the state files (what --entropy-key is for)', async () => {
		const analysis = await analyse([ROOT], {nowMs: NOW, s3: server.storeOptions});
		expect(analysis.missing.length).toBeGreaterThan(10);
	});

	it('a root without the key’s segment is a warning naming it and saying how to give the root', async () => {
		const analysis = await analyse([ROOT], {nowMs: NOW, s3: server.storeOptions, entropyKey: KEY});
		const warning = analysis.warnings.find((w) => w.code === 'root-unreadable');
		expect(warning?.path).toBe(ROOT);
		expect(warning?.message).toMatch(/no segment is the entropy key _entropy_/);
	});
});

const CLI = nodePath.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[entropy] dist/fcx.js is missing (run `npm run build`): the CLI answer key is SKIPPED');

/** `fcx report --json …` with s3rver's credentials; exit status, parsed output and stderr. */
async function reportJson(...args: string[]): Promise<{status: number; json: unknown; stderr: string}> {
	const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
	try {
		const {stdout, stderr} = await promisify(execFile)(process.execPath, [CLI, 'report', '--json', ...args], {env, maxBuffer: 64 << 20});
		return {status: 0, json: JSON.parse(stdout), stderr};
	} catch (error) {
		const e = error as {code: number; stdout: string; stderr: string};
		return {status: e.code, json: e.stdout === '' ? null : (JSON.parse(e.stdout) as unknown), stderr: e.stderr};
	}
}

describe.skipIf(!built)('fcx report --entropy-key on S3 (s3rver, dist/fcx.js)', () => {
	it('equals the report on the local copy (answer key), the root aside', async () => {
		const [onDisk, onS3] = await Promise.all([reportJson(local), reportJson(CONFIGURED, '--entropy-key', KEY, '--endpoint', server.endpoint)]);
		expect(onS3.stderr).toBe('');
		expect([onDisk.status, onS3.status]).toEqual([1, 1]);
		expect(comparable(onS3.json, ROOT)).toEqual(comparable(onDisk.json, local));
	});

	it('--entropy-key that is not one segment is a usage error naming the flag', async () => {
		const result = await reportJson(CONFIGURED, '--entropy-key', 'a/b');
		expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(/^fcx: --entropy-key: expected one path segment/)]);
	});
});
