/**
 * UI part of the benchmark (run by `test/bench/bench.ts` in a child process; prints one JSON line):
 * time from when a key is due (a pause after the last frame, see `pause`) until `lastFrame()` of
 * ink-testing-library changes after the key is written to its stdin, in the explorer over a synthetic analysis of 100,000 orphans (open, move, page, filter, sort, reopen) and
 * one of a directory of 100,000 files; and the first frame on fixtures/sample-tree.
 */
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import type {Analysis, CheckpointAnalysis, Dependency, JobSummary, Orphan, ResolvedFile} from '../../source/analysis/types.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROWS = Number(process.env.FCX_BENCH_UI_ROWS ?? '100000');
const ROOT = '/data/flink';
const JOB = '3f2a1b2c3d4e5f60718293a4b5c6d7e8';
const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

const KEYS = {down: '\u001B[B', pageDown: '\u001B[6~', escape: '\u001B', enter: '\r', backspace: '\u007F'};

function manyOrphans(count: number): Analysis {
	const orphans: Orphan[] = [];
	for (let i = 0; i < count; i++) {
		// Flat, as the analysis makes the paths of orphaned files.
		const p = [ROOT, JOB, 'shared', `${String(i).padStart(6, '0')}-${((i * 2654435761) >>> 0).toString(16)}`].join('/');
		orphans.push({
			path: p,
			type: 'file',
			reason: 'unreferenced-file',
			description: `unreferenced file ${p}`,
			bytes: (i * 7919) % 100_000_000,
			files: 1,
			jobId: JOB,
			timeMs: NOW - 48 * 3_600_000 - i,
			possiblyInProgress: false,
		});
	}
	return {
		roots: [ROOT],
		mappings: [],
		jobs: [],
		checkpoints: [],
		orphans,
		damaged: [],
		missing: [],
		warnings: [],
		totals: {
			files: count,
			bytesOnDisk: orphans.reduce((s, o) => s + o.bytes, 0),
			orphans: count,
			orphanBytes: orphans.reduce((s, o) => s + o.bytes, 0),
			missing: 0,
			damaged: 0,
			checkpoints: 0,
			savepoints: 0,
		},
		referencedBy: new Map(),
		scannedFiles: new Map(),
		minAgeMs: 3_600_000,
		analysedAtMs: NOW,
	};
}

/** One job, one checkpoint, one shared directory of `count` files (in random size / name order). */
function manyFiles(count: number): Analysis {
	const jobPath = `${ROOT}/${JOB}`;
	const shared = `${jobPath}/shared`;
	const fileList: ResolvedFile[] = [];
	for (let i = 0; i < count; i++) {
		const name = `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}-${i}.sst`;
		const p = `${shared}/${name}`;
		const size = (i * 7919) % 100_000_000;
		// The path as the analysis makes it (its directory and name joined), and the name apart.
		fileList.push({
			uri: p,
			path: p,
			name,
			handle: 'file',
			size,
			exists: true,
			actualSize: size,
			references: 1,
			reference: {handle: 'file', path: p, size, operatorId: 'a'.repeat(32), subtaskIndex: i % 256, slot: 'managedKeyedState', role: 'shared'},
		});
	}
	const bytes = fileList.reduce((s, f) => s + f.size, 0);
	const dependency: Dependency = {path: shared, local: true, kind: 'shared', jobId: JOB, crossJob: false, files: count, bytes, missing: 0, fileList};
	const checkpoint: CheckpointAnalysis = {
		path: `${jobPath}/chk-42`,
		metadataPath: `${jobPath}/chk-42/_metadata`,
		jobId: JOB,
		kind: 'checkpoint',
		checkpointId: 42,
		formatVersion: 5,
		status: 'complete',
		timeMs: NOW - 3_600_000,
		properties: null,
		files: fileList,
		dependencies: [dependency],
		operators: [],
		sizes: {referencedBytes: bytes, ownDirectoryBytes: 0, sharedBytes: bytes, inlineBytes: 0, metadataBytes: 900, exclusiveBytes: 900},
		missing: 0,
		damaged: 0,
		outside: 0,
	};
	const job: JobSummary = {
		jobId: JOB,
		path: jobPath,
		label: JOB,
		checkpoints: [checkpoint],
		latestCheckpointId: 42,
		bytesOnDisk: bytes,
		orphanBytes: 0,
		orphans: 0,
		missing: 0,
		damaged: 0,
		exclusiveBytes: 0,
		referencesJobs: [],
		timeMs: checkpoint.timeMs,
	};
	return {
		roots: [ROOT],
		mappings: [],
		jobs: [job],
		checkpoints: [checkpoint],
		orphans: [],
		damaged: [],
		missing: [],
		warnings: [],
		totals: {files: count, bytesOnDisk: bytes, orphans: 0, orphanBytes: 0, missing: 0, damaged: 0, checkpoints: 1, savepoints: 0},
		referencedBy: new Map([[shared, [checkpoint.path]]]),
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

/** When the next key is due (see {@link pause}); `undefined`: at once. */
let dueAt: number | undefined;

/**
 * A person's pause of `ms` before the next key: that key is due `ms` from now, and its time is
 * counted from then even when this timer fires late because the explorer kept the event loop busy
 * (a key typed then would have waited for that work too).
 */
async function pause(ms: number): Promise<void> {
	dueAt = performance.now() + ms;
	await sleep(ms);
}

/**
 * Write `key`, wait until the frame differs (or `timeoutMs`); ms from when the key was due (see
 * {@link pause}), and whether it changed.
 */
async function press(instance: Instance, key: string, timeoutMs = 10_000): Promise<{ms: number; changed: boolean}> {
	const before = instance.lastFrame();
	const t0 = Math.min(dueAt ?? Number.POSITIVE_INFINITY, performance.now());
	dueAt = undefined;
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
	await pause(50);
	const toOrphans = await press(instance, 'o');
	await pause(50);
	const keys: {name: string; medianMs: number; maxMs: number; changed: boolean}[] = [
		{name: `open orphans view ('o', ${ROWS.toLocaleString('en')} rows)`, medianMs: toOrphans.ms, maxMs: toOrphans.ms, changed: toOrphans.changed},
	];
	const series = async (name: string, key: string, n: number, target: Instance = instance) => {
		const times: number[] = [];
		let changed = true;
		for (let i = 0; i < n; i++) {
			const r = await press(target, key);
			times.push(r.ms);
			changed &&= r.changed;
			await pause(5);
		}
		keys.push({name, medianMs: median(times), maxMs: Math.max(...times), changed});
	};
	await series(`move down (${ROWS.toLocaleString('en')} rows)`, KEYS.down, 30);
	await series('page down', KEYS.pageDown, 15);
	// Filter: '/' opens the filter, then one character narrows 100k rows; Esc clears.
	const filterTimes: number[] = [];
	let filterChanged = true;
	const second: number[] = [];
	const widen: number[] = [];
	const clear: number[] = [];
	let narrowChanged = true;
	for (const [ch, next] of [
		['7', 'a'],
		['a', '3'],
		['3', 'f'],
		['f', '0'],
		['0', '9'],
	]) {
		await press(instance, '/');
		await pause(5);
		const r = await press(instance, ch);
		filterTimes.push(r.ms);
		filterChanged &&= r.changed;
		await pause(5);
		// A second character narrows the filtered rows; Backspace widens them again.
		const r2 = await press(instance, next);
		second.push(r2.ms);
		await pause(5);
		const r3 = await press(instance, KEYS.backspace);
		widen.push(r3.ms);
		narrowChanged &&= r2.changed && r3.changed;
		await pause(5);
		// Esc clears the filter (Esc in browse mode would go back a view).
		const r4 = await press(instance, KEYS.escape);
		clear.push(r4.ms);
		narrowChanged &&= r4.changed;
		await pause(5);
	}
	keys.push({name: 'filter: type one character', medianMs: median(filterTimes), maxMs: Math.max(...filterTimes), changed: filterChanged});
	keys.push({name: 'filter: type a second character', medianMs: median(second), maxMs: Math.max(...second), changed: narrowChanged});
	keys.push({name: 'filter: backspace', medianMs: median(widen), maxMs: Math.max(...widen), changed: narrowChanged});
	keys.push({name: 'filter: Esc clears it', medianMs: median(clear), maxMs: Math.max(...clear), changed: narrowChanged});
	// Sort cycling (name → size → time → name), the cursor pinned to its row.
	await series(`sort: s (${ROWS.toLocaleString('en')} rows)`, 's', 6);
	await series(`reverse sort: S (${ROWS.toLocaleString('en')} rows)`, 'S', 6);
	// Back to the jobs view and into the orphans again.
	await press(instance, KEYS.escape);
	await pause(50);
	const again = await press(instance, 'o');
	keys.push({name: "open orphans view again ('o')", medianMs: again.ms, maxMs: again.ms, changed: again.changed});
	await pause(50);
	await series('move down after reopening', KEYS.down, 10);
	instance.unmount();

	/**
	 * A fresh explorer (a new analysis: nothing cached) on one shared directory of 100,000 files,
	 * opened with Enter (job → checkpoint → directory → files), `pauseMs` after each frame; the
	 * time of the last Enter is pushed to `keys`.
	 */
	const openFiles = async (pauseMs: number, label: string): Promise<Instance> => {
		const files = sized(React.createElement(Explorer, {analysis: manyFiles(ROWS), title: 'bench'}), 120, 40);
		await waitFrame(files, performance.now());
		await pause(Math.max(50, pauseMs));
		await press(files, KEYS.enter);
		await pause(pauseMs);
		await press(files, KEYS.enter);
		await pause(pauseMs);
		const open = await press(files, KEYS.enter);
		keys.push({name: `open files view (⏎ ${label}, ${ROWS.toLocaleString('en')} files)`, medianMs: open.ms, maxMs: open.ms, changed: open.changed});
		return files;
	};

	{
		const files = await openFiles(20, '20 ms after the directory row shows');
		await pause(50);
		await series('files: move down', KEYS.down, 10, files);
		await series('files: sort: s', 's', 3, files);
		const filterFiles: number[] = [];
		let changed = true;
		for (const ch of ['7', 'a', '3']) {
			await press(files, '/');
			await pause(5);
			const r = await press(files, ch);
			filterFiles.push(r.ms);
			changed &&= r.changed;
			await pause(5);
			await press(files, KEYS.escape);
			await pause(5);
		}
		keys.push({name: 'files: filter one character', medianMs: median(filterFiles), maxMs: Math.max(...filterFiles), changed});
		files.unmount();
	}

	// The same after a pause of a person reading the screen (300 ms): what Enter opens has been
	// prepared by then.
	(await openFiles(300, 'after a 300 ms pause')).unmount();

	result.keys = keys;
	console.log(JSON.stringify(result));
}

await main();
process.exit(0);
