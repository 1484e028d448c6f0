/**
 * The whole-process targets of issue #25 for one big `_metadata`, and the scaling curves: imported
 * by `bench.ts`, which passes its measuring and table functions ({@link BenchKit}).
 *
 * - The seed's scanner: a Python script finding the path strings of a `_metadata` with a regular
 *   expression and keeping their job directories (the seed's own script is not in the repository;
 *   this is its method: printable runs of 8+ bytes, those with `://`, cut after the 32-hex job id).
 * - `fcx report --json` and `fcx inspect --json` on the 16 MB file, each as a ratio of it.
 * - Time per reference from 1 MB to 64 MB of `_metadata`, and per file from 10k to 1M files: each
 *   step of the curve is checked (no step may grow faster than linearly), not only its ends.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {readMetadata, writeMetadata} from '../../source/metadata/index.js';
import {bigMetadataModel, generateTree, TREE_VERSION, treeShape} from './generate.js';

/** What `bench.ts` lends: whole-process runs, table rows, its log and formats. */
export interface BenchKit {
	run(cmd: string, args: string[], measureRss?: boolean): Promise<{wallMs: number; maxRssKb: number | undefined; code: number | null; stderr: string}>;
	row(section: string, what: string, value: string, ratio?: string, target?: string, ok?: '' | 'ok' | 'MISS' | 'TODO'): void;
	log(message: string): void;
	ms(x: number): string;
	cli: string;
	cacheDir: string;
}

const SEED_SCANNER = String.raw`
import re, sys
data = open(sys.argv[1], 'rb').read()
jobs = set()
for run in re.findall(rb'[\x20-\x7e]{8,}', data):
    if b'://' in run:
        m = re.match(rb'(.*?/[0-9a-f]{32})(/|$)', run)
        if m: jobs.add(m.group(1))
print(len(jobs))
`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const check = (good: boolean): 'ok' | 'MISS' => (good ? 'ok' : 'MISS');

/** Median wall time of `runs` runs of `fcx args` (whole process, output to /dev/null), and the largest peak RSS. */
async function fcxRuns(kit: BenchKit, args: string[], runs: number): Promise<{wallMs: number; rssMb: number; code: number | null; failed?: string}> {
	const results = [];
	for (let i = 0; i < runs; i++) results.push(await kit.run(process.execPath, [kit.cli, ...args]));
	const failed = results.find((r) => r.code === null || r.code > 3);
	return {
		wallMs: median(results.map((r) => r.wallMs)),
		rssMb: Math.max(...results.map((r) => r.maxRssKb ?? 0)) / 1024,
		code: results[0].code,
		failed: failed === undefined ? undefined : (failed.stderr.trim().split('\n')[0] ?? `exit ${failed.code}`),
	};
}

/** A `_metadata` of `subtasks` × 400 shared SSTs in the cache (generated once). */
function bigFile(kit: BenchKit, subtasks: number): string {
	const file = path.join(kit.cacheDir, `big-v6-${subtasks}x400`, '_metadata');
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, writeMetadata(bigMetadataModel(subtasks, 400)));
	}
	return file;
}

/** #25's targets for the 16 MB file: report ≤ 0.2× and inspect ≤ 1.0× the seed's scanner. */
export async function bigFileTargets(kit: BenchKit): Promise<void> {
	const file = bigFile(kit, 256);
	const python = spawnSync('python3', ['--version']).status === 0;
	if (!python) {
		kit.row('a', 'seed scanner (python3)', 'SKIPPED', 'no python3');
		return;
	}
	const seeds: number[] = [];
	for (let i = 0; i < 3; i++) seeds.push((await kit.run('python3', ['-c', SEED_SCANNER, file], false)).wallMs);
	const seed = median(seeds);
	kit.row('a', "seed's scanner (python3 regex, job dirs)", kit.ms(seed), 'median of 3, whole process');
	// The floor under any Node program: the report target below is a fraction of the seed that
	// Node's own start may already exceed on this machine.
	const starts: number[] = [];
	for (let i = 0; i < 3; i++) starts.push((await kit.run(process.execPath, ['-e', ''], false)).wallMs);
	kit.row('a', 'floor: node -e "" (no fcx code)', kit.ms(median(starts)), `${(median(starts) / seed).toFixed(2)}× seed, median of 3`);
	for (const [command, target] of [
		['report', 0.2],
		['inspect', 1],
	] as const) {
		const r = await fcxRuns(kit, [command, '--json', ...(command === 'report' ? ['--min-age', '0'] : []), file], 3);
		const what = `fcx ${command} --json <16 MB _metadata>`;
		if (r.failed !== undefined) {
			kit.row('a', what, 'FAILED', r.failed, '', 'MISS');
		} else {
			kit.row(
				'a',
				what,
				kit.ms(r.wallMs),
				`${(r.wallMs / seed).toFixed(2)}× seed, median of 3, peak RSS ${r.rssMb.toFixed(0)} MB`,
				`≤ ${target.toFixed(1)}× seed`,
				check(r.wallMs / seed <= target),
			);
		}
	}
}

/**
 * The scaling verdict of a curve of per-item costs (µs per reference or per file, startup included):
 * the last point against the first, and the steepest step between neighbours; ≤ 1.0× (5 % noise
 * allowed) means linear or better.
 */
function curveRow(kit: BenchKit, what: string, perItem: number[]): void {
	const growth = perItem.at(-1)! / perItem[0];
	const steepest = Math.max(...perItem.slice(1).map((x, i) => x / perItem[i]));
	kit.row(
		'scale',
		what,
		`${growth.toFixed(2)}×`,
		`flat or falling: linear or better; steepest step ${steepest.toFixed(2)}×`,
		'≤ 1.0×',
		check(growth <= 1.05 && steepest <= 1.05),
	);
}

/** Report time per reference for 1, 4, 16 and 64 MB of `_metadata` (16, 64, 256 and 1,024 subtasks × 400 SSTs). */
export async function referenceCurve(kit: BenchKit): Promise<void> {
	const perRef: number[] = [];
	for (const subtasks of [16, 64, 256, 1024]) {
		const file = bigFile(kit, subtasks);
		const references = readMetadata(new Uint8Array(readFileSync(file))).references.length;
		const r = await fcxRuns(kit, ['report', '--json', '--min-age', '0', file], 3);
		const us = (r.wallMs * 1000) / references;
		perRef.push(us);
		const mb = readFileSync(file).length / 1e6;
		kit.row(
			'scale',
			`report --json, ${mb.toFixed(1)} MB _metadata (${references.toLocaleString('en')} refs)`,
			r.failed === undefined ? kit.ms(r.wallMs) : 'FAILED',
			`${us.toFixed(1)} µs/ref (startup included), RSS ${r.rssMb.toFixed(0)} MB`,
		);
	}
	curveRow(kit, 'per reference, 64 MB vs 1 MB', perRef);
}

/** Report time per file for trees of about 10k, 50k, 200k and 1M files (2, 10, 40 and 200 jobs; the last is section b's tree). */
export async function fileCurve(kit: BenchKit): Promise<void> {
	const perFile: number[] = [];
	for (const scale of [0.01, 0.05, 0.2, 1]) {
		const shape = treeShape(scale);
		const root = path.join(kit.cacheDir, `tree-v${TREE_VERSION}-${shape.jobs}x${shape.retained}-p${shape.parallelism}-l${shape.live}-c${shape.churn}`);
		const done = `${root}.done`;
		if (!existsSync(done)) {
			kit.log(`  generating ${root} …`);
			writeFileSync(done, `${generateTree(root, shape, () => undefined)}\n`);
		}
		const files = Number(readFileSync(done, 'utf8').trim());
		await kit.run('find', [root, '-printf', '%s %p\n'], false);
		const r = await fcxRuns(kit, ['report', root, '--json', '--min-age', '0'], 2);
		const us = (r.wallMs * 1000) / files;
		perFile.push(us);
		kit.row(
			'scale',
			`report --json, ${files.toLocaleString('en')} files`,
			r.failed === undefined ? kit.ms(r.wallMs) : 'FAILED',
			`${us.toFixed(1)} µs/file (startup included), RSS ${r.rssMb.toFixed(0)} MB, exit ${r.code}`,
		);
	}
	curveRow(kit, 'per file, 1M vs 10k files', perFile);
}
