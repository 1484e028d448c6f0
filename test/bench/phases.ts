/**
 * Where the time of `fcx report ROOT` goes (`npm run bench`, section b): runs `analyse` of the
 * built library (dist/) on ROOT in this process and prints one JSON line with the phases of its
 * main thread, in ms since `analyse` was called:
 *
 * - `crawled`: the crawl and the file table are done (the first `_metadata` starts loading);
 * - `loaded`: the last `_metadata` is loaded;
 * - `statted`: this thread has the last `lstat` results of the worker processes (it reads them
 *   between two `_metadata` files, so this is when they arrived, not when the workers ended);
 * - `analysed`: `analyse` returned (references resolved, orphans found, sizes summed);
 * - `gc`: time in garbage collection in each phase (scavenges and mark-compacts), from
 *   `PerformanceObserver` `gc` entries.
 *
 * Usage: node --import tsx test/bench/phases.ts ROOT
 */
import path from 'node:path';
import {PerformanceObserver, constants, type PerformanceEntry} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';

type Phase = 'crawl' | 'load' | 'finish';

const root = process.argv[2];
if (root === undefined) {
	process.stderr.write('usage: phases.ts ROOT\n');
	process.exit(2);
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {analyse} = (await import(pathToFileURL(path.join(projectRoot, 'dist/index.js')).href)) as typeof import('../../source/index.js');

let phase: Phase = 'crawl';
const gc: Record<Phase, {scavenge: number; markCompact: number}> = {
	crawl: {scavenge: 0, markCompact: 0},
	load: {scavenge: 0, markCompact: 0},
	finish: {scavenge: 0, markCompact: 0},
};
const observer = new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		const kind = (entry as PerformanceEntry & {detail?: {kind?: number}}).detail?.kind;
		if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc[phase].scavenge += entry.duration;
		else gc[phase].markCompact += entry.duration;
	}
});
observer.observe({entryTypes: ['gc']});

const start = performance.now();
let crawled: number | undefined;
let loaded: number | undefined;
let statted: number | undefined;
await analyse([root], {
	minAgeMs: 0,
	onProgress: (p) => {
		const now = performance.now() - start;
		if (p.phase === 'load') {
			if (crawled === undefined) {
				crawled = now;
				phase = 'load';
			}
			loaded = now;
			if (p.done === p.total) phase = 'finish';
		} else if (p.phase === 'scan' && p.total !== undefined && p.done === p.total) {
			statted = now;
		}
	},
});
const analysed = performance.now() - start;
// The observer's entries arrive in a later turn of the event loop.
await new Promise((resolve) => setTimeout(resolve, 10));
observer.disconnect();
process.stdout.write(`${JSON.stringify({crawled, loaded, statted, analysed, gc})}\n`);
