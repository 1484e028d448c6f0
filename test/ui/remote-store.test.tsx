/**
 * The explorer on remote roots: the header names the store, the loading line shows the listing's
 * progress (objects listed and rate), and `R` lists again. A fake load reports the progress the
 * analysis reports while listing an object store (phase `list`), and finishes when the test says.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {describeStores} from '../../source/store/uri.js';
import {LoadingExplorer, type LoadProgress} from '../../source/ui/index.js';
import {makeAnalysis} from './fixture.js';
import {renderSized} from './helpers.js';
import {lines, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

/** A load the test drives: each call's progress callback and the function that finishes it. */
function drivenLoad() {
	const calls: {progress: (p: LoadProgress) => void; finish: (analysis: Analysis) => void}[] = [];
	const load = (onProgress: (p: LoadProgress) => void) =>
		new Promise<Analysis>((resolve) => {
			calls.push({progress: onProgress, finish: resolve});
		});
	return {calls, load};
}

describe('explorer on remote roots', () => {
	test('listing progress with the rate while loading, the store in the header, and R lists again', async () => {
		const store = describeStores(['s3://flink-state/checkpoints'], {endpoint: 'http://127.0.0.1:9000'});
		expect(store).toBe('s3://flink-state via http://127.0.0.1:9000');
		const {calls, load} = drivenLoad();
		const ui = await renderSized(<LoadingExplorer load={load} title="fcx" store={store} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, () => calls.length === 1);
		calls[0].progress({phase: 'list', done: 12_000, rate: 4_000});
		await waitForFrame(ui.frame, 'Loading… list 12,000 objects (4,000/s)');
		calls[0].progress({phase: 'list', done: 45_000, rate: 9_000.4});
		await waitForFrame(ui.frame, 'Loading… list 45,000 objects (9,000/s)');
		calls[0].finish(makeAnalysis());
		const ready = await waitForFrame(ui.frame, '2 jobs');
		expect(lines(ready)[0]).toMatch(/^fcx {2}store: s3:\/\/flink-state via http:\/\/127\.0\.0\.1:9000 {2}roots: /);
		await ui.press('R');
		await waitForFrame(ui.frame, () => calls.length === 2);
		calls[1].progress({phase: 'list', done: 1_000, rate: 500});
		await waitForFrame(ui.frame, 'Loading… list 1,000 objects (500/s)');
		calls[1].finish(makeAnalysis());
		await waitForFrame(ui.frame, (frame) => frame.includes('2 jobs') && lines(frame)[0].includes('store: s3://flink-state'));
	});

	test('the store line names buckets, namenodes and listings; none for local roots', () => {
		expect(describeStores(['/data/checkpoints'])).toBeUndefined();
		expect(describeStores(['s3a://b1/cp', 's3://b1/sp', 's3://b2/x'])).toBe('s3://b1, s3://b2');
		expect(describeStores(['hdfs://nn:8020/flink', 's3://b/cp'], {webhdfs: 'nn:9870'})).toBe('s3://b; hdfs://nn:8020 via nn:9870');
		expect(describeStores(['hdfs://ns1/flink'], {listings: ['hdfs-ls.txt']})).toBe('listing hdfs-ls.txt');
	});
});
