/**
 * The full collection after resolution (`analysis/build/collect.ts`) is memory only: it must never
 * throw, whether or not V8's `gc` can be had, and does nothing for small builds.
 */
import {describe, expect, test} from 'vitest';
import {collectAfterResolution} from '../../source/analysis/build/collect.js';

describe('collectAfterResolution', () => {
	test('a small build: nothing happens', () => {
		expect(() => collectAfterResolution(10)).not.toThrow();
	});

	test('a big build: collects (twice in a row too) without throwing', () => {
		expect(() => {
			collectAfterResolution(1_000_000);
			collectAfterResolution(1_000_000);
		}).not.toThrow();
	});
});
