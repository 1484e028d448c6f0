/**
 * The answer key on HDFS and from offline listings: the sample tree served by the WebHDFS test
 * server (./webhdfs-server.ts; no HDFS runs here), and listed in each listing format
 * (`hdfs dfs -ls -R`, `aws s3 ls --recursive`, `aws s3api list-objects-v2`, an S3 Inventory) with
 * `--metadata-from` a local copy, analyses exactly as the local copy does, with the store's URIs
 * in place of the local directory (the listing's age, a store-only warning, aside).
 */
import {execFile} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, utimesSync, writeFileSync} from 'node:fs';
import * as nodePath from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {reportToJson} from '../../source/report/json.js';
import {tempDir} from '../support/temp.js';
import {hdfsLsText, s3ApiJsonText, s3LsText, walkLocal, writeInventory} from './local-tree.js';
import {startWebHdfsServer, type WebHdfsServer} from './webhdfs-server.js';

const HDFS_ROOT = 'hdfs://namenode:8020/flink/sample';
const S3_ROOT = 's3://bucket/flink/sample';
/** After every orphan of the sample tree is an hour old (see fixtures/README.md). */
const NOW = Date.parse('2026-11-02T00:00:00Z');
/** The warnings only a store or a listing gives. */
const STORE_ONLY = new Set(['pending-uploads-unknown', 'listing-age', 'listing-other-authority']);

let local: string;
let server: WebHdfsServer;
const listings: Record<string, {root: string; file: string; resolutionMs: number}> = {};

beforeAll(async () => {
	local = tempDir('fcx-hdfs-tree-');
	await generateSampleTree(local);
	const hdfs = tempDir('fcx-hdfs-served-');
	mkdirSync(nodePath.join(hdfs, 'flink'), {recursive: true});
	const served = nodePath.join(hdfs, 'flink', 'sample');
	cpSync(local, served, {recursive: true, preserveTimestamps: true});
	// Copying into a directory changes its time: give each the local one's, as HDFS would list them.
	for (const e of walkLocal(local).filter((d) => d.kind === 'directory')) utimesSync(nodePath.join(served, e.rel), new Date(e.mtimeMs), new Date(e.mtimeMs));
	server = await startWebHdfsServer({dir: hdfs, batchSize: 5, user: 'flink'});
	const entries = walkLocal(local);
	const work = tempDir('fcx-listings-');
	const write = (name: string, text: string): string => {
		const file = nodePath.join(work, name);
		writeFileSync(file, text);
		return file;
	};
	listings['hdfs dfs -ls -R'] = {root: 'hdfs://ns1/flink/sample', file: write('hdfs-ls.txt', hdfsLsText(entries, '/flink/sample')), resolutionMs: 60_000};
	listings['aws s3 ls --recursive'] = {root: S3_ROOT, file: write('s3-ls.txt', s3LsText(entries, 'flink/sample', true)), resolutionMs: 1000};
	listings['aws s3api list-objects-v2'] = {root: S3_ROOT, file: write('s3api.json', s3ApiJsonText(entries, 'flink/sample')), resolutionMs: 1000};
	listings['S3 Inventory'] = {root: S3_ROOT, file: writeInventory(nodePath.join(work, 'inventory'), entries, 'bucket', 'flink/sample'), resolutionMs: 1000};
}, 120_000);

afterAll(async () => {
	await server?.close();
});

const ISO_TIME = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/g;

/**
 * A JSON report with `root` replaced by `HDFS_ROOT`, and without generatedAt and the warnings only
 * a store gives. Times are cut to `resolutionMs`: a listing shows a file's time to the minute or
 * second, and the analysis takes the latest time in that window (never older than it may be).
 */
function comparable(report: unknown, root: string, resolutionMs = 1): unknown {
	const text = JSON.stringify(report)
		.split(root)
		.join(HDFS_ROOT)
		.replace(ISO_TIME, (_, iso: string) => JSON.stringify(new Date(Math.floor(Date.parse(iso) / resolutionMs) * resolutionMs).toISOString()));
	const json = JSON.parse(text) as {warnings: {code: string}[]; summary: {warnings: number}; generatedAt?: string};
	delete json.generatedAt;
	const kept = json.warnings.filter((w) => !STORE_ONLY.has(w.code));
	json.summary.warnings -= json.warnings.length - kept.length;
	json.warnings = kept;
	return json;
}

const json = (analysis: Awaited<ReturnType<typeof analyse>>): unknown => reportToJson(analysis, {version: 'test', files: true});

describe('analyse on HDFS (WebHDFS test server) and from offline listings', () => {
	it('hdfs:// through WebHDFS equals the analysis of the local copy (answer key), the root aside', async () => {
		const [onDisk, onHdfs] = await Promise.all([
			analyse([local], {nowMs: NOW}),
			analyse([HDFS_ROOT], {nowMs: NOW, hdfs: {httpAddress: server.url, user: 'flink'}}),
		]);
		expect(onHdfs.roots).toEqual([HDFS_ROOT]);
		expect(onHdfs.orphans.length).toBeGreaterThan(0);
		expect(comparable(json(onHdfs), HDFS_ROOT)).toEqual(comparable(json(onDisk), local));
		expect(server.requests.some((r) => r.op === 'OPEN' && r.node === 'datanode')).toBe(true);
	});

	for (const name of ['hdfs dfs -ls -R', 'aws s3 ls --recursive', 'aws s3api list-objects-v2', 'S3 Inventory']) {
		it(`${name} with --metadata-from equals the analysis of the local copy (answer key), and says the listing's age`, async () => {
			const {root, file, resolutionMs} = listings[name];
			const [onDisk, listed] = await Promise.all([
				analyse([local], {nowMs: NOW}),
				analyse([root], {nowMs: NOW, listing: {files: [file], metadataFrom: local}}),
			]);
			expect(listed.roots).toEqual([root]);
			expect(comparable(json(listed), root, resolutionMs)).toEqual(comparable(json(onDisk), local, resolutionMs));
			expect(listed.warnings.filter((w) => w.code === 'listing-age').map((w) => w.path)).toEqual([root]);
		});
	}

	it('without a time of its own, a listing is analysed as of its newest entry: nothing is older than it may be', async () => {
		const {root, file} = listings['hdfs dfs -ls -R'];
		const listed = await analyse([root], {listing: {files: [file], metadataFrom: local}});
		const newest = Math.max(...walkLocal(local).map((e) => e.mtimeMs));
		// hdfs dfs -ls shows minutes: the newest entry may be up to 59.999 s later than listed.
		expect(listed.analysedAtMs).toBe(Math.floor(newest / 60_000) * 60_000 + 59_999);
		expect(listed.warnings.find((w) => w.code === 'listing-age')?.message).toMatch(/does not say when it was taken/);
	});
});

const CLI = nodePath.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[hdfs] dist/fcx.js is missing (run `npm run build`): the CLI answer key is SKIPPED');

/** `fcx report --json` with `args`; its exit status, parsed output and stderr. */
async function reportJson(...args: string[]): Promise<{status: number; json: unknown; stderr: string}> {
	const env = {...process.env, HADOOP_USER_NAME: 'flink'};
	try {
		const {stdout, stderr} = await promisify(execFile)(process.execPath, [CLI, 'report', '--json', ...args], {env, maxBuffer: 64 << 20});
		return {status: 0, json: JSON.parse(stdout), stderr};
	} catch (error) {
		const e = error as {code: number; stdout: string; stderr: string};
		return {status: e.code, json: e.stdout === '' ? null : (JSON.parse(e.stdout) as unknown), stderr: e.stderr};
	}
}

describe.skipIf(!built)('fcx report on HDFS and listings (dist/fcx.js)', () => {
	it('--json on hdfs:// with --webhdfs equals the report on the local copy (answer key), the root aside', async () => {
		// --min-age 0: the local report's "now" is the clock, the listing's its own time.
		const [onDisk, onHdfs] = await Promise.all([
			reportJson(local, '--min-age', '0'),
			reportJson(HDFS_ROOT, '--webhdfs', server.url.replace('http://', ''), '--min-age', '0'),
		]);
		expect(onHdfs.stderr).toBe('');
		// B's chk-7 misses a file: exit status 1 on both.
		expect([onDisk.status, onHdfs.status]).toEqual([1, 1]);
		expect(comparable(onHdfs.json, HDFS_ROOT)).toEqual(comparable(onDisk.json, local));
	});

	it('--json with --listing and --metadata-from equals the report on the local copy, for each format', async () => {
		const onDisk = await reportJson(local, '--min-age', '0');
		for (const [name, {root, file, resolutionMs}] of Object.entries(listings)) {
			const listed = await reportJson(root, '--listing', file, '--metadata-from', local, '--min-age', '0');
			expect({name, stderr: listed.stderr, status: listed.status}).toEqual({name, stderr: '', status: 1});
			if (name === 'S3 Inventory') {
				// Taken at a time of its own (a month after the tree): every age is as on the local copy.
				expect(comparable(listed.json, root, resolutionMs)).toEqual(comparable(onDisk.json, local, resolutionMs));
				continue;
			}
			// A text listing does not say when it was taken: ages count from its newest entry, B's
			// unfinished chk-8, which may still be being written then. Everything else is the same.
			const chk8 = `${HDFS_ROOT}/checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8`;
			const facts = (report: unknown, r: string): unknown => {
				const j = comparable(report, r, resolutionMs) as {
					checkpoints: {path: string; status: string}[];
					missing: unknown;
					orphans: {path: string; bytes: number}[];
				};
				return {checkpoints: j.checkpoints.filter((c) => c.path !== chk8), missing: j.missing, orphans: j.orphans.map((o) => `${o.path} ${o.bytes}`)};
			};
			expect(facts(listed.json, root)).toEqual(facts(onDisk.json, local));
			const checkpoints = (comparable(listed.json, root) as {checkpoints: {path: string; status: string}[]}).checkpoints;
			expect(checkpoints.find((c) => c.path === chk8)?.status).toBe('in-progress');
			const orphans = (listed.json as {orphans: {path: string; possiblyInProgress: boolean}[]}).orphans;
			expect(orphans.filter((o) => o.possiblyInProgress).map((o) => o.path)).toEqual([`${root}/checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-8`]);
		}
	});

	it('a listing that is not one is one line naming the file, exit status 3', async () => {
		const bad = nodePath.join(tempDir('fcx-bad-listing-'), 'notes.txt');
		writeFileSync(bad, 'hello\n');
		const result = await reportJson('hdfs://ns1/flink/sample', '--listing', bad);
		expect(result.status).toBe(3);
		expect(result.stderr.split('\n').filter((l) => l !== '')).toEqual([
			expect.stringMatching(new RegExp(`^fcx: hdfs://ns1/flink/sample: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
		]);
	});

	it('--listing without a store root, and --metadata-from without --listing, are usage errors', async () => {
		const a = await reportJson(local, '--listing', 'x.txt');
		expect([a.status, a.stderr]).toEqual([2, expect.stringMatching(/--listing: name the listed root as a store URI/)]);
		const b = await reportJson('hdfs://ns1/x', '--metadata-from', local);
		expect([b.status, b.stderr]).toEqual([2, expect.stringMatching(/--metadata-from: only with --listing/)]);
	});
});
