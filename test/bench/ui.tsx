/**
 * UI part of the benchmark (run by `test/bench/bench.ts` in a child process; prints one JSON line):
 * time from writing a key to ink-testing-library's stdin until `lastFrame()` changes, in the
 * explorer over a synthetic analysis of 100,000 orphans; and the first frame on fixtures/sample-tree.
 */
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import type {Analysis, Orphan} from '../../source/analysis/types.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROWS = Number(process.env.FCX_BENCH_UI_ROWS ?? '100000');
const ROOT = '/data/flink';
const JOB = '3f2a1b2c3d4e5f60718293a4b5c6d7e8';
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

const KEYS = {down: '\u001B[B', pageDown: '\u001B[6~', escape: '\u001B'};

function manyOrphans(count: number): Analysis {
	const orphans: Orphan[] = [];
	for (let i = 0; i < count; i++) {
		const p = `${ROOT}/${JOB}/shared/${String(i).padStart(6, '0')}-${((i * 2654435761) >>> 0).toString(16)}`;
		orphans.push({path: p, type: 'file', reason: 'unreferenced-file', description: `unreferenced file ${p}`, bytes: (i * 7919) % 100_000_000, files: 1, jobId: JOB, timeMs: NOW - 48 * 3_600_000 - i, possiblyInProgress: false});
	}
	return {
		roots: [ROOT],
		mappings: [],
		jobs: [],
		checkpoints: [],
		orphans,
		missing: [],
		warnings: [],
		totals: {files: count, bytesOnDisk: orphans.reduce((s, o) => s + o.bytes, 0), orphans: count, orphanBytes: orphans.reduce((s, o) => s + o.bytes, 0), missing: 0, checkpoints: 0, savepoints: 0},
		referencedBy: new Map(),
		scannedFiles: new Map(),
		minAgeMs: 3_600_000,
		analysedAtMs: NOW,
	};
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Instance {
	lastFrame: () => string | undefined;
	stdin: {write: (data: string) => void};
	stdout: NodeJS.EventEmitter;
	unmount: () => void;
}

/** Write `key`, wait until the frame differs (or `timeoutMs`); ms, and whether it changed. */
async function press(instance: Instance, key: string, timeoutMs = 10_000): Promise<{ms: number; changed: boolean}> {
	const before = instance.lastFrame();
	const t0 = performance.now();
	instance.stdin.write(key);
	while (instance.lastFrame() === before) {
		if (performance.now() - t0 > timeoutMs) return {ms: performance.now() - t0, changed: false};
		await tick();
	}
	return {ms: performance.now() - t0, changed: true};
}

async function main(): Promise<void> {
	const result: Record<string, unknown> = {rows: ROWS};
	let render: typeof import('ink-testing-library').render;
	let Explorer: typeof import('../../source/ui/explorer.js').Explorer;
	let analyse: typeof import('../../source/analysis/index.js').analyse;
	let React: typeof import('react');
	try {
		({render} = await import('ink-testing-library'));
		({Explorer} = await import('../../source/ui/explorer.js'));
		({analyse} = await import('../../source/analysis/index.js'));
		React = await import('react');
	} catch (error) {
		console.log(JSON.stringify({error: `UI not importable: ${error instanceof Error ? error.message : String(error)}`}));
		return;
	}
	const sized = (tree: React.ReactElement, columns: number, rows: number): Instance => {
		const instance = render(tree) as unknown as Instance;
		Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
		instance.stdout.emit('resize');
		return instance;
	};
	const waitFrame = async (instance: Instance, t0: number) => {
		while (!instance.lastFrame()) {
			if (performance.now() - t0 > 30_000) break;
			await tick();
		}
		return performance.now() - t0;
	};

	// First frame on the sample tree (the analysis is done first and not timed).
	const sample = await analyse([path.join(projectRoot, 'fixtures/sample-tree')], {mappings: [], minAgeMs: 0});
	{
		const t0 = performance.now();
		const instance = sized(React.createElement(Explorer, {analysis: sample, title: 'sample-tree'}), 120, 40);
		result.firstFrameMs = await waitFrame(instance, t0);
		instance.unmount();
	}

	// 100,000 rows.
	const big = manyOrphans(ROWS);
	const t0 = performance.now();
	const instance = sized(React.createElement(Explorer, {analysis: big, title: 'bench'}), 120, 40);
	result.bigFirstFrameMs = await waitFrame(instance, t0);
	await sleep(50);
	const toOrphans = await press(instance, 'o');
	await sleep(50);
	const keys: {name: string; medianMs: number; maxMs: number; changed: boolean}[] = [{name: `open orphans view ('o', ${ROWS.toLocaleString('en')} rows)`, medianMs: toOrphans.ms, maxMs: toOrphans.ms, changed: toOrphans.changed}];
	const series = async (name: string, key: string, n: number) => {
		const times: number[] = [];
		let changed = true;
		for (let i = 0; i < n; i++) {
			const r = await press(instance, key);
			times.push(r.ms);
			changed &&= r.changed;
			await sleep(5);
		}
		keys.push({name, medianMs: median(times), maxMs: Math.max(...times), changed});
	};
	await series(`move down (${ROWS.toLocaleString('en')} rows)`, KEYS.down, 30);
	await series('page down', KEYS.pageDown, 15);
	// Filter: '/' opens the filter, then one character narrows 100k rows; Esc clears.
	const filterTimes: number[] = [];
	let filterChanged = true;
	for (const ch of ['7', 'a', '3', 'f', '0']) {
		await press(instance, '/');
		await sleep(5);
		const r = await press(instance, ch);
		filterTimes.push(r.ms);
		filterChanged &&= r.changed;
		await sleep(5);
		await press(instance, KEYS.escape);
		await sleep(5);
		// Leave filter mode fully (Esc in browse mode would go back a view).
	}
	keys.push({name: 'filter: type one character', medianMs: median(filterTimes), maxMs: Math.max(...filterTimes), changed: filterChanged});
	result.keys = keys;
	instance.unmount();
	console.log(JSON.stringify(result));
}

await main();
process.exit(0);
