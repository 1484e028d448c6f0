/**
 * `clean` on HDFS against the WebHDFS test server (../store/webhdfs-server.ts; no HDFS runs here):
 * plan + clean quarantine exactly the orphans by RENAME (a second plan finds none, every snapshot
 * keeps its status), the restore script (`hdfs dfs -mv`, run with a stand-in `hdfs`) puts the tree
 * back file for file, `--delete` deletes with `recursive=false` only, a file changed between the
 * re-scan and the act (GETFILESTATUS) is skipped, a RENAME or DELETE answered `{"boolean": false}`
 * stops the run with nothing else moved or deleted, a RemoteException fails its entry in one line,
 * and `fcx clean --webhdfs` does it from the command line.
 */
import {execFile} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import * as nodePath from 'node:path';
import {promisify} from 'node:util';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {runCommand} from '../../source/cli/run.js';
import {executeRemotePlan, makePlan, type ExecutionResult} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {EXIT_OK} from '../../source/report/index.js';
import {openWebHdfsStore, WebHdfsStore} from '../../source/store/webhdfs.js';
import type {StoreEntry} from '../../source/store/types.js';
import {io} from '../support/io.js';
import {tempDir} from '../support/temp.js';
import {walkLocal} from '../store/local-tree.js';
import {startWebHdfsServer, type RecordedRequest, type WebHdfsServer} from '../store/webhdfs-server.js';

const ROOT = 'hdfs://namenode:8020/flink/sample';
/** After every orphan of the sample tree is an hour old (see fixtures/README.md). */
const NOW = Date.parse('2026-11-02T00:00:00Z');

let sample: string;
let localPlan: Plan;
const servers: WebHdfsServer[] = [];

beforeAll(async () => {
	sample = tempDir('fcx-hdfsclean-sample-');
	await generateSampleTree(sample);
	localPlan = makePlan(await analyse([sample], {nowMs: NOW}));
}, 60_000);

afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The sample tree served at `/flink/sample` (where its `_metadata` files say it was written) (directory times kept, as HDFS lists them). */
async function serve(intercept?: (r: RecordedRequest) => 'false' | 'deny' | undefined): Promise<{dir: string; tree: string; server: WebHdfsServer}> {
	const dir = tempDir('fcx-hdfsclean-served-');
	const tree = nodePath.join(dir, 'flink', 'sample');
	mkdirSync(nodePath.dirname(tree), {recursive: true});
	cpSync(sample, tree, {recursive: true, preserveTimestamps: true});
	for (const e of walkLocal(sample).filter((d) => d.kind === 'directory')) utimesSync(nodePath.join(tree, e.rel), new Date(e.mtimeMs), new Date(e.mtimeMs));
	const server = await startWebHdfsServer({dir, batchSize: 5, user: 'flink', intercept});
	servers.push(server);
	return {dir, tree, server};
}

const storeOf = (server: WebHdfsServer): WebHdfsStore => openWebHdfsStore({root: ROOT, httpAddress: server.url, user: 'flink'});

async function planOf(store: WebHdfsStore): Promise<Plan> {
	return makePlan(await analyse([ROOT], {nowMs: NOW, stores: {hdfs: store}}));
}

/** Files below `tree` by relative path, with their contents. */
function files(tree: string): Map<string, string> {
	return new Map(
		walkLocal(tree)
			.filter((e) => e.kind === 'file')
			.map((e) => [e.rel, readFileSync(nodePath.join(tree, e.rel)).toString('base64')]),
	);
}

const rel = (p: string): string => p.slice(ROOT.length + 1);
const logOf = (result: ExecutionResult): {event: string; [k: string]: unknown}[] =>
	readFileSync(result.logPath, 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as {event: string});

/**
 * A stand-in for `hdfs` for the restore script: `dfs -test -e`, `dfs -mkdir -p` and `dfs -mv` on
 * the directory the test server serves (`hdfs://namenode:8020/x` is `<dir>/x`).
 */
function fakeHdfs(dir: string): string {
	const script = nodePath.join(tempDir('fcx-hdfsclean-bin-'), 'hdfs.mjs');
	writeFileSync(
		script,
		[
			"import {existsSync, mkdirSync, renameSync} from 'node:fs';",
			`const local = (u) => ${JSON.stringify(dir)} + u.replace(/^hdfs:\\/\\/namenode:8020/, '');`,
			'const [, , dfs, op, a, b] = process.argv;',
			"if (dfs !== 'dfs') process.exit(2);",
			"if (op === '-test') process.exit(existsSync(local(b)) ? 0 : 1);",
			"if (op === '-mkdir') { mkdirSync(local(b), {recursive: true}); process.exit(0); }",
			"if (op === '-mv') { if (existsSync(local(b))) process.exit(1); renameSync(local(a), local(b)); process.exit(0); }",
			'process.exit(2);',
		].join('\n'),
	);
	return `${process.execPath} ${script}`;
}

describe('clean on HDFS (WebHDFS test server)', () => {
	it('quarantines exactly the local plan’s orphans by RENAME; a second plan finds none; the restore script puts the tree back', async () => {
		const {dir, tree, server} = await serve();
		const store = storeOf(server);
		const plan = await planOf(store);
		expect(plan.entries.length).toBeGreaterThan(3);
		expect(plan.entries.map((e) => rel(e.path)).sort()).toEqual(localPlan.entries.map((e) => e.path.slice(sample.length + 1)).sort());
		const before = files(tree);
		const logPath = nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log');
		const result = await executeRemotePlan(JSON.parse(JSON.stringify(plan)) as Plan, {store, nowMs: NOW, logPath});
		expect(result.records.filter((r) => r.action !== 'quarantined')).toEqual([]);
		expect(result.quarantineDir).toBe(`${ROOT}/.fcx-quarantine/2026-11-02T00-00-00-000Z`);
		// One RENAME per entry (a directory moves whole), each after MKDIRS of its quarantine parent.
		const renames = server.requests.filter((r) => r.op === 'RENAME');
		expect(renames.map((r) => r.path).sort()).toEqual(plan.entries.map((e) => e.path.slice('hdfs://namenode:8020'.length)).sort());
		const after = files(tree);
		for (const [path, content] of before) {
			const planned = plan.entries.some((e) => `${ROOT}/${path}` === e.path || `${ROOT}/${path}`.startsWith(`${e.path}/`));
			const moved = `.fcx-quarantine/2026-11-02T00-00-00-000Z/${path}`;
			expect({path, kept: after.get(path), moved: after.get(moved)}).toEqual(
				planned ? {path, kept: undefined, moved: content} : {path, kept: content, moved: undefined},
			);
		}
		expect((await planOf(store)).entries).toEqual([]);
		const snapshots = (a: Awaited<ReturnType<typeof analyse>>, r: string): string[] =>
			a.checkpoints
				.filter((c) => c.metadataPath !== null)
				.map((c) => `${c.path.slice(r.length)} ${c.status}`)
				.sort();
		expect(snapshots(await analyse([ROOT], {nowMs: NOW, stores: {hdfs: store}}), ROOT)).toEqual(snapshots(await analyse([sample], {nowMs: NOW}), sample));
		const log = logOf(result);
		expect(log.map((l) => l.event).filter((e) => e !== 'entry')).toEqual(['start', ...plan.entries.map(() => 'moving'), 'done']);

		const script = result.restoreCommand!.replace(/^sh '(.*)'$/, '$1');
		expect(
			readFileSync(script, 'utf8')
				.split('\n')
				.filter((l) => l.startsWith('back ')).length,
		).toBe(plan.entries.length);
		await promisify(execFile)('sh', [script], {env: {...process.env, FCX_HDFS: fakeHdfs(dir)}});
		const restored = files(tree);
		for (const [path, content] of before) expect({path, content: restored.get(path)}).toEqual({path, content});
		expect([...restored.keys()].filter((p) => !before.has(p))).toEqual([]);
	}, 120_000);

	it('--delete deletes exactly the orphans, every DELETE with recursive=false, and a second plan finds none', async () => {
		const {tree, server} = await serve();
		const store = storeOf(server);
		const plan = await planOf(store);
		const before = files(tree);
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, delete: true, logPath: nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log')});
		expect(result.records.map((r) => r.action)).toEqual(plan.entries.map(() => 'deleted'));
		expect(result.restoreCommand).toBeNull();
		const deletes = server.requests.filter((r) => r.op === 'DELETE');
		expect(deletes.length).toBeGreaterThanOrEqual(plan.entries.length);
		expect(deletes.every((r) => r.params.recursive === 'false')).toBe(true);
		const after = files(tree);
		for (const [path, content] of before) {
			const planned = plan.entries.some((e) => `${ROOT}/${path}` === e.path || `${ROOT}/${path}`.startsWith(`${e.path}/`));
			expect({path, content: after.get(path)}).toEqual({path, content: planned ? undefined : content});
		}
		for (const e of plan.entries) expect(existsSync(nodePath.join(tree, rel(e.path)))).toBe(false);
		expect((await planOf(store)).entries).toEqual([]);
	}, 120_000);

	it('a file rewritten between the re-scan and its RENAME (GETFILESTATUS just before acting) is skipped and stays', async () => {
		const {tree, server} = await serve();
		const plan = await planOf(storeOf(server));
		const file = plan.entries.find((e) => e.type === 'file')!;
		let stats = 0;
		// A writer that rewrites the file after fcx re-checked it against the fresh scan, before it acts.
		class Racing extends WebHdfsStore {
			override async stat(p: string): Promise<StoreEntry | undefined> {
				if (p === file.path && ++stats === 2) writeFileSync(nodePath.join(tree, rel(p)), 'rewritten during the run');
				return super.stat(p);
			}
		}
		const store = new Racing({root: ROOT, httpAddress: server.url, user: 'flink'});
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, logPath: nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log')});
		expect(result.records.find((r) => r.path === file.path)).toMatchObject({
			action: 'skipped',
			reason: expect.stringMatching(/^changed since the scan: now 24 bytes/),
		});
		expect(readFileSync(nodePath.join(tree, rel(file.path)), 'utf8')).toBe('rewritten during the run');
		expect(result.records.filter((r) => r.action === 'quarantined').length).toBe(plan.entries.length - 1);
	}, 120_000);

	it('a RENAME answered {"boolean": false} stops the run: that entry and every later one stay, the log says where it stopped', async () => {
		let renames = 0;
		const {tree, server} = await serve((r) => (r.op === 'RENAME' && ++renames === 2 ? 'false' : undefined));
		const store = storeOf(server);
		const plan = await planOf(store);
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, logPath: nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log')});
		const acted = result.records.filter((r) => r.action === 'quarantined');
		expect(acted.length).toBe(1);
		expect(server.requests.filter((r) => r.op === 'RENAME').length).toBe(2);
		const failed = result.records.find((r) => r.reason?.startsWith('failed'))!;
		expect(failed.reason).toBe(
			`failed, the run stops: ${failed.path}: RENAME to ${failed.path.replace(ROOT, '/flink/sample/.fcx-quarantine/2026-11-02T00-00-00-000Z')} answered false (the namenode did not say why)`,
		);
		const rest = result.records.filter((r) => r !== failed && r.action === 'skipped');
		expect(rest.length).toBe(plan.entries.length - 2);
		for (const r of rest) expect(r.reason).toBe(`not acted on: the run stopped at ${failed.path}`);
		for (const r of [failed, ...rest]) expect(existsSync(nodePath.join(tree, rel(r.path)))).toBe(true);
		expect(logOf(result).find((l) => l.event === 'stopped')).toMatchObject({path: failed.path});
	}, 120_000);

	it('a DELETE answered {"boolean": false} stops --delete: nothing after it is deleted', async () => {
		let deletes = 0;
		const {tree, server} = await serve((r) => (r.op === 'DELETE' && ++deletes === 2 ? 'false' : undefined));
		const store = storeOf(server);
		const plan = await planOf(store);
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, delete: true, logPath: nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log')});
		expect(server.requests.filter((r) => r.op === 'DELETE').length).toBe(2);
		const failed = result.records.find((r) => r.reason?.startsWith('failed'))!;
		expect(failed.reason).toMatch(/^failed, the run stops: .*: DELETE of the file answered false \(the namenode did not say why\)$/);
		const later = result.records.filter((r) => r.reason?.startsWith('not acted on: the run stopped at'));
		expect(later.length).toBeGreaterThan(0);
		for (const r of later) expect(existsSync(nodePath.join(tree, rel(r.path)))).toBe(true);
	}, 120_000);

	it('a RemoteException (permission denied) fails its entry in one line and the run goes on', async () => {
		let denied = '';
		const {server} = await serve((r) => {
			if (r.op !== 'RENAME' || (denied !== '' && r.path !== denied)) return undefined;
			denied = r.path;
			return 'deny';
		});
		const store = storeOf(server);
		const plan = await planOf(store);
		const result = await executeRemotePlan(plan, {store, nowMs: NOW, logPath: nodePath.join(tempDir('fcx-hdfsclean-log-'), 'run.log')});
		const failed = result.records.filter((r) => r.action === 'skipped');
		expect(failed).toHaveLength(1);
		expect(failed[0].reason).toBe(
			`failed: ${failed[0].path}: AccessControlException: Permission denied: user=flink, access=WRITE, inode="${denied}":hdfs:supergroup:drwxr-xr-x`,
		);
		expect(failed[0].reason).not.toContain('\n');
		expect(result.records.filter((r) => r.action === 'quarantined').length).toBe(plan.entries.length - 1);
	}, 120_000);

	it('fcx clean --plan plan.json --yes --webhdfs HOST:PORT --hdfs-user flink quarantines the orphans and prints the restore command', async () => {
		const {tree, server} = await serve();
		const plan = await planOf(storeOf(server));
		const work = tempDir('fcx-hdfsclean-cli-');
		const planFile = nodePath.join(work, 'plan.json');
		writeFileSync(planFile, JSON.stringify(plan));
		const cwd = process.cwd();
		process.chdir(work);
		try {
			const s = io();
			const code = await runCommand(
				'clean',
				[],
				{plan: planFile, yes: true, webhdfs: server.url.replace('http://', ''), hdfsUser: 'flink', map: [], color: false},
				{interactive: false, stdout: s.stdout, stderr: s.stderr},
			);
			expect({code, err: s.err()}).toEqual({code: EXIT_OK, err: ''});
			expect(s.out()).toMatch(/Restore:\s+sh '.*fcx-clean-.*\.restore\.sh'/);
		} finally {
			process.chdir(cwd);
		}
		for (const e of plan.entries) expect(existsSync(nodePath.join(tree, rel(e.path)))).toBe(false);
		rmSync(work, {recursive: true, force: true});
	}, 120_000);
});
