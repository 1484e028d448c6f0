/**
 * The listing streams (the shape the 10-million-object bench measures, `npm run bench` section l,
 * here at 100,000 objects): pages of a simulated store are made only when the scan asks for them,
 * at most one ahead per prefix listed at once, each taken into the file table as it comes, and the
 * progress counts them as they come.
 */
import {describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {LIST_CONCURRENCY} from '../../source/store/scan-result.js';
import {generatedStore, PAGE} from './generated-store.js';

describe('listing 100,000 objects of a simulated store', () => {
	it('streams: pages made on demand, a bounded number ahead, counted as they come', async () => {
		const store = generatedStore({jobs: 100, perJob: 1000});
		const seen: {done: number; pagesMade: number}[] = [];
		const analysis = await analyse([store.root], {
			stores: {s3: store},
			nowMs: Date.parse('2026-11-02T00:00:00Z'),
			onProgress: (p) => (p.phase === 'list' ? seen.push({done: p.done, pagesMade: store.pages}) : undefined),
		});
		expect(store.pages).toBe(100_000 / PAGE);
		expect(store.maxUntaken).toBeLessThanOrEqual(LIST_CONCURRENCY);
		// One progress report per page (and the level of job prefixes), each counting what was taken so far.
		expect(seen.length).toBe(store.pages + 1);
		expect(seen.at(-1)!.done).toBe(100_000 + 100);
		for (const s of seen.slice(1)) expect(s.done).toBeLessThanOrEqual(s.pagesMade * PAGE + 100);
		expect(seen[Math.floor(seen.length / 2)].pagesMade).toBeLessThan(store.pages);
		// Every object is in the analysis: 100 dead jobs (no _metadata) with all their bytes.
		expect(analysis.orphans.length).toBe(100);
		expect(analysis.totals.orphans).toBe(100);
	});

	it('fetches the _metadata files while the listing goes on (the listing hides their fetching)', async () => {
		const store = generatedStore({jobs: 100, perJob: 1000, metadata: true});
		const analysis = await analyse([store.root], {stores: {s3: store}, nowMs: Date.parse('2026-11-02T00:00:00Z')});
		expect(store.readAtPages.length).toBe(100); // each once
		expect(store.readAtPages[0]).toBeLessThan(store.pages / 2);
		expect(analysis.checkpoints.filter((cp) => cp.status === 'unreadable').length).toBe(100);
	});
});
