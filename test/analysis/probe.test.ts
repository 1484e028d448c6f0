/**
 * The existence checks of referenced paths (`Prober`): outside the roots by `stat` (following
 * symlinks), in worker processes or not, cached by directory and name; inside from the scan.
 */
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Prober} from '../../source/analysis/probe.js';
import {DirectorySet} from '../../source/tree/layout.js';
import {scanTree, type ScanResult} from '../../source/tree/scan.js';
import {statProbe} from '../support/stat-probe.js';

let base: string;
let scan: ScanResult;
let roots: DirectorySet;

/** Names outside the roots, by directory (relative to `base`), and what `stat` finds there. */
const OUTSIDE: Record<string, string[]> = {
	out: ['f', 'd', 'link', 'broken', 'we?ird#n\\ame', 'absent'],
	'out/f': ['x'], // below a file: ENOTDIR
	'no-such-dir': ['x'],
	// A directory holding a root (`out2/r`) and a name that is not one.
	out2: ['r', 'other', 'other'],
};

beforeAll(async () => {
	base = mkdtempSync(join(tmpdir(), 'fcx-probe-'));
	mkdirSync(join(base, 'in', 'sub'), {recursive: true});
	writeFileSync(join(base, 'in', 'a'), 'aa');
	mkdirSync(join(base, 'out', 'd'), {recursive: true});
	writeFileSync(join(base, 'out', 'f'), 'fff');
	writeFileSync(join(base, 'out', 'we?ird#n\\ame'), 'w');
	symlinkSync(join(base, 'out', 'f'), join(base, 'out', 'link'));
	symlinkSync(join(base, 'out', 'nowhere'), join(base, 'out', 'broken'));
	mkdirSync(join(base, 'out2', 'r'), {recursive: true});
	writeFileSync(join(base, 'out2', 'other'), '12345');
	const rootPaths = [join(base, 'in'), join(base, 'out2', 'r')];
	scan = await scanTree(rootPaths);
	roots = new DirectorySet(rootPaths);
});

afterAll(() => rmSync(base, {recursive: true, force: true}));

describe('Prober', () => {
	for (const [how, parallelMinFiles] of [
		['one by one', 1_000_000],
		['in worker processes', 1],
	] as const) {
		it(`answers by directory and name as stat does outside the roots, as the scan inside (${how})`, async () => {
			const prober = new Prober(scan, (p) => roots.contains(p), parallelMinFiles);
			const groups = Object.entries(OUTSIDE).map(([dir, names]) => ({dir: join(base, dir), names}));
			await prober.probe(groups);
			for (const [dir, names] of Object.entries(OUTSIDE)) {
				for (const name of names) {
					const path = join(base, dir, name);
					expect(prober.getIn(join(base, dir), name), path).toEqual(statProbe(path));
					expect(prober.get(path), path).toEqual(statProbe(path));
				}
			}
			// Inside the roots: the scan's answer, with or without a probe.
			expect(prober.getIn(join(base, 'in'), 'a')).toEqual({exists: true, directory: false, size: 2});
			expect(prober.get(join(base, 'in', 'sub'))).toEqual({exists: true, directory: true});
			expect(prober.get(join(base, 'in', 'none'))).toEqual({exists: false, directory: false});
			// Outside the roots and never probed: not there.
			expect(prober.get(join(base, 'out2', 'r2'))).toEqual({exists: false, directory: false});
		});
	}

	it('probes a path of the top directory (an anchor `/x`: directory `` and name `x`)', async () => {
		const prober = new Prober(scan, (p) => roots.contains(p), 1);
		await prober.probe([{dir: '', names: ['tmp', 'no-such-fcx-top-directory']}]);
		expect(prober.get('/tmp')).toEqual({exists: true, directory: true});
		expect(prober.get('/no-such-fcx-top-directory')).toEqual({exists: false, directory: false});
	});

	it('refuses to answer once it has forgotten its answers (an outside path would pass for not there)', async () => {
		const prober = new Prober(scan, (p) => roots.contains(p));
		await prober.probe([{dir: join(base, 'out'), names: ['f']}]);
		expect(prober.get(join(base, 'out', 'f')).exists).toBe(true);
		prober.forget();
		expect(() => prober.get(join(base, 'out', 'f'))).toThrow(/forgot/);
		expect(() => prober.getIn(join(base, 'out'), 'f')).toThrow(/forgot/);
		await expect(prober.probe([{dir: join(base, 'out'), names: ['f']}])).rejects.toThrow(/forgot/);
	});
});
