/**
 * The answer key on S3: the sample tree uploaded to a real S3-compatible server (s3rver on
 * 127.0.0.1) analyses exactly as the local copy does, with the store's URIs in place of the local
 * directory. s3rver does not implement ListMultipartUploads: the report says so in a warning.
 */
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {reportToJson} from '../../source/report/json.js';
import {tempDir} from '../support/temp.js';
import {createS3Store} from '../../source/store/s3.js';
import type {ListOptions, Store} from '../../source/store/types.js';
import {createBucket, startS3rver, uploadTree, type S3rver} from './s3rver.js';

const BUCKET = 'fcx';
const PREFIX = 'flink/sample';
const ROOT = `s3://${BUCKET}/${PREFIX}`;
/** After every orphan of the sample tree is an hour old (see fixtures/README.md). */
const NOW = Date.parse('2026-11-02T00:00:00Z');
const B_CHK_8 = 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8';
/** The same tree with a directory marker for every directory (as S3A's mkdirs leaves them). */
const MARKED = 'flink/marked';

let server: S3rver;
let local: string;

beforeAll(async () => {
	local = tempDir('fcx-s3-tree-');
	await generateSampleTree(local);
	server = await startS3rver(tempDir('fcx-s3rver-'));
	await createBucket(server, BUCKET);
	// B's unfinished chk-8 has a time of its own (newer than its file): a directory marker keeps it.
	await uploadTree(server, local, BUCKET, PREFIX, [B_CHK_8]);
	await uploadTree(server, local, BUCKET, MARKED, await directoriesOf(local));
}, 120_000);

/** Every directory below `dir` (relative POSIX paths). */
async function directoriesOf(dir: string): Promise<string[]> {
	const {readdir} = await import('node:fs/promises');
	const entries = await readdir(dir, {recursive: true, withFileTypes: true});
	return entries.filter((e) => e.isDirectory()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** A store that records its listings and may add incomplete uploads. */
function recording(inner: Store, pending: {path: string; initiatedMs: number}[] = []): Store & {lists: {path: string; recursive: boolean}[]} {
	const lists: {path: string; recursive: boolean}[] = [];
	return {
		scheme: inner.scheme,
		description: inner.description,
		lists,
		list(p: string, options?: ListOptions) {
			lists.push({path: p, recursive: options?.recursive ?? true});
			return inner.list(p, options);
		},
		stat: (p) => inner.stat(p),
		read: (p, o) => inner.read(p, o),
		readRange: (p, start, length) => inner.readRange(p, start, length),
		listPending: async () => pending,
	};
}

afterAll(async () => {
	await server?.stop();
});

const CLI = path.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[s3] dist/fcx.js is missing (run `npm run build`): the CLI answer key is SKIPPED');

/** `fcx report --json` on `root`, with s3rver's credentials in the environment; its exit status and parsed output. */
async function reportJson(root: string, ...extra: string[]): Promise<{status: number; json: unknown; stderr: string}> {
	const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
	try {
		const {stdout, stderr} = await promisify(execFile)(process.execPath, [CLI, 'report', '--json', root, ...extra], {env, maxBuffer: 64 << 20});
		return {status: 0, json: JSON.parse(stdout), stderr};
	} catch (error) {
		const e = error as {code: number; stdout: string; stderr: string};
		return {status: e.code, json: e.stdout === '' ? null : JSON.parse(e.stdout), stderr: e.stderr};
	}
}

/** A JSON report with the root replaced by `ROOT`, and without the warnings only a store gives. */
function comparable(report: unknown, root: string): unknown {
	const text = JSON.stringify(report);
	const json = JSON.parse(text.split(root).join(ROOT)) as {warnings: {code: string}[]; summary: {warnings: number}; generatedAt?: string};
	delete json.generatedAt;
	const kept = json.warnings.filter((w) => w.code !== 'pending-uploads-unknown');
	json.summary.warnings -= json.warnings.length - kept.length;
	json.warnings = kept;
	return json;
}

describe('analyse on S3 (s3rver)', () => {
	it('equals the analysis of the local copy (answer key), the root aside', async () => {
		const options = {nowMs: NOW};
		const [onDisk, onS3] = await Promise.all([analyse([local], options), analyse([ROOT], {...options, s3: server.storeOptions})]);
		expect(onS3.roots).toEqual([ROOT]);
		expect(onS3.orphans.length).toBeGreaterThan(0);
		const json = (analysis: typeof onS3): unknown => reportToJson(analysis, {version: 'test', files: true});
		expect(comparable(json(onS3), ROOT)).toEqual(comparable(json(onDisk), local));
	});

	it('takes s3a:// (and a trailing slash) as the same root', async () => {
		const analysis = await analyse([`s3a://${BUCKET}/${PREFIX}/`], {nowMs: NOW, s3: server.storeOptions});
		expect(analysis.roots).toEqual([ROOT]);
		// 9 complete checkpoints and the savepoint (fixtures/README.md).
		expect(analysis.checkpoints.filter((c) => c.status === 'complete').length).toBe(10);
	});

	it('says that the store cannot list incomplete uploads (s3rver: NotImplemented) instead of failing', async () => {
		const analysis = await analyse([ROOT], {nowMs: NOW, s3: server.storeOptions});
		const warning = analysis.warnings.find((w) => w.code === 'pending-uploads-unknown');
		expect(warning?.path).toBe(ROOT);
		expect(warning?.message).toMatch(/ListMultipartUploads/);
	});

	it('with directory markers (Delimiter listings see every level): finds the jobs and savepoints one level at a time, lists each whole, same answer', async () => {
		const inner = await createS3Store(server.storeOptions);
		const store = recording(inner);
		try {
			const marked = `s3://${BUCKET}/${MARKED}`;
			const [onDisk, onS3] = await Promise.all([analyse([local], {nowMs: NOW}), analyse([marked], {nowMs: NOW, stores: {s3: store}})]);
			const json = (analysis: typeof onS3): unknown => reportToJson(analysis, {version: 'test', files: true});
			expect(comparable(json(onS3), marked)).toEqual(comparable(json(onDisk), local));
			const whole = store.lists.filter((l) => l.recursive).map((l) => l.path.slice(marked.length + 1));
			expect(whole).toContain('checkpoints/3f9a1c2be7d04a5c8e6b1d2f0a9c4e71');
			expect(whole).toContain('savepoints/savepoint-3f9a1c-5e0b7d2a9c41');
			expect(whole).not.toContain('');
		} finally {
			await inner.close();
		}
	});

	it('an incomplete upload of a _metadata keeps its chk-<n> from being an orphan (ListMultipartUploads stubbed: s3rver lacks it)', async () => {
		const chk8 = `${ROOT}/${B_CHK_8}`;
		const before = await analyse([ROOT], {nowMs: NOW, s3: server.storeOptions});
		expect(before.orphans.find((o) => o.path === chk8)?.possiblyInProgress).toBe(false);
		const inner = await createS3Store(server.storeOptions);
		try {
			const store = recording(inner, [{path: `${chk8}/_metadata`, initiatedMs: Date.parse('2026-11-01T12:00:00Z')}]);
			const after = await analyse([ROOT], {nowMs: NOW, stores: {s3: store}});
			// Not an orphan to count or plan: possibly in progress, or (its _metadata unseen) not an orphan at all.
			const orphan = after.orphans.find((o) => o.path === chk8);
			expect(orphan === undefined || orphan.possiblyInProgress).toBe(true);
			expect(after.warnings.map((w) => [w.code, w.path])).toContainEqual(['pending-upload', `${chk8}/_metadata`]);
		} finally {
			await inner.close();
		}
	});

	it('local and S3 roots in one run: checkpoints on S3 that were restored from a local savepoint resolve into it', async () => {
		const mixed = await analyse([`${local}/savepoints`, `${ROOT}/checkpoints`], {nowMs: NOW, s3: server.storeOptions});
		const onDisk = await analyse([`${local}/savepoints`, `${local}/checkpoints`], {nowMs: NOW});
		expect(mixed.roots).toEqual([`${local}/savepoints`, `${ROOT}/checkpoints`]);
		const onS3 = (p: string): string => p.split(`${local}/checkpoints`).join(`${ROOT}/checkpoints`);
		const facts = (analysis: typeof mixed, rename: (p: string) => string = (p) => p): unknown => ({
			checkpoints: analysis.checkpoints.map((c) => `${rename(c.path)} ${c.status} ${c.missing}`).sort(),
			orphans: analysis.orphans.map((o) => `${rename(o.path)} ${o.bytes} ${o.possiblyInProgress}`).sort(),
			missing: analysis.missing.map((m) => rename(m.path)).sort(),
		});
		expect(facts(mixed)).toEqual(facts(onDisk, onS3));
		// C's checkpoints on S3 need the local savepoint's files.
		expect(mixed.orphans.some((o) => o.path.startsWith(`${local}/savepoints`))).toBe(false);
	});

	it('a prefix with nothing below it is a warning naming it', async () => {
		const analysis = await analyse([`s3://${BUCKET}/nothing-here`], {nowMs: NOW, s3: server.storeOptions});
		expect(analysis.warnings.map((w) => [w.code, w.path])).toContainEqual(['root-unreadable', `s3://${BUCKET}/nothing-here`]);
	});
});

describe.skipIf(!built)('fcx report on S3 (s3rver, dist/fcx.js)', () => {
	it('--json on the sample tree equals the report on the local copy (answer key), the root aside', async () => {
		const [onDisk, onS3] = await Promise.all([reportJson(local), reportJson(ROOT, '--endpoint', server.endpoint)]);
		expect(onS3.stderr).toBe('');
		// B's chk-7 misses a file: exit status 1 on both.
		expect([onDisk.status, onS3.status]).toEqual([1, 1]);
		expect(comparable(onS3.json, ROOT)).toEqual(comparable(onDisk.json, local));
	});

	it('a prefix with nothing below it is unreadable input: exit status 3 and one line naming it', async () => {
		const result = await reportJson(`s3://${BUCKET}/nothing-here`, '--endpoint', server.endpoint);
		expect(result.status).toBe(3);
		expect(result.stderr).toBe(`fcx: s3://${BUCKET}/nothing-here: nothing there (no object has this prefix)\n`);
	});

	it('a bucket that does not exist: exit status 3 and one line, no stack trace', async () => {
		const result = await reportJson('s3://no-such-bucket/x', '--endpoint', server.endpoint);
		expect(result.status).toBe(3);
		expect(result.stderr).toMatch(/^fcx: s3:\/\/no-such-bucket\/x: cannot list: no such bucket\n$/);
	});

	it('--endpoint that is not a URL is a usage error naming the flag', async () => {
		const result = await reportJson(ROOT, '--endpoint', 'localhost:9000');
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(/--endpoint: expected an http\(s\) URL/);
	});
});
