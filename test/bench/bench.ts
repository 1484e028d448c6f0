/**
 * Performance benchmark (`npm run bench`; not part of `npm test`).
 *
 *   a. parse one big incremental RocksDB `_metadata` (≈16 MB): in-process `readMetadata` (warm
 *      median and cold first run in a fresh process), `fcx inspect --json`, and a naive
 *      "u16-length-prefixed string at every offset" scanner as the baseline.
 *   b. `fcx report --json` over a tree of ≈1,000,000 files (200 jobs × 10 retained incremental
 *      checkpoints) next to `find -printf` over the same tree: wall time and peak RSS; the phases
 *      of `analyse` and their garbage collection (`test/bench/phases.ts`); `fcx plan` and
 *      `fcx what-if --keep-last`.
 *   c. explorer keypress → next frame with 100,000 rows, first frame on fixtures/sample-tree
 *      (`test/bench/ui.tsx`, run in a child process), and the real binary from launch to its first
 *      frame in a pseudo-terminal (`script`).
 *
 * Inputs are generated with the project's own writer into `os.tmpdir()/fcx-bench` and reused.
 *   s. #25's whole-process targets on the 16 MB file against the seed's scanner, and the scaling
 *      curves: time per reference (1-16 MB of `_metadata`) and per file (10k-200k files)
 *      (`test/bench/targets.ts`).
 *   r. `fcx report --json` on 20,000 objects in a local s3rver against the SDK's sequential
 *      ListObjectsV2 listing of them (`test/bench/remote.ts`).
 *   l. a listing of 1 and 10 million objects streams: `analyse` of a simulated store, time and
 *      memory per object (`test/bench/listing.ts`).
 *
 * Environment: `FCX_BENCH_SCALE=0.1` (tree size, default 1; `0.1,1` runs both), `FCX_BENCH_ONLY=a,s,b,c,r,l` (sections),
 * `FCX_BENCH_RUNS` (warm in-process runs, default 21), `FCX_BENCH_LISTING=1e6,1e7` (section l's sizes),
 * `FCX_BENCH_MARKDOWN=FILE` (also write the table as Markdown, with the date, Node's version and the
 * load average before and after the run: the readme's bench table is pasted from it).
 */
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {bigMetadataModel, generateTree, TREE_VERSION, treeFileCount, treeShape} from './generate.js';
import {writeMetadata} from '../../source/metadata/index.js';
import {listingRows} from './listing.js';
import {remoteRow} from './remote.js';
import {bigFileTargets, fileCurve, referenceCurve, type BenchKit} from './targets.js';

type MetadataApi = typeof import('../../source/metadata/index.js');

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(projectRoot, 'dist/fcx.js');
const cacheDir = path.join(os.tmpdir(), 'fcx-bench');
/** Tree scales for section b; a comma list runs each (e.g. `0.1,1`). */
const scales = (process.env.FCX_BENCH_SCALE ?? '1').split(',').map(Number);
const only = new Set((process.env.FCX_BENCH_ONLY ?? 'a,s,b,c,r,l').split(',').map((s) => s.trim()));
const warmRuns = Number(process.env.FCX_BENCH_RUNS ?? '21');

// ---------------------------------------------------------------------------------------------
// Table.
// ---------------------------------------------------------------------------------------------

interface Row {
	section: string;
	what: string;
	value: string;
	ratio: string;
	target: string;
	ok: '' | 'ok' | 'MISS' | 'TODO';
}

const rows: Row[] = [];

function row(section: string, what: string, value: string, ratio = '', target = '', ok: Row['ok'] = ''): void {
	rows.push({section, what, value, ratio, target, ok});
	log(`  ${what}: ${value}${ratio ? `  (${ratio})` : ''}${ok ? `  [${ok}]` : ''}`);
}

function printTable(): void {
	const head: Row = {section: '', what: 'measurement', value: 'value', ratio: 'ratio', target: 'target', ok: ''};
	const all = [head, ...rows];
	const w = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
	const line = (r: Row) =>
		`${r.section.padEnd(w('section'))}  ${r.what.padEnd(w('what'))}  ${r.value.padStart(w('value'))}  ${r.ratio.padEnd(w('ratio'))}  ${r.target.padEnd(w('target'))}  ${r.ok}`;
	console.log('');
	console.log(line(head));
	console.log('-'.repeat(line(head).length + 4));
	for (const r of rows) console.log(line(r));
}

/**
 * The table as Markdown (for the readme): one row per measurement, the run's conditions first. A
 * `|` inside a cell is escaped so that the row keeps its columns.
 */
function markdownTable(startLoad: number[], startedAt: Date): string {
	const cell = (text: string) => text.replaceAll('|', '\\|');
	const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
	const lines = [
		`Run ${startedAt.toISOString().slice(0, 16)}–${new Date().toISOString().slice(11, 16)} UTC, Node ${process.version}, ${os.cpus().length} cores, load average ${load(startLoad)} at the start and ${load(os.loadavg())} at the end.`,
		'',
		'| section | measurement | value | ratio | target | |',
		'|---|---|---|---|---|---|',
		...rows.map((r) => `| ${[r.section, r.what, r.value, r.ratio, r.target, r.ok].map(cell).join(' | ')} |`),
	];
	return `${lines.join('\n')}\n`;
}

function log(message: string): void {
	process.stderr.write(`${message}\n`);
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mbps = (bytes: number, millis: number) => bytes / 1e6 / (millis / 1000);
const check = (good: boolean): Row['ok'] => (good ? 'ok' : 'MISS');

// ---------------------------------------------------------------------------------------------
// Child processes: wall time and peak RSS.
// ---------------------------------------------------------------------------------------------

interface RunResult {
	wallMs: number;
	maxRssKb: number | undefined;
	code: number | null;
	stderr: string;
}

const hasGnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;

/** Runs `cmd args > /dev/null`; peak RSS from `/usr/bin/time -v`, else by polling /proc/<pid>/status VmHWM. */
async function run(cmd: string, args: string[], measureRss = true): Promise<RunResult> {
	const devNull = openSync('/dev/null', 'w');
	const useTime = measureRss && hasGnuTime;
	const argv = useTime ? ['-v', cmd, ...args] : args;
	const start = performance.now();
	const child = spawn(useTime ? '/usr/bin/time' : cmd, argv, {stdio: ['ignore', devNull, 'pipe']});
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => {
		stderr += d.toString();
	});
	let polled: number | undefined;
	const timer =
		measureRss && !useTime
			? setInterval(() => {
					try {
						const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
						if (m) polled = Math.max(polled ?? 0, Number(m[1]));
					} catch {
						// exited
					}
				}, 5)
			: undefined;
	const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
	const wallMs = performance.now() - start;
	if (timer) clearInterval(timer);
	closeSync(devNull);
	let maxRssKb = polled;
	if (useTime) {
		const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
		if (m) maxRssKb = Number(m[1]);
		const exit = /Exit status: (\d+)/.exec(stderr);
		return {wallMs, maxRssKb, code: exit ? Number(exit[1]) : code, stderr: stderr.replace(/\n\tCommand being timed:[\s\S]*$/, '')};
	}
	return {wallMs, maxRssKb, code, stderr};
}

// ---------------------------------------------------------------------------------------------
// a. Big metadata.
// ---------------------------------------------------------------------------------------------

/**
 * The baseline: what a "find the strings" scanner does without knowing the grammar — at every
 * offset, read a u16 length and, when that many bytes follow and all are printable ASCII, take
 * them as a string.
 */
export function naiveScan(bytes: Uint8Array): number {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	const found: string[] = [];
	const len = bytes.length;
	for (let i = 0; i + 2 <= len; i++) {
		const n = (bytes[i] << 8) | bytes[i + 1];
		if (n === 0 || i + 2 + n > len) continue;
		let j = i + 2;
		const end = j + n;
		while (j < end && bytes[j] >= 0x20 && bytes[j] < 0x7f) j++;
		if (j === end) found.push(text.substring(i + 2, end));
	}
	return found.length;
}

async function sectionA(api: MetadataApi): Promise<void> {
	log('a. big metadata');
	const file = path.join(cacheDir, 'big-v6-256x400', '_metadata');
	if (!existsSync(file)) {
		log('  generating …');
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, writeMetadata(bigMetadataModel(256, 400)));
	}
	const bytes = new Uint8Array(readFileSync(file));
	const mb = bytes.length / 1e6;
	row('a', 'input', `${mb.toFixed(1)} MB`, '256 subtasks × 400 shared SSTs, v6 tag 11');

	// Cold: a fresh process, first call (what `fcx inspect` does), with GC time of that call.
	const coldScript = `
		import {readFileSync} from 'node:fs';
		import {PerformanceObserver, performance} from 'node:perf_hooks';
		const {readMetadata} = await import(${JSON.stringify(pathToFileURL(path.join(projectRoot, 'dist/metadata/index.js')).href)});
		const gc = [];
		const obs = new PerformanceObserver((l) => gc.push(...l.getEntries()));
		obs.observe({entryTypes: ['gc']});
		const bytes = new Uint8Array(readFileSync(${JSON.stringify(file)}));
		const times = [];
		let t0 = performance.now();
		let r = readMetadata(bytes);
		const first = [t0, performance.now()];
		times.push(first[1] - first[0]);
		r = null;
		for (let i = 0; i < 2; i++) { t0 = performance.now(); r = readMetadata(bytes); times.push(performance.now() - t0); r = null; }
		await new Promise((res) => setTimeout(res, 20));
		const gcFirst = gc.filter((e) => e.startTime >= first[0] && e.startTime < first[1]).reduce((s, e) => s + e.duration, 0);
		console.log(JSON.stringify({times, gcFirst}));
	`;
	const colds: {times: number[]; gcFirst: number}[] = [];
	for (let i = 0; i < 3; i++) {
		const out = spawnSync(process.execPath, ['--input-type=module', '-e', coldScript], {encoding: 'utf8'});
		if (out.status !== 0) throw new Error(`cold run failed: ${out.stderr}`);
		colds.push(JSON.parse(out.stdout) as {times: number[]; gcFirst: number});
	}
	const cold = median(colds.map((c) => c.times[0]));
	const coldGc = median(colds.map((c) => c.gcFirst));
	const second = median(colds.map((c) => c.times[1]));

	// Warm, in this process.
	// Warm-up: JIT and heap growth reach a steady state after a few runs.
	for (let i = 0; i < 8; i++) api.readMetadata(bytes);
	const warm: number[] = [];
	let references = 0;
	// No forced GC between runs: steady state, each run pays for collecting the previous model (as
	// when a report parses many files). A forced full GC shrinks the young generation and makes
	// the next run slower, not cleaner.
	for (let i = 0; i < warmRuns; i++) {
		const t0 = performance.now();
		const r = api.readMetadata(bytes);
		warm.push(performance.now() - t0);
		references = r.references.length;
	}
	const warmMs = median(warm);
	const parseMbps = mbps(bytes.length, warmMs);

	// Naive scanner, same process.
	naiveScan(bytes.subarray(0, 1 << 20));
	const naive: number[] = [];
	let strings = 0;
	for (let i = 0; i < 3; i++) {
		const t0 = performance.now();
		strings = naiveScan(bytes);
		naive.push(performance.now() - t0);
	}
	const naiveMs = median(naive);
	const speedup = naiveMs / warmMs;

	const best = Math.min(...warm);
	row(
		'a',
		`readMetadata warm (median of ${warmRuns})`,
		ms(warmMs),
		`${parseMbps.toFixed(0)} MB/s (best ${ms(best)}, ${mbps(bytes.length, best).toFixed(0)} MB/s), ${references} refs`,
		'≥ 300 MB/s',
		check(parseMbps >= 300),
	);
	row('a', 'naive u16-string scanner', ms(naiveMs), `${mbps(bytes.length, naiveMs).toFixed(0)} MB/s, ${strings} strings`);
	row('a', 'readMetadata vs naive', `${speedup.toFixed(1)}×`, 'naive / readMetadata', '≥ 17×', check(speedup >= 17));
	row(
		'a',
		'readMetadata cold (fresh process, 1st)',
		ms(cold),
		`${mbps(bytes.length, cold).toFixed(0)} MB/s, GC ${ms(coldGc)}; 2nd ${ms(second)}; ${(cold / warmMs).toFixed(1)}× warm`,
	);

	// One after the other: three at once on two cores measured 137 ms for a 60 ms start.
	const startups: number[] = [];
	for (let i = 0; i < 3; i++) startups.push((await run(process.execPath, ['-e', ''], false)).wallMs);
	const startup = median(startups);
	const cliRuns: RunResult[] = [];
	for (let i = 0; i < 3; i++) cliRuns.push(await run(process.execPath, [cli, 'inspect', '--json', file]));
	if (cliRuns.some((r) => r.code !== 0)) {
		row('a', 'fcx inspect --json', 'FAILED', cliRuns[0].stderr.trim().split('\n')[0] ?? '', '', 'MISS');
	} else {
		const wall = median(cliRuns.map((r) => r.wallMs));
		const rss = median(cliRuns.map((r) => r.maxRssKb ?? 0));
		row(
			'a',
			'fcx inspect --json > /dev/null',
			ms(wall),
			`${mbps(bytes.length, wall).toFixed(0)} MB/s, ${(wall / warmMs).toFixed(1)}× warm parse, RSS ${(rss / 1024).toFixed(0)} MB`,
		);
		row('a', 'node startup (node -e "")', ms(startup), `${((startup / wall) * 100).toFixed(0)}% of inspect`);
	}
}

// ---------------------------------------------------------------------------------------------
// b. Big tree.
// ---------------------------------------------------------------------------------------------

async function sectionB(scale: number): Promise<void> {
	const shape = treeShape(scale);
	const sec = `b@${scale}`;
	const expected = treeFileCount(shape);
	log(`b. big tree: ${shape.jobs} jobs × ${shape.retained} checkpoints, ≈${expected.toLocaleString('en')} files`);
	const root = path.join(cacheDir, `tree-v${TREE_VERSION}-${shape.jobs}x${shape.retained}-p${shape.parallelism}-l${shape.live}-c${shape.churn}`);
	const done = path.join(cacheDir, `${path.basename(root)}.done`);
	if (!existsSync(done)) {
		log(`  generating ${root} (once; reused later) …`);
		const t0 = performance.now();
		const files = generateTree(root, shape, (jobs, files) => {
			if (jobs % Math.max(1, Math.round(shape.jobs / 20)) === 0 || jobs === shape.jobs) {
				log(`  … ${jobs}/${shape.jobs} jobs, ${files.toLocaleString('en')} files, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
			}
		});
		writeFileSync(done, `${files}\n`);
	}
	const files = Number(readFileSync(done, 'utf8').trim());
	row(sec, 'tree', `${files.toLocaleString('en')} files`, `${shape.jobs} jobs × ${shape.retained} chk, p=${shape.parallelism}, ${shape.live} SSTs/subtask`);

	// Warm the dentry/inode cache once, then measure both, alternating, the best of 3 runs each (on
	// a noisy machine noise only adds time; one run of each swung the ratio by ±0.2).
	await run('find', [root, '-printf', '%s %p\n'], false);
	const finds: RunResult[] = [];
	const reports: RunResult[] = [];
	for (let i = 0; i < 3; i++) {
		finds.push(await run('find', [root, '-printf', '%s %p\n']));
		const report = await run(process.execPath, [cli, 'report', root, '--json', '--min-age', '0']);
		reports.push(report);
		// Exit status 0 (clean) or 1 (missing files) or 2 … are analysis outcomes; anything that left no JSON is a failure.
		if (report.code === null || report.code > 3 || /Error|not implemented/i.test(report.stderr)) {
			const lines = report.stderr.trim().split('\n');
			const error = lines.find((l) => /Error/.test(l)) ?? lines[0] ?? '';
			row(
				sec,
				'fcx report ROOT --json',
				'FAILED',
				`exit ${report.code} after ${ms(report.wallMs)}, peak RSS ${((report.maxRssKb ?? 0) / 1024).toFixed(0)} MB: ${error.trim().slice(0, 120)}`,
				'≤ 2× find, ≤ 1 GB',
				'TODO',
			);
			return;
		}
	}
	const findMs = Math.min(...finds.map((r) => r.wallMs));
	row(
		sec,
		"find ROOT -printf '%s %p\\n'",
		ms(findMs),
		`best of 3 (${finds.map((r) => ms(r.wallMs)).join(', ')}), RSS ${((finds[0].maxRssKb ?? 0) / 1024).toFixed(0)} MB`,
	);
	const reportMs = Math.min(...reports.map((r) => r.wallMs));
	const rssMb = Math.max(...reports.map((r) => r.maxRssKb ?? 0)) / 1024;
	const ratio = reportMs / findMs;
	row(
		sec,
		'fcx report ROOT --json > /dev/null',
		ms(reportMs),
		`${ratio.toFixed(1)}× find, best of 3 (${reports.map((r) => ms(r.wallMs)).join(', ')}; exit ${reports[0].code})`,
		'≤ 1.2× find',
		check(ratio <= 1.2),
	);
	row(sec, 'fcx report peak RSS', `${rssMb.toFixed(0)} MB`, 'the most of the 3 runs', '≤ 512 MB', check(rssMb <= 512));

	// Where the report's time goes: the phases of `analyse` in one run (`test/bench/phases.ts`).
	const phases = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/bench/phases.ts'), root], {encoding: 'utf8', cwd: projectRoot});
	const p = phases.status === 0 ? (JSON.parse(phases.stdout) as Phases) : undefined;
	if (p === undefined) {
		row(sec, 'phases of analyse', 'FAILED', phases.stderr.trim().split('\n')[0] ?? '');
	} else {
		const gcMs = (g: Phases['gc']['crawl']): string => ms(g.scavenge + g.markCompact);
		row(
			sec,
			'phases of analyse (in-process, 1 run)',
			ms(p.analysed),
			`crawl + file table ${ms(p.crawled)}, load ${ms(p.loaded - p.crawled)}, lstat results in at ${ms(p.statted ?? 0)}, resolve and sum ${ms(p.analysed - Math.max(p.loaded, p.statted ?? 0))}`,
		);
		row(
			sec,
			'garbage collection in those phases',
			gcMs(p.gc.crawl),
			`crawl; load ${gcMs(p.gc.load)}, resolve and sum ${gcMs(p.gc.finish)}; scavenges ${ms(p.gc.crawl.scavenge + p.gc.load.scavenge + p.gc.finish.scavenge)} in all`,
		);
	}

	// Every `_metadata` named on the command line instead of the tree (a shell glob over
	// `*/chk-*/_metadata`): each checkpoint directory is then a root of its own.
	const metadataFiles: string[] = [];
	for (const job of readdirSync(root)) {
		if (!statSync(path.join(root, job)).isDirectory()) continue;
		for (const dir of readdirSync(path.join(root, job))) {
			const file = path.join(root, job, dir, '_metadata');
			if (dir.startsWith('chk-') && existsSync(file)) metadataFiles.push(file);
		}
	}
	// Issue #25's targets hold for these too: at most 1.2× find and 512 MB peak RSS.
	const targetRow = (what: string, result: RunResult, exitOk: boolean): void => {
		const rssMb = (result.maxRssKb ?? 0) / 1024;
		const ratio = result.wallMs / findMs;
		const value = exitOk ? ms(result.wallMs) : 'FAILED';
		row(sec, what, value, `${ratio.toFixed(1)}× find, peak RSS ${rssMb.toFixed(0)} MB`, '≤ 1.2× find, ≤ 512 MB', check(exitOk && ratio <= 1.2 && rssMb <= 512));
	};
	const named = await run(process.execPath, [cli, 'report', ...metadataFiles, '--json', '--min-age', '0']);
	targetRow(`fcx report <${metadataFiles.length.toLocaleString('en')} _metadata named> --json`, named, named.code !== null && named.code <= 3);
	// The cleanup commands read every checkpoint's files and check each orphan against them.
	const plan = await run(process.execPath, [cli, 'plan', root, '--json', '--min-age', '0']);
	targetRow('fcx plan ROOT --json > /dev/null', plan, plan.code === 0);
	const retention = await run(process.execPath, [cli, 'what-if', '--keep-last', '3', root]);
	targetRow('fcx what-if --keep-last 3 ROOT > /dev/null', retention, retention.code === 0);

	// The per-file lists (`--files`, about 600 bytes per file and checkpoint): measured, no target.
	const listed = await run(process.execPath, [cli, 'report', root, '--json', '--files', '--min-age', '0']);
	const listedRssMb = (listed.maxRssKb ?? 0) / 1024;
	row(
		sec,
		'fcx report ROOT --json --files > /dev/null',
		listed.code === null || listed.code > 3 ? 'FAILED' : ms(listed.wallMs),
		`${(listed.wallMs / findMs).toFixed(1)}× find, peak RSS ${listedRssMb.toFixed(0)} MB`,
	);
}

/** What `test/bench/phases.ts` prints: ms since `analyse` was called, GC ms per phase. */
interface Phases {
	crawled: number;
	loaded: number;
	statted?: number;
	analysed: number;
	gc: Record<'crawl' | 'load' | 'finish', {scavenge: number; markCompact: number}>;
}

// ---------------------------------------------------------------------------------------------
// c. UI (child process: test/bench/ui.tsx prints JSON).
// ---------------------------------------------------------------------------------------------

interface UiResult {
	firstFrameMs?: number;
	bigFirstFrameMs?: number;
	rows?: number;
	keys?: {name: string; medianMs: number; maxMs: number; changed: boolean}[];
	error?: string;
}

async function sectionC(): Promise<void> {
	// The binary (`dist/fcx.js`) runs React's production build (the bundle defines NODE_ENV); the
	// library used from source runs React's development build unless NODE_ENV says otherwise:
	// measure both.
	for (const mode of ['development', 'production'] as const) {
		log(`c. UI (NODE_ENV=${mode})`);
		const sec = `c ${mode === 'production' ? 'prod' : 'dev'}`;
		const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/bench/ui.tsx')], {
			encoding: 'utf8',
			cwd: projectRoot,
			env: {...process.env, CI: 'false', FORCE_COLOR: '0', NODE_ENV: mode},
			timeout: 300_000,
		});
		let result: UiResult;
		try {
			const last = out.stdout.trim().split('\n').pop() ?? '';
			result = JSON.parse(last) as UiResult;
		} catch {
			result = {error: `ui bench exited ${out.status}: ${(out.stderr || out.stdout).trim().split('\n').slice(0, 3).join(' | ').slice(0, 200)}`};
		}
		if (result.firstFrameMs !== undefined) {
			row(sec, 'first frame, fixtures/sample-tree', ms(result.firstFrameMs), 'analyse excluded', '≤ 500 ms', check(result.firstFrameMs <= 500));
		}
		if (result.bigFirstFrameMs !== undefined) row(sec, `first frame, ${result.rows?.toLocaleString('en')} orphans`, ms(result.bigFirstFrameMs));
		for (const k of result.keys ?? []) {
			row(
				sec,
				`key → frame: ${k.name}`,
				ms(k.medianMs),
				`max ${ms(k.maxMs)}${k.changed ? '' : ', FRAME DID NOT CHANGE'}`,
				'≤ 50 ms',
				check(k.medianMs <= 50 && k.changed),
			);
		}
		if (result.error !== undefined) row(sec, 'UI', 'TODO', result.error, '', 'TODO');
	}

	// The real binary, from launch to its first frame: Node's start, the bundle, the analysis of
	// the sample tree and the first render, as a user at a terminal waits for them.
	const launches = await launchToFirstFrame(5, path.join(projectRoot, 'fixtures/sample-tree'));
	const what = 'launch → first frame, fixtures/sample-tree';
	if (launches === undefined) {
		row('c', what, 'SKIPPED', 'no `script` (util-linux) to give fcx a terminal');
	} else {
		row(
			'c',
			what,
			ms(median(launches)),
			`dist/fcx.js in a pseudo-terminal, median of 5 (${launches.map(ms).join(', ')})`,
			'≤ 400 ms',
			check(median(launches) <= 400),
		);
	}

	// The same on the 16 MB `_metadata` of section a (when made): #25's explorer target for it.
	const big = path.join(cacheDir, 'big-v6-256x400', '_metadata');
	const bigLaunches = existsSync(big) ? await launchToFirstFrame(5, big) : undefined;
	if (bigLaunches !== undefined) {
		row(
			'c',
			'launch → first frame, 16 MB _metadata',
			ms(median(bigLaunches)),
			`dist/fcx.js in a pseudo-terminal, median of 5 (${bigLaunches.map(ms).join(', ')})`,
			'≤ 500 ms',
			check(median(bigLaunches) <= 500),
		);
	}
}

/** A path quoted for `sh -c`. */
function shellWord(value: string): string {
	return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * Milliseconds from starting `fcx <tree>` in a pseudo-terminal (`script`, util-linux) to the first
 * output showing its jobs, `runs` times; `undefined` without `script`.
 */
async function launchToFirstFrame(runs: number, tree: string): Promise<number[] | undefined> {
	if (spawnSync('script', ['--version']).status !== 0) return undefined;
	const command = `stty cols 150 rows 40; exec ${shellWord(process.execPath)} ${shellWord(cli)} --min-age 0 ${shellWord(tree)}`;
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		const child = spawn('script', ['-q', '-c', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore']});
		times.push(
			await new Promise<number>((resolve) => {
				let out = '';
				const timer = setTimeout(() => resolve(Number.NaN), 30_000);
				child.stdout.on('data', (data: Buffer) => {
					out += data.toString();
					if (/\d+ jobs/.test(out)) {
						clearTimeout(timer);
						resolve(performance.now() - start);
					}
				});
			}),
		);
		child.kill('SIGKILL');
	}
	return times;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const startLoad = os.loadavg();
	const startedAt = new Date();
	mkdirSync(cacheDir, {recursive: true});
	log(`fcx bench: node ${process.version}, ${os.cpus().length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB; cache ${cacheDir}`);
	if (!existsSync(cli)) throw new Error('dist/fcx.js missing: run `npm run build`');
	const api = (await import(pathToFileURL(path.join(projectRoot, 'dist/metadata/index.js')).href)) as MetadataApi;
	if (only.has('a')) await sectionA(api);
	if (only.has('s')) {
		log('s. #25 targets and scaling');
		const kit: BenchKit = {run, row, log, ms, cli, cacheDir};
		await bigFileTargets(kit);
		await referenceCurve(kit);
		await fileCurve(kit);
	}
	if (only.has('r')) {
		log('r. remote: report on a local s3rver against a plain listing');
		await remoteRow({run, row, log, ms, cli, cacheDir});
	}
	if (only.has('l')) {
		log('l. a listing of millions of objects streams (simulated store)');
		await listingRows({run, row, log, ms, cli, cacheDir});
	}
	if (only.has('b')) for (const scale of scales) await sectionB(scale);
	if (only.has('c')) await sectionC();
	printTable();
	const markdown = process.env.FCX_BENCH_MARKDOWN;
	if (markdown) writeFileSync(markdown, markdownTable(startLoad, startedAt));
}

await main();
