/**
 * The WebHDFS store against the WebHDFS test server (./webhdfs-server.ts; no HDFS runs here):
 * listing equals the served directory (paths, sizes, mtimes) across LISTSTATUS_BATCH pages, reads
 * follow the datanode redirect, cleanup renames and deletes, and authentication failures say what
 * to do in one line.
 */
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import * as nodePath from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {StoreEntry} from '../../source/store/types.js';
import {openWebHdfsStore, webHdfsAddress, webHdfsAuthFromEnv} from '../../source/store/webhdfs.js';
import {projectRoot} from '../support/corpus.js';
import {tempDir} from '../support/temp.js';
import {walkLocal} from './local-tree.js';
import {startWebHdfsServer, type WebHdfsServer} from './webhdfs-server.js';

const ROOT = 'hdfs://namenode:8020/flink/checkpoints';

/** The sample tree's checkpoints, copied into an HDFS root directory `/flink/checkpoints`, plus a directory of many files. */
function makeHdfsDir(): {hdfs: string; tree: string} {
	const hdfs = tempDir('fcx-webhdfs-');
	const tree = nodePath.join(hdfs, 'flink', 'checkpoints');
	cpSync(nodePath.join(projectRoot, 'fixtures', 'sample-tree', 'checkpoints'), tree, {recursive: true, preserveTimestamps: true});
	const many = nodePath.join(tree, 'many files', 'shared');
	mkdirSync(many, {recursive: true});
	for (let i = 0; i < 250; i++) writeFileSync(nodePath.join(many, `state ${String(i).padStart(3, '0')}+%.sst`), 'x'.repeat(i));
	return {hdfs, tree};
}

async function listAll(
	store: {list: (p: string, o?: {recursive?: boolean}) => AsyncIterable<readonly StoreEntry[]>},
	path: string,
	recursive = true,
): Promise<StoreEntry[]> {
	const out: StoreEntry[] = [];
	for await (const batch of store.list(path, {recursive})) out.push(...batch);
	return out;
}

describe('WebHDFS store against the test server', () => {
	let server: WebHdfsServer;
	const {hdfs, tree} = makeHdfsDir();
	beforeAll(async () => {
		server = await startWebHdfsServer({dir: hdfs, batchSize: 7, user: 'flink'});
	});
	afterAll(async () => server.close());
	const store = (): ReturnType<typeof openWebHdfsStore> => openWebHdfsStore({root: ROOT, httpAddress: server.url, user: 'flink', concurrency: 4});

	it('lists exactly the served directory: paths, kinds, sizes and mtimes, over pages of 7 entries', async () => {
		const got = await listAll(store(), ROOT);
		const want = walkLocal(tree).map((e) => ({path: `${ROOT}/${e.rel}`, kind: e.kind, size: e.size, mtimeMs: e.mtimeMs}));
		expect(want.length).toBeGreaterThan(300);
		const byPath = (a: StoreEntry, b: StoreEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
		expect([...got].sort(byPath)).toEqual([...want].sort(byPath));
		const pages = server.requests.filter((r) => r.op === 'LISTSTATUS_BATCH' && r.path.endsWith('/many files/shared'));
		expect(pages.length).toBe(Math.ceil(250 / 7));
		// Pages of one directory go in order: each starts after the last name of the one before.
		expect(pages[1].params.startAfter).toBe('state 006+%.sst');
		expect(server.requests.every((r) => r.params['user.name'] === 'flink')).toBe(true);
	});

	it('lists direct children only when not recursive; a missing directory lists nothing; a file is an error', async () => {
		const children = await listAll(store(), `${ROOT}/many files`, false);
		expect(children).toEqual([expect.objectContaining({path: `${ROOT}/many files/shared`, kind: 'directory'})]);
		expect(await listAll(store(), `${ROOT}/nothing-here`)).toEqual([]);
		const metadata = walkLocal(tree).find((e) => e.rel.endsWith('/_metadata'))!;
		await expect(listAll(store(), `${ROOT}/${metadata.rel}`)).rejects.toThrow(/a file, not a directory/);
	});

	it('stat and read follow the OPEN redirect to the datanode; ranges; the size cap', async () => {
		const metadata = walkLocal(tree).find((e) => e.rel.endsWith('/_metadata'))!;
		const path = `${ROOT}/${metadata.rel}`;
		const bytes = readFileSync(nodePath.join(tree, metadata.rel));
		expect(await store().stat(path)).toEqual({path, kind: 'file', size: metadata.size, mtimeMs: metadata.mtimeMs});
		expect(await store().stat(`${ROOT}/nope`)).toBeUndefined();
		const before = server.requests.length;
		expect(Buffer.from(await store().read(path, {maxBytes: 1 << 20}))).toEqual(bytes);
		expect(server.requests.slice(before).map((r) => `${r.node} ${r.op}`)).toEqual(['namenode OPEN', 'datanode OPEN']);
		expect(Buffer.from(await store().readRange(path, 4, 10))).toEqual(bytes.subarray(4, 14));
		expect(Buffer.from(await store().read(path, {maxBytes: bytes.length}))).toEqual(bytes);
		await expect(store().read(path, {maxBytes: bytes.length - 1})).rejects.toMatchObject({code: 'too-large'});
		await expect(store().read(`${ROOT}/nope`, {maxBytes: 10})).rejects.toMatchObject({
			code: 'not-found',
			message: expect.stringContaining('FileNotFoundException: File does not exist: /flink/checkpoints/nope'),
		});
	});

	it('rename makes the quarantine directory and moves the file; a taken destination is refused, not moved into', async () => {
		const s = store();
		writeFileSync(nodePath.join(tree, 'orphan.sst'), 'orphan');
		writeFileSync(nodePath.join(tree, 'orphan2.sst'), 'orphan2');
		await s.rename(`${ROOT}/orphan.sst`, `${ROOT}/.fcx-quarantine/20261207/orphan.sst`);
		expect(readFileSync(nodePath.join(tree, '.fcx-quarantine', '20261207', 'orphan.sst'), 'utf8')).toBe('orphan');
		expect(existsSync(nodePath.join(tree, 'orphan.sst'))).toBe(false);
		await expect(s.rename(`${ROOT}/orphan2.sst`, `${ROOT}/.fcx-quarantine/20261207`)).rejects.toThrow(/already exists; not renaming/);
		expect(existsSync(nodePath.join(tree, 'orphan2.sst'))).toBe(true);
		await expect(s.rename(`${ROOT}/gone.sst`, `${ROOT}/.fcx-quarantine/20261207/gone.sst`)).rejects.toMatchObject({code: 'not-found'});
	});

	it('delete removes files, counts a file already gone as deleted, and never deletes a directory', async () => {
		writeFileSync(nodePath.join(tree, 'delete-me.sst'), 'x');
		mkdirSync(nodePath.join(tree, 'empty-dir'));
		const outcomes = await store().delete([`${ROOT}/delete-me.sst`, `${ROOT}/already-gone.sst`, `${ROOT}/empty-dir`]);
		expect(outcomes.map((o) => [o.path.slice(ROOT.length), o.error?.message ?? 'ok'])).toEqual([
			['/delete-me.sst', 'ok'],
			['/already-gone.sst', 'ok'],
			['/empty-dir', `${ROOT}/empty-dir: a directory; only files are deleted`],
		]);
		expect(existsSync(nodePath.join(tree, 'delete-me.sst'))).toBe(false);
		expect(existsSync(nodePath.join(tree, 'empty-dir'))).toBe(true);
	});

	it('a request without the user gets the RemoteException as one line', async () => {
		const anonymous = openWebHdfsStore({root: ROOT, httpAddress: server.url});
		await expect(anonymous.stat(ROOT)).rejects.toMatchObject({
			code: 'permission-denied',
			message: expect.stringMatching(/^hdfs:\/\/namenode:8020\/flink\/checkpoints: SecurityException: Failed to obtain user group information/),
		});
	});
});

describe('WebHDFS authentication and old namenodes', () => {
	const {hdfs} = makeHdfsDir();

	it('Kerberos only: one line saying SPNEGO is not supported and what to pass; a delegation token works', async () => {
		const server = await startWebHdfsServer({dir: hdfs, kerberos: true, delegation: 'TOKEN123'});
		try {
			const plain = openWebHdfsStore({root: ROOT, httpAddress: server.url, user: 'flink'});
			await expect(plain.stat(ROOT)).rejects.toThrow(
				`${ROOT}: the namenode at ${server.url} asks for Kerberos (SPNEGO), which fcx does not support; pass a delegation token`,
			);
			const withToken = openWebHdfsStore({root: ROOT, httpAddress: server.url, delegation: 'TOKEN123'});
			expect(await withToken.stat(ROOT)).toMatchObject({kind: 'directory'});
			expect((await listAll(withToken, ROOT)).length).toBeGreaterThan(300);
			expect(server.requests.filter((r) => r.params.delegation === 'TOKEN123').length).toBeGreaterThan(10);
		} finally {
			await server.close();
		}
	});

	it('a namenode without LISTSTATUS_BATCH (before Hadoop 2.8) is listed with LISTSTATUS', async () => {
		const server = await startWebHdfsServer({dir: hdfs, noBatch: true});
		try {
			const got = await listAll(openWebHdfsStore({root: ROOT, httpAddress: server.url}), ROOT);
			expect(got.length).toBe(walkLocal(nodePath.join(hdfs, 'flink', 'checkpoints')).length);
		} finally {
			await server.close();
		}
	});

	it('a standby namenode: one line saying to give the active one, not a permission error', async () => {
		const server = await startWebHdfsServer({dir: hdfs, standby: true});
		try {
			const failure = openWebHdfsStore({root: ROOT, httpAddress: server.url}).stat(ROOT);
			await expect(failure).rejects.toMatchObject({code: 'other'});
			await expect(failure).rejects.toThrow(`is a standby namenode: give the active one's HTTP address`);
		} finally {
			await server.close();
		}
	});

	it('an unreachable namenode is one line naming it', async () => {
		const server = await startWebHdfsServer({dir: hdfs});
		const url = server.url;
		await server.close();
		await expect(openWebHdfsStore({root: ROOT, httpAddress: url}).stat(ROOT)).rejects.toThrow(`${ROOT}: WebHDFS at ${url} unreachable: ECONNREFUSED`);
	});
});

describe('WebHDFS roots and settings', () => {
	it('hdfs:// uses the HTTP port 9870 whatever its RPC port; webhdfs:// its own port; swebhdfs:// HTTPS', () => {
		expect(webHdfsAddress('hdfs://nn1:8020/flink/cp')).toEqual({base: 'http://nn1:9870', prefix: 'hdfs://nn1:8020', path: '/flink/cp'});
		expect(webHdfsAddress('webhdfs://nn1:50070/flink/cp/')).toEqual({base: 'http://nn1:50070', prefix: 'webhdfs://nn1:50070', path: '/flink/cp'});
		expect(webHdfsAddress('swebhdfs://nn1/x')).toEqual({base: 'https://nn1:9871', prefix: 'swebhdfs://nn1', path: '/x'});
		expect(webHdfsAddress('hdfs://ns1/x', 'http://nn-active:9870/')).toEqual({base: 'http://nn-active:9870', prefix: 'hdfs://ns1', path: '/x'});
		expect(() => webHdfsAddress('hdfs:///x')).toThrow('hdfs:///x: names no namenode; give its WebHDFS address');
		expect(() => webHdfsAddress('s3://b/x')).toThrow('s3://b/x: not an HDFS root');
	});

	it('user and delegation token from the environment', () => {
		expect(webHdfsAuthFromEnv({HADOOP_USER_NAME: 'flink'})).toEqual({user: 'flink'});
		expect(webHdfsAuthFromEnv({FCX_WEBHDFS_DELEGATION: 'T', HADOOP_USER_NAME: ''})).toEqual({delegation: 'T'});
	});
});
