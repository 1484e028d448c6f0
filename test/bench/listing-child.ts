/**
 * One run of section l of `npm run bench` in a fresh process (`node --expose-gc --import tsx
 * listing-child.ts N`): `analyse` of a simulated store of N objects (`test/store/generated-store.ts`,
 * 100 jobs) with the built code, timed, with the heap the result keeps after a full GC. Prints one
 * JSON line on stderr.
 */
import process from 'node:process';
import {generatedStore} from '../store/generated-store.js';

// The built code (as `fcx` runs), not tsx's transform of the sources; warmed up on a small store first.
const {analyse} = (await import(new URL('../../dist/analysis/index.js', import.meta.url).href)) as typeof import('../../source/analysis/index.js');
const warm = generatedStore({jobs: 10, perJob: 1000});
await analyse([warm.root], {stores: {s3: warm}});

const gc = (globalThis as {gc?: () => void}).gc;
const n = Number(process.argv[2]);
const jobs = 100;
const store = generatedStore({jobs, perJob: Math.ceil(n / jobs)});
gc?.();
const before = process.memoryUsage();
const start = performance.now();
const cpu = process.cpuUsage();
const analysis = await analyse([store.root], {stores: {s3: store}, nowMs: Date.parse('2026-11-02T00:00:00Z')});
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
gc?.();
const after = process.memoryUsage();
const kept = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
process.stderr.write(
	`${JSON.stringify({
		n: jobs * Math.ceil(n / jobs),
		wallMs,
		cpuMs: (used.user + used.system) / 1000,
		keptBytes: kept,
		pages: store.pages,
		maxUntaken: store.maxUntaken,
		orphans: analysis.orphans.length,
		orphanBytes: analysis.totals.orphanBytes,
	})}\n`,
);
