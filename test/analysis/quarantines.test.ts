import {statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {generateSampleTree} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {executePlan, makePlan} from '../../source/cleanup/index.js';
import {scanStore} from '../../source/store/scan-result.js';
import type {Store, StoreEntry} from '../../source/store/types.js';
import {quarantineTime} from '../../source/tree/index.js';
import {tempDir} from '../support/temp.js';

const NOW = Date.parse('2026-11-02T00:00:00.000Z');

/** The sample tree after `fcx clean` moved its orphans into the quarantine. */
async function cleaned() {
	const dir = tempDir('fcx-quarantines-');
	await generateSampleTree(dir);
	const before = await analyse([dir], {nowMs: NOW});
	const plan = makePlan(before, {nowMs: NOW});
	const result = await executePlan(plan, {nowMs: NOW});
	const moved = result.records.filter((r) => r.action === 'quarantined');
	expect(moved.length).toBeGreaterThan(0);
	return {dir, before, plan, result, moved, after: await analyse([dir], {nowMs: NOW + 1000})};
}

describe('quarantines in the analysis', () => {
	test('an existing .fcx-quarantine is measured: its path, bytes, files, and each run with its time and restore script', async () => {
		const {dir, result, after} = await cleaned();
		const quarantine = join(dir, '.fcx-quarantine');
		expect(after.quarantines).toHaveLength(1);
		const [q] = after.quarantines!;
		expect(q.path).toBe(quarantine);
		expect(q.runs).toHaveLength(1);
		const [run] = q.runs;
		expect(run.path).toBe(result.quarantineDir);
		expect(run.timeMs).toBe(NOW);
		expect(run.restoreScript).toBe(`${result.quarantineDir}.restore.sh`);
		expect(`sh '${run.restoreScript}'`).toBe(result.restoreCommand);
		expect(run.log).toBe(result.logPath);
		// The moved bytes are what the orphans held before; the quarantine adds its log and script.
		const logAndScript = statSync(result.logPath).size + statSync(run.restoreScript!).size;
		expect(q.bytes).toBe(run.bytes + logAndScript);
		expect(q.newestMs).toBe(NOW);
	});

	test('a quarantine is never an orphan and never planned', async () => {
		const {dir, after} = await cleaned();
		const quarantine = join(dir, '.fcx-quarantine');
		expect(after.orphans.filter((o) => o.path.startsWith(quarantine))).toEqual([]);
		expect(after.totals.orphans).toBe(0);
		const plan = makePlan(after, {nowMs: NOW + 1000});
		expect(plan.entries.filter((e) => e.path.startsWith(quarantine))).toEqual([]);
	});

	test('a tree without a quarantine has none', async () => {
		const dir = tempDir('fcx-quarantines-none-');
		await generateSampleTree(dir);
		expect((await analyse([dir], {nowMs: NOW})).quarantines).toEqual([]);
	});

	test('quarantineTime reads the run names fcx clean writes', () => {
		expect(quarantineTime('2026-11-22T04-40-00-000Z')).toBe(Date.parse('2026-11-22T04:40:00.000Z'));
		expect(quarantineTime('notes')).toBeNull();
	});
});

describe('quarantines in a store listing', () => {
	/** A store of objects (no directory markers) listed with or without `/` as delimiter. */
	function objectStore(objects: Record<string, number>): Store {
		const entries: StoreEntry[] = Object.entries(objects).map(([path, size]) => ({path, kind: 'file', size, mtimeMs: NOW}));
		return {
			scheme: 's3',
			description: 'test objects',
			async *list(prefix, options) {
				const below = entries.filter((e) => e.path.startsWith(`${prefix}/`));
				if (options?.recursive !== false) {
					yield below;
					return;
				}
				const level = new Map<string, StoreEntry>();
				for (const e of below) {
					const rest = e.path.slice(prefix.length + 1);
					const slash = rest.indexOf('/');
					const path = slash < 0 ? e.path : `${prefix}/${rest.slice(0, slash)}`;
					level.set(path, slash < 0 ? e : {path, kind: 'directory', size: 0, mtimeMs: 0});
				}
				yield [...level.values()];
			},
			async stat() {
				return undefined;
			},
			async read() {
				return new Uint8Array();
			},
			async readRange() {
				return new Uint8Array();
			},
		};
	}

	test('analyse an S3 root: its quarantine is in the analysis, its files are not in the tree', async () => {
		const root = 's3://bucket/checkpoints';
		const job = '0123456789abcdef0123456789abcdef';
		const store = objectStore({
			[`${root}/${job}/shared/a.sst`]: 10,
			[`${root}/.fcx-quarantine/2026-11-01T00-00-00-000Z/${job}/shared/b.sst`]: 1000,
		});
		const analysis = await analyse([root], {stores: {s3: store}, nowMs: NOW});
		expect(analysis.quarantines?.map((q) => [q.path, q.bytes])).toEqual([[`${root}/.fcx-quarantine`, 1000]]);
		expect(analysis.orphans.map((o) => o.path)).not.toContain(`${root}/.fcx-quarantine`);
		expect(analysis.orphans.every((o) => !o.path.includes('.fcx-quarantine'))).toBe(true);
		expect(makePlan(analysis, {nowMs: NOW}).entries.every((e) => !e.path.includes('.fcx-quarantine'))).toBe(true);
	});

	test('the quarantine of a store root is measured, not scanned', async () => {
		const root = 's3://bucket/checkpoints';
		const job = '0123456789abcdef0123456789abcdef';
		const store = objectStore({
			[`${root}/${job}/shared/a.sst`]: 10,
			[`${root}/.fcx-quarantine/2026-11-01T00-00-00-000Z/${job}/shared/b.sst`]: 1000,
			[`${root}/.fcx-quarantine/2026-11-01T00-00-00-000Z/${job}/chk-1/x`]: 24,
		});
		const scan = await scanStore(store, [root]);
		expect([...scan.files.keys()]).toEqual([`${root}/${job}/shared/a.sst`]);
		expect(scan.quarantines).toEqual([
			{
				path: `${root}/.fcx-quarantine`,
				files: 2,
				bytes: 1024,
				newestMs: Date.parse('2026-11-01T00:00:00.000Z'),
				oldestMs: Date.parse('2026-11-01T00:00:00.000Z'),
				runs: [
					{
						path: `${root}/.fcx-quarantine/2026-11-01T00-00-00-000Z`,
						name: '2026-11-01T00-00-00-000Z',
						files: 2,
						bytes: 1024,
						timeMs: Date.parse('2026-11-01T00:00:00.000Z'),
						restoreScript: null,
						log: null,
					},
				],
			},
		]);
	});
});
