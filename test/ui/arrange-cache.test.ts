/** The caches of `views/arrange.ts` give the same rows as working from scratch. */
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {naturalCompare, naturalKey} from '../../source/text/index.js';
import {filterSections, flatten, prepareFilter, sortSection} from '../../source/ui/views/arrange.js';
import {cachedView, indexAnalysis} from '../../source/ui/views/build.js';
import type {Row, Section} from '../../source/ui/views/types.js';
import {makeAnalysis, manyOrphans} from './fixture.js';

function row(key: string, name: string, size: number, text: string): Row {
	return {key, cells: [name, text], marks: [], sortName: name, sortSize: size, sortTime: size % 7, details: () => []};
}

function section(rows: Row[]): Section {
	return {id: 's', columns: [{title: 'Name', width: 'flex'}], rows, empty: 'none'};
}

/** The reference: the plain definitions (sort on natural keys, filter each row's cells). */
function reference(rows: readonly Row[], sort: 'name' | 'size' | 'time', filter: string): string[] {
	const byName = (a: Row, b: Row) => {
		const ka = naturalKey(a.sortName);
		const kb = naturalKey(b.sortName);
		return ka < kb ? -1 : ka > kb ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
	};
	const compare =
		sort === 'name'
			? byName
			: sort === 'size'
				? (a: Row, b: Row) => b.sortSize - a.sortSize || byName(a, b)
				: (a: Row, b: Row) => b.sortTime - a.sortTime || byName(a, b);
	const needle = filter.trim().toLowerCase();
	return [...rows]
		.sort(compare)
		.filter((entry) => needle === '' || entry.cells.join('\u0000').toLowerCase().includes(needle))
		.map((entry) => entry.key);
}

const rowsArbitrary = fc
	.array(fc.tuple(fc.stringMatching(/^[a-c0-9A-C.-]{0,6}$/), fc.nat(20), fc.stringMatching(/^[a-c0-9]{0,4}$/)), {maxLength: 40})
	.map((entries) => entries.map(([name, size, text], index) => row(`k${index % 5 === 4 ? 0 : index}`, name, size, text)));

describe('arrange caches', () => {
	test('sorting and filtering (narrowing, widening, in any order) give the rows of the plain definitions', () => {
		fc.assert(
			fc.property(
				rowsArbitrary,
				fc.constantFrom<'name' | 'size' | 'time'>('name', 'size', 'time'),
				fc.array(fc.stringMatching(/^[a-cA-C0-9]{0,3}$/), {minLength: 1, maxLength: 6}),
				fc.boolean(),
				(rows, sort, filters, reverse) => {
					// A reversed order (`S`) is the plain one read backwards, filters included.
					const expected = (filter: string) => (reverse ? reference(rows, sort, filter).reverse() : reference(rows, sort, filter));
					const base = section(rows);
					const sorted = sortSection(base, sort, reverse);
					expect(sortSection(base, sort, reverse).rows.map((entry) => entry.key)).toEqual(expected(''));
					// Typing extends a filter: each step narrows the previous result (and Backspace finds it cached).
					let typed = '';
					for (const text of filters) {
						for (const filter of [typed + text, typed, text]) {
							expect(filterSections([sorted], filter)[0].rows.map((entry) => entry.key)).toEqual(expected(filter));
						}

						typed += text;
					}
				},
			),
			{numRuns: 300},
		);
	});

	test('long lists sort as the plain definition: prefix runs of equal keys, long tie runs and non-ASCII names', () => {
		// A third of the names are `chk-<n>`: 64 to 100 rows sharing their first key characters.
		const names = fc.oneof(
			{arbitrary: fc.stringMatching(/^[a-b0-9.-]{0,7}$/), weight: 2},
			{arbitrary: fc.stringMatching(/^(chk|CHK)-[0-9]{1,3}$/), weight: 2},
			{arbitrary: fc.stringMatching(/^[0-9]{15,18}[a.]?$/), weight: 1},
			{arbitrary: fc.constantFrom('ß-2', 'straße-10', '12\u212A', 'x'.repeat(70) + '9'), weight: 1},
		);
		fc.assert(
			fc.property(fc.array(names, {minLength: 200, maxLength: 300}), fc.boolean(), (list, ascii) => {
				const rows = list
					.filter((name) => !ascii || [...name].every((character) => character.charCodeAt(0) < 128))
					.map((name, index) => row(`k${index % 7 === 6 ? 0 : index}`, name, index % 3, ''));
				expect(sortSection(section(rows), 'name').rows.map((entry) => entry.key)).toEqual(reference(rows, 'name', ''));
			}),
			{numRuns: 60},
		);
	});

	test('long lists sort as the plain definition: long shared prefixes, keys ending inside or at a chunk, control characters', () => {
		// The radix sort reads a few key characters at a time: names sharing 0-40 characters, some a
		// prefix of others, some equal (ties by row key), with NUL and DEL beside letters and digits.
		const names = fc
			.tuple(
				fc.constantFrom('', 'a', 'abcde', 'abcdef/', 'x'.repeat(40), 'X'.repeat(39) + '1'),
				// eslint-disable-next-line no-control-regex
				fc.oneof(fc.stringMatching(/^[a\u0000]{0,2}$/), fc.stringMatching(/^[ab\u0000\u007f0-9-]{0,7}$/)),
			)
			.map(([prefix, rest]) => prefix + rest);
		fc.assert(
			fc.property(fc.array(names, {minLength: 100, maxLength: 400}), (list) => {
				const rows = list.map((name, index) => row(`k${index % 3 === 2 ? 0 : index}`, name, 0, ''));
				// Rows of equal names and keys stay in their order: told apart by identity, not key.
				const keyed = rows.map((entry) => ({entry, key: naturalKey(entry.sortName)}));
				const expected = keyed
					.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.entry.key < b.entry.key ? -1 : a.entry.key > b.entry.key ? 1 : 0))
					.map(({entry}) => rows.indexOf(entry));
				expect(sortSection(section(rows), 'name').rows.map((entry) => rows.indexOf(entry))).toEqual(expected);
			}),
			{numRuns: 60},
		);
	});

	test('size and time sorts give the plain order for any sizes and times: large, negative, fractional', () => {
		// Integers within 2^(64 - rank bits) of each other sort as packed 64-bit keys; others by comparing.
		const numbers = fc.oneof(
			fc.integer({min: 0, max: 2 ** 40}),
			fc.constantFrom(0, 2 ** 44, 2 ** 53 - 1, -(2 ** 53) + 1, -1),
			fc.double({noNaN: true, noDefaultInfinity: true}),
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.stringMatching(/^[a-c0-9]{0,3}$/), numbers, numbers), {maxLength: 60}), fc.boolean(), (entries, integersOnly) => {
				const rows = entries.map(([name, size, time], index) => ({
					...row(`k${index}`, name, 0, ''),
					sortSize: integersOnly ? Math.trunc(size) : size,
					sortTime: integersOnly ? Math.trunc(time) : time,
				}));
				for (const sort of ['size', 'time'] as const) {
					expect(sortSection(section(rows), sort).rows.map((entry) => entry.key)).toEqual(reference(rows, sort, ''));
				}
			}),
			{numRuns: 300},
		);
	});

	test('a filter typed one character at a time equals the filter from scratch (3,000 orphans, the filter texts partly made ahead)', () => {
		const index = indexAnalysis(manyOrphans(3000));
		const [base] = cachedView(index, {type: 'orphans'}).sections;
		const bySize = sortSection(base, 'size');
		expect(prepareFilter([bySize])).toBe(false);
		let typed = '';
		for (const character of 'orphan-00') {
			typed += character;
			const narrowed = filterSections([bySize], typed)[0].rows;
			const fresh = filterSections([sortSection({...base, rows: [...base.rows]}, 'size')], typed)[0].rows;
			expect(narrowed.map((entry) => entry.key)).toEqual(fresh.map((entry) => entry.key));
		}

		const nines = filterSections([bySize], 'orphan-0009')[0].rows;
		expect(nines).toHaveLength(100);
		expect(nines[0].cells[0]).toBe('3f2a1b2c3d4e5f60718293a4b5c6d7e8/shared/orphan-000999.sst');
	});

	test('filters over thousands of rows (their texts made a run of rows at a time, partly ahead) give the rows of the plain definition', () => {
		// Texts of 0-5 characters: matches at the start and end of runs and rows, empty texts, upper case lowered.
		const texts = fc.array(fc.stringMatching(/^[a-cA-C]{0,5}$/), {minLength: 1000, maxLength: 3200});
		fc.assert(
			fc.property(texts, fc.nat(3), fc.array(fc.stringMatching(/^[a-c]{1,3}$/), {minLength: 1, maxLength: 4}), (list, ahead, filters) => {
				const rows = list.map((text, index) => row(`k${index}`, `n${index}`, index % 13, text));
				const sorted = sortSection(section(rows), 'size');
				for (let step = 0; step < ahead; step++) {
					prepareFilter([sorted]);
				}

				let typed = '';
				for (const text of filters) {
					typed += text;
					for (const filter of [text, typed]) {
						expect(filterSections([sorted], filter)[0].rows.map((entry) => entry.key)).toEqual(reference(rows, 'size', filter));
					}
				}
			}),
			{numRuns: 25},
		);
	});

	test('paths in name order are told in order (or not) across shared directories, ASCII or not', () => {
		const paths = fc.array(fc.tuple(fc.constantFrom('/d/', '/d/sub/', '/d9/', '/dß/', 'x/', ''), fc.stringMatching(/^[a-cA-C0-9ß.-]{0,6}$/)), {maxLength: 40});
		fc.assert(
			fc.property(paths, fc.boolean(), (entries, presorted) => {
				const rows = entries.map(([directory, name], index) => row(`k${index}`, directory + name, index, ''));
				if (presorted) {
					const keys = new Map(rows.map((entry) => [entry, naturalKey(entry.sortName)]));
					rows.sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
				}

				expect(sortSection(section(rows), 'name').rows.map((entry) => entry.key)).toEqual(reference(rows, 'name', ''));
			}),
			{numRuns: 3000},
		);
	});

	test('natural comparison agrees with natural keys', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[a-cA-Cß0-9._-]{0,24}$/), fc.stringMatching(/^[a-cA-Cß0-9._-]{0,24}$/), (a, b) => {
				const ka = naturalKey(a);
				const kb = naturalKey(b);
				expect(naturalCompare(a, b)).toBe(ka < kb ? -1 : ka > kb ? 1 : 0);
				expect(naturalCompare(`x/${a}`, `x/${a}${b}`)).toBeLessThanOrEqual(0);
				// A same ASCII directory skipped: the same answer.
				expect(naturalCompare(`x1/${a}`, `x1/${b}`, 3)).toBe(naturalCompare(`x1/${a}`, `x1/${b}`));
			}),
			{numRuns: 2000},
		);
		// Long digit runs: padded numbers against runs of 16 digits or more, or runs touching a letter.
		fc.assert(
			fc.property(fc.stringMatching(/^0{0,14}[0-9]{0,20}[a.]?[0-9]{0,3}$/), fc.stringMatching(/^0{0,14}[0-9]{0,20}[a.]?[0-9]{0,3}$/), (a, b) => {
				const ka = naturalKey(a);
				const kb = naturalKey(b);
				expect(naturalCompare(a, b)).toBe(ka < kb ? -1 : ka > kb ? 1 : 0);
			}),
			{numRuns: 2000},
		);
		expect(naturalKey('Chk-9.SST')).toBe('chk-0000000000000009.sst');
		expect(naturalKey('x12345678901234567')).toBe('x12345678901234567');
		expect(naturalKey('straße-2')).toBe('straße-0000000000000002');
		expect(naturalCompare('chk-9', 'chk-10')).toBe(-1);
		expect(naturalCompare('File-007', 'file-7')).toBe(0);
		expect(naturalCompare('a12345678901234567b', 'a12345678901234567')).toBe(1);
		// Digits touching a letter are text: job ids sort as `ls` sorts them.
		expect(naturalKey('x9')).toBe('x9');
		expect(naturalCompare('4eea3f05f2ac48471236081b12194c3d', '53dd8ada5a03199e0ae2316343536fb0')).toBe(-1);
		expect(naturalCompare('218d5a595df97a650404b24ba8f479d0', '4eea3f05f2ac48471236081b12194c3d')).toBe(-1);
	});

	test('built views are cached per analysis and view; flattening one section makes lines on demand', () => {
		const index = indexAnalysis(makeAnalysis());
		const model = cachedView(index, {type: 'orphans'});
		expect(cachedView(index, {type: 'orphans'})).toBe(model);
		expect(cachedView(indexAnalysis(makeAnalysis()), {type: 'orphans'})).not.toBe(model);
		const flat = flatten(model.sections);
		expect(flat.lineCount).toBe(3);
		expect(flat.lineAt(1)).toMatchObject({kind: 'row', key: flat.keys[1]});
		expect(flat.lineAt(3)).toBeUndefined();
		expect(flat.lines.map((line) => line.key)).toEqual(flat.keys);
	});
});
