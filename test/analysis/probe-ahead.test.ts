/**
 * Probing ahead (`Prober.probeAhead`, `analysis/probe-ahead.ts`): the paths outside the roots are
 * `stat`ed in a worker process while the `_metadata` files still load. Only a head start: the
 * answers must be those of a probe once everything is loaded, for the paths it is then asked about
 * and no others, whether or not a worker was killed meanwhile (never a missing file for a failed
 * worker), and the analysis the same as without it.
 */
import {mkdirSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import {Prober} from '../../source/analysis/probe.js';
import {reportToJson} from '../../source/report/json.js';
import {DirectorySet} from '../../source/tree/layout.js';
import {scanTree, type ScanResult} from '../../source/tree/scan.js';
import {statWorkerChildren, statWorkersLeft} from '../support/stat-workers.js';
import {statProbe} from '../support/stat-probe.js';
import {tempDir} from '../support/temp.js';

const SAMPLE = resolve('fixtures/sample-tree');
const LATER = Date.now() + 365 * 86_400_000; // git does not keep mtimes: make everything old
/** Files in `out/` (`f-<i>`) and names there that are not (`gone-<i>`). */
const FILES = 150;

let base: string;
let scan: ScanResult;
let roots: DirectorySet;

beforeAll(async () => {
	base = tempDir('fcx-probe-ahead-');
	mkdirSync(join(base, 'in'), {recursive: true});
	writeFileSync(join(base, 'in', 'a'), 'aa');
	mkdirSync(join(base, 'out', 'd'), {recursive: true});
	for (let i = 0; i < FILES; i++) writeFileSync(join(base, 'out', `f-${i}`), 'x'.repeat(i));
	writeFileSync(join(base, 'out', 'only-ahead'), 'never asked about');
	symlinkSync(join(base, 'out', 'f-1'), join(base, 'out', 'link'));
	mkdirSync(join(base, 'out2', 'r'), {recursive: true});
	const rootPaths = [join(base, 'in'), join(base, 'out2', 'r')];
	scan = await scanTree(rootPaths);
	roots = new DirectorySet(rootPaths);
});

/** The names of `out/` asked about: its files, the directory, a symlink, and as many that are not there. */
function outNames(): string[] {
	const names = ['d', 'link'];
	for (let i = 0; i < FILES; i++) names.push(`f-${i}`, `gone-${i}`);
	return names;
}

/** Probe `out/` (its {@link outNames} and `late`, not given ahead) and `out2/` (a root and a name beside it), and check every answer against `stat`. */
async function probeAndCheck(prober: Prober): Promise<void> {
	await prober.probe([
		{dir: join(base, 'out'), names: [...outNames(), 'late']},
		{dir: join(base, 'out2'), names: ['r', 'other']},
	]);
	for (const name of [...outNames(), 'late']) expect(prober.getIn(join(base, 'out'), name), name).toEqual(statProbe(join(base, 'out', name)));
	expect(prober.get(join(base, 'out2', 'other'))).toEqual(statProbe(join(base, 'out2', 'other')));
	// A root: the scan's answer; a path only probed ahead: never asked about, so not there.
	expect(prober.get(join(base, 'out2', 'r'))).toEqual({exists: true, directory: true});
	expect(prober.get(join(base, 'out', 'only-ahead'))).toEqual({exists: false, directory: false});
}

describe('Prober.probeAhead', () => {
	it('answers what stat finds for the paths it is then asked about, and for no other', async () => {
		const prober = new Prober(scan, (p) => roots.contains(p), 1);
		prober.probeAhead(join(base, 'out'), [...outNames().reverse(), 'only-ahead']);
		prober.probeAhead(join(base, 'out2'), ['r', 'other']);
		prober.probeAhead(join(base, 'in'), ['a']); // inside a root: never probed
		prober.probeAhead(join(base, 'no-such-dir'), ['x']);
		expect(statWorkerChildren()).toHaveLength(1);
		await probeAndCheck(prober);
		expect(await statWorkersLeft()).toEqual([]);
	});

	it('answers what stat finds when its worker process is killed before the probe, or during it', async () => {
		for (const when of ['before', 'during']) {
			const prober = new Prober(scan, (p) => roots.contains(p), 1);
			prober.probeAhead(join(base, 'out'), outNames());
			let killed = 0;
			let probing = true;
			const killer = (): void => {
				for (const pid of statWorkerChildren()) {
					process.kill(pid, 'SIGKILL');
					killed++;
				}
				if (probing && when === 'during') setImmediate(killer);
			};
			killer();
			await probeAndCheck(prober).finally(() => {
				probing = false;
			});
			expect(killed, when).toBeGreaterThan(0);
		}
		expect(await statWorkersLeft()).toEqual([]);
	});

	it('starts no worker process for fewer names than its threshold (they are stat-ed with the rest)', async () => {
		const prober = new Prober(scan, (p) => roots.contains(p), 10_000);
		prober.probeAhead(join(base, 'out'), outNames());
		expect(statWorkerChildren()).toEqual([]);
		await probeAndCheck(prober);
	});
});

describe('analyse with the paths outside the roots probed ahead', () => {
	/** Every `_metadata` of the sample tree, named: their shared files are outside the roots (each `chk-<n>`). */
	const named = (): string[] => {
		const found: string[] = [];
		const walk = (dir: string): void => {
			for (const entry of readdirSync(dir, {withFileTypes: true})) {
				if (entry.isDirectory()) walk(join(dir, entry.name));
				else if (entry.name === '_metadata') found.push(join(dir, entry.name));
			}
		};
		walk(SAMPLE);
		return found.sort();
	};
	const json = async (parallelStatMinFiles: number): Promise<unknown> =>
		reportToJson(await analyse(named(), {nowMs: LATER, minAgeMs: 0, scan: {parallelStatMinFiles}}), {files: true});

	it('gives the same analysis whether they are probed ahead or after the loading, a worker killed or not', async () => {
		const after = await json(Number.MAX_SAFE_INTEGER);
		expect(JSON.stringify(after)).toContain('"missing"');
		for (const threshold of [1, 3]) expect(await json(threshold), `from ${threshold} paths on`).toEqual(after);
		let analysing = true;
		let killed = 0;
		const killer = (): void => {
			for (const pid of statWorkerChildren()) {
				process.kill(pid, 'SIGKILL');
				killed++;
			}
			if (analysing) setImmediate(killer);
		};
		setImmediate(killer);
		const killedMidway = await json(1).finally(() => {
			analysing = false;
		});
		expect(killedMidway).toEqual(after);
		expect(killed).toBeGreaterThan(0);
		expect(await statWorkersLeft()).toEqual([]);
	});
});
