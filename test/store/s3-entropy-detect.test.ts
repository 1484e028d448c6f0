/**
 * Entropy injection without `--entropy-key`: a tree Flink wrote with `s3.entropy.key` (state files
 * below random 4-character prefixes, `_metadata` at the entropy-free path), analysed from its
 * entropy-free root on a real S3-compatible server (s3rver on 127.0.0.1), in process and through
 * the CLI. The listing of the root does not show the state files: none may show as missing, none
 * may be an orphan, and a typed warning says what was seen and the `--entropy-key` to use.
 */
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import * as nodePath from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {EntropyDetector} from '../../source/store/entropy.js';
import {tempDir} from '../support/temp.js';
import {ENTROPY_JOB, ENTROPY_PREFIXES, uploadEntropyTree, writeEntropyTree} from './entropy-tree.js';
import {createBucket, startS3rver, type S3rver} from './s3rver.js';

const BUCKET = 'fcx';
const ROOT = `s3://${BUCKET}/flink/cp`;
const NOW = Date.parse('2026-11-02T00:00:00Z');
const LEFTOVER = `${ROOT}/${ENTROPY_JOB}/shared/5f0e9a7c-0000-4000-8000-0000000000ff`;

let server: S3rver;

beforeAll(async () => {
	const local = tempDir('fcx-entropy-detect-');
	writeEntropyTree(local, BUCKET);
	server = await startS3rver(tempDir('fcx-s3rver-entropy-detect-'));
	await createBucket(server, BUCKET);
	await uploadEntropyTree(server, local, BUCKET);
}, 120_000);

afterAll(async () => {
	await server?.stop();
});

describe('entropy injection without --entropy-key (s3rver, in process)', () => {
	it('nothing is missing and nothing is an orphan; an entropy-detected warning names the prefixes and the --entropy-key to use', async () => {
		const analysis = await analyse([ROOT], {nowMs: NOW, s3: server.storeOptions});
		expect(analysis.missing).toEqual([]);
		expect(analysis.orphans).toEqual([]);
		const checkpoints = analysis.jobs.flatMap((j) => j.checkpoints);
		expect(checkpoints.map((cp) => cp.status)).toEqual(['unknown-files', 'unknown-files']);
		const detected = analysis.warnings.filter((w) => w.code === 'entropy-detected');
		expect(detected.map((w) => w.path)).toEqual([ROOT]);
		expect(detected[0].message).toContain(`below s3://${BUCKET}/<4 random characters>/flink/cp (${[...ENTROPY_PREFIXES].sort().join(', ')})`);
		expect(detected[0].message).toContain(`s3://${BUCKET}/KEY/flink/cp --entropy-key KEY`);
		expect(analysis.warnings.find((w) => w.code === 'job-orphans-withheld')?.path).toBe(ROOT);
	});

	it('following the warning (the root as configured, with the key) finds every file, and the leftover is the one orphan', async () => {
		const analysis = await analyse([`s3://${BUCKET}/_entropy_/flink/cp`], {nowMs: NOW, s3: server.storeOptions, entropyKey: '_entropy_'});
		expect(analysis.warnings.map((w) => w.code)).not.toContain('entropy-detected');
		expect(analysis.jobs.flatMap((j) => j.checkpoints).map((cp) => cp.status)).toEqual(['complete', 'complete']);
		expect(analysis.missing).toEqual([]);
		expect(analysis.orphans.map((o) => o.path)).toEqual([LEFTOVER]);
	});
});

describe('listing progress (s3rver)', () => {
	it('the listing reports phase list: objects listed over the stores, and a rate', async () => {
		const listed: {done: number; rate?: number}[] = [];
		await analyse([ROOT, `s3://${BUCKET}/Ab3x`], {nowMs: NOW, s3: server.storeOptions, onProgress: (p) => (p.phase === 'list' ? listed.push(p) : undefined)});
		expect(listed.length).toBeGreaterThan(0);
		expect(listed.every((p) => p.rate !== undefined && p.rate > 0)).toBe(true);
		expect(listed.at(-1)!.done).toBeGreaterThanOrEqual(4); // 2 _metadata + the leftover + Ab3x's file
	});
});

describe('EntropyDetector', () => {
	const seen = (root: string, paths: string[]): string[] => {
		const d = new EntropyDetector([root]);
		for (const p of paths) d.note(p);
		return d.report().map((w) => w.path);
	};
	const below = (segment: string, file: string): string => `s3a://b/${segment}/cp/job/shared/${file}`;

	it('one length, a new value per file (any S3 alias): entropy', () => {
		expect(seen('s3://b/cp', [below('Ab3x', '1'), below('q9Zk', '2'), below('Ab3x', '1')])).toEqual(['s3://b/cp']);
		expect(seen('s3://b/cp', [below('Ab3x', '1')])).toEqual(['s3://b/cp']);
	});

	it('not entropy: lengths differ, one value for several files, paths below the root, other buckets, relative names, a segment below the root', () => {
		expect(seen('s3://b/cp', [below('Ab3x', '1'), below('q9Zk12', '2')])).toEqual([]);
		expect(seen('s3://b/cp', [below('old', '1'), below('old', '2')])).toEqual([]);
		expect(seen('s3://b/cp', ['s3://b/cp/job/shared/1', 's3://c/Ab3x/cp/job/shared/1', '5f0e9a7c-0000', 'hdfs://nn/Ab3x/cp/job/x'])).toEqual([]);
		expect(seen('s3://b', [below('Ab3x', '1')])).toEqual([]);
		expect(seen('s3://b/cp', ['s3://b/Ab3x/cp'])).toEqual([]);
	});
});

const CLI = nodePath.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[entropy-detect] dist/fcx.js is missing (run `npm run build`): the CLI test is SKIPPED');

describe.skipIf(!built)('fcx report without --entropy-key (s3rver, dist/fcx.js)', () => {
	it('says what was seen on stderr-free JSON: the entropy-detected warning, no missing file, no orphan', async () => {
		const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
		const run = promisify(execFile)(process.execPath, [CLI, 'report', '--json', '--files', ROOT, '--endpoint', server.endpoint], {env}).catch(
			(error: {code: number; stdout: string; stderr: string}) => error,
		);
		const {stdout, stderr} = await run;
		expect(stderr).toBe('');
		const json = JSON.parse(stdout) as {summary: {missing: number; orphans: number}; warnings: {code: string; path: string}[]};
		expect([json.summary.missing, json.summary.orphans]).toEqual([0, 0]);
		expect(json.warnings.filter((w) => w.code === 'entropy-detected').map((w) => w.path)).toEqual([ROOT]);
	});
});
