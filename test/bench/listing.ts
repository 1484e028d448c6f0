/**
 * Section l of `npm run bench`: a listing of millions of objects streams. `analyse` of a simulated
 * store (`test/store/generated-store.ts`: 100 job prefixes, pages of 1,000 keys made only when asked
 * for) at 1 and 10 million objects (`FCX_BENCH_LISTING=1e6,1e7`), each in a fresh process
 * (`listing-child.ts`): CPU time per object (the machine may be shared: wall time follows its load), the heap the result keeps per object after a full GC,
 * peak RSS, and the pages made ahead of the consumer (at most one per prefix listed at once). The
 * time per object at the largest size against the smallest must stay within 1.3× (no quadratic step).
 */
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import type {BenchKit} from './targets.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'listing-child.ts');

/** What one child run measured. */
interface ListingRun {
	n: number;
	wallMs: number;
	/** CPU time of the process during the run (user + system), ms. */
	cpuMs: number;
	keptBytes: number;
	pages: number;
	maxUntaken: number;
	orphans: number;
}

/** Section l: the listing's time and memory per object at each size. */
export async function listingRows(kit: BenchKit): Promise<void> {
	const sizes = (process.env.FCX_BENCH_LISTING ?? '1e6,1e7').split(',').map(Number);
	const runs: ListingRun[] = [];
	for (const n of sizes) {
		kit.log(`  analyse of a simulated store of ${n.toLocaleString('en')} objects …`);
		const r = await kit.run(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, String(n)]);
		const line = r.stderr.split('\n').find((l) => l.startsWith('{"n"'));
		if (r.code !== 0 || line === undefined) {
			kit.row('l', `listing of ${n.toLocaleString('en')} objects (simulated store)`, 'FAILED', r.stderr.trim().split('\n').at(-1) ?? '');
			continue;
		}
		const run = JSON.parse(line) as ListingRun;
		runs.push(run);
		kit.row(
			'l',
			`analyse, simulated listing of ${run.n.toLocaleString('en')} objects`,
			kit.ms(run.wallMs),
			`${((run.cpuMs * 1000) / run.n).toFixed(2)} µs CPU/object, ${(run.keptBytes / run.n).toFixed(0)} B/object kept, peak RSS ${((r.maxRssKb ?? 0) / 1024).toFixed(0)} MB, ${run.maxUntaken} of ${run.pages.toLocaleString('en')} pages ahead at most`,
		);
	}
	if (runs.length >= 2) {
		const [small, large] = [runs[0], runs.at(-1)!];
		// CPU time, not wall time: the bench machine is shared (wall time per object follows its load).
		const ratio = large.cpuMs / large.n / (small.cpuMs / small.n);
		kit.row(
			'l',
			`CPU time per object, ${large.n.toLocaleString('en')} vs ${small.n.toLocaleString('en')}`,
			`${ratio.toFixed(2)}×`,
			'',
			'≤ 1.3× (no quadratic step)',
			ratio <= 1.3 ? 'ok' : 'MISS',
		);
	}
}
