import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {distinctCount} from '../../source/report/inspect-json-distinct.js';

/** `count` paths of a shared directory with UUID-like names, each listed `copies` times, shuffled by `seed`. */
function sharedPaths(count: number, copies: number, seed: number): string[] {
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		const name = `${(i * 2_654_435_761 + seed) >>> 0}`.padStart(12, '0');
		for (let c = 0; c < copies; c++) out.push(`hdfs://nn:8020/flink/checkpoints/job/shared/${name}-${i % 7}`);
	}
	for (let i = out.length - 1; i > 0; i--) {
		const j = (i * 48_271 + seed) % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

describe('distinctCount', () => {
	it('counts what a Set of the strings holds, for small and large lists, with repeats', () => {
		fc.assert(
			fc.property(fc.array(fc.string({maxLength: 6}), {maxLength: 3000}), (values) => {
				expect(distinctCount(values)).toBe(new Set(values).size);
			}),
			{numRuns: 200},
		);
		for (const [count, copies] of [
			[5000, 1],
			[3000, 3],
			[1, 5000],
		]) {
			const values = sharedPaths(count, copies, 17);
			expect(distinctCount(values)).toBe(new Set(values).size);
		}
	});

	it('counts exactly strings alike in their last characters (then with a Set)', () => {
		// 4,000 paths that differ only before their last 40 characters, all alike at the end.
		const tail = '/'.padEnd(40, 'x');
		const values = Array.from({length: 4000}, (_, i) => `/ckpt/${i % 3000}${tail}`);
		expect(distinctCount(values)).toBe(3000);
		// Equal strings that are different string objects count once.
		const copies = Array.from({length: 2000}, (_, i) => ['a', 'b', String(i % 10)].join('/'));
		expect(distinctCount(copies)).toBe(10);
	});
});
