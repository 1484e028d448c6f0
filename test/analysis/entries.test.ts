import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EXISTS, FileEntries, MISSING, OUTSIDE, UNSETTLED} from '../../source/analysis/entries.js';

describe('FileEntries', () => {
	it('grows its columns and gives paths and existence by state', () => {
		const entries = new FileEntries<{prefix: string}>();
		const dir = {prefix: '/t/job/shared/'};
		for (let i = 0; i < 3000; i++) expect(entries.add(i % 2 === 0 ? dir : null, `f${i}`, `hdfs:///job/shared/f${i}`, null)).toBe(i);
		expect(entries.count).toBe(3000);
		expect([entries.snap[2999], entries.index[2999], entries.diskSize[2999], entries.fileId[2999], entries.usersFrom[2999]]).toEqual([-1, -1, -1, -1, -1]);
		expect(entries.state[2998]).toBe(UNSETTLED);
		expect(entries.localPath(2998)).toBe('/t/job/shared/f2998');
		entries.state[2998] = EXISTS;
		entries.state[2996] = MISSING;
		entries.state[2999] = OUTSIDE;
		expect([entries.path(2998), entries.exists(2998)]).toEqual(['/t/job/shared/f2998', true]);
		expect([entries.path(2996), entries.exists(2996)]).toEqual(['/t/job/shared/f2996', false]);
		expect([entries.path(2999), entries.exists(2999)]).toEqual([null, null]);
		expect(entries.uri[2999]).toBe('hdfs:///job/shared/f2999');
	});

	it('keeps the users of an entry as the set of ranks added (ascending, repeats ignored)', () => {
		fc.assert(
			fc.property(fc.array(fc.nat(40), {maxLength: 60}), (ranks) => {
				const sorted = [...ranks].sort((a, b) => a - b);
				const entries = new FileEntries<{prefix: string}>();
				const id = entries.add(null, '', 'x', null);
				entries.add(null, '', 'y', null);
				for (const rank of sorted) entries.addUser(id, rank);
				const distinct = [...new Set(sorted)];
				expect(entries.users(id)).toEqual(distinct);
				expect(entries.usedMoreThanOnce(id)).toBe(distinct.length > 1);
				expect(entries.users(1)).toEqual([]);
			}),
		);
	});
});
