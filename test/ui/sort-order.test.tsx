/** Reverse sort (`S`) and the sort indicator in the column header (issue 24). */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {helpLines} from '../../source/ui/components/help.js';
import {Explorer} from '../../source/ui/index.js';
import {KEY_BINDINGS} from '../../source/ui/keys.js';
import {columnWidths} from '../../source/ui/columns.js';
import {headerText} from '../../source/ui/components/sort-indicator.js';
import {filterSections, sortSection} from '../../source/ui/views/arrange.js';
import type {Column, Row, Section} from '../../source/ui/views/types.js';
import {makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const lines = (frame: string) => stripAnsi(frame).split('\n');
const selectedLine = (frame: string) => lines(frame).find((line) => line.startsWith('❯')) ?? '';
/** The column header line (indented past the cursor and marks) whose first title is `title`. */
const headerLine = (frame: string, title: string) => lines(frame).find((line) => line.startsWith(`      ${title}`)) ?? '';
/** The names of the listed jobs, top to bottom (their first 8 characters: a narrow Job column cuts ids). */
const jobNames = (frame: string) =>
	lines(frame)
		.filter((line) => /^[❯ ] /.test(line) && /\d+ (chk-\d+|-)\s/.test(line))
		.map((line) => line.slice(6).split(/\s+/)[0].slice(0, 8));

describe('sort indicator and reverse sort', () => {
	test('the header marks the sorted column; S reverses the order, keeps the selected item, and s goes on in the usual direction', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		expect(headerLine(ui.frame(), 'Job')).toMatch(/^\s+Job ▲\s/);
		const byName = jobNames(ui.frame());
		expect(byName).toEqual(['3f2a1b2c', 'b0b0b0b0', 'savepoin']);
		await ui.press('S');
		expect(ui.frame()).toContain('sort: name ↓');
		expect(headerLine(ui.frame(), 'Job')).toMatch(/^\s+Job ▼\s/);
		expect(jobNames(ui.frame())).toEqual([...byName].reverse());
		// The selected item (the first by name) is still selected, now at the bottom.
		expect(selectedLine(ui.frame())).toContain(byName[0]);
		expect(lines(ui.frame())[2]).toMatch(/3\/3$/);

		await ui.press('s');
		expect(ui.frame()).toContain('sort: size ↓');
		// 100 columns: no room to spare beside whole job ids, so the row prefix says the order and the titles stay whole.
		expect(lines(ui.frame())[3]).toMatch(/^size▼ Job\s.*\sOn disk\s/);
		expect(lines(ui.frame())[3]).not.toContain('Job ▲');
		await ui.press('S');
		expect(ui.frame()).toContain('sort: size ↑');
		expect(lines(ui.frame())[3]).toMatch(/^size▲ Job\s.*\sOn disk\s/);
		await ui.press('s');
		expect(ui.frame()).toContain('sort: time ↓');
		expect(lines(ui.frame())[3]).toMatch(/^time▼ Job\s.*\sLatest\s/);
	});

	test('the glyph never cuts a title that would show whole, nor a job id: 80, 100 and 120 columns', async () => {
		const header = async (columns: number, ...keys: string[]) => {
			const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, columns, 30);
			await ui.press(...keys);
			const frame = ui.frame();
			ui.unmount();
			return {
				header:
					lines(frame)
						.slice(3)
						.find((line) => /^( {6}|(name|size|time)[▲▼] )[A-Z]/.test(line)) ?? '',
				frame: stripAnsi(frame),
			};
		};

		// 80: the Job column, which cuts ids anyway (3f2a1b2c…), gives the glyph a column.
		expect((await header(80, 's')).header).toMatch(/^ {6}Job\s.*\sOn disk▼ Orphans/);
		expect((await header(80, 's', 's')).header).toMatch(/^ {6}Job\s.*\sLatest▼ On disk/);
		expect((await header(80, 'o', 's', 's')).header).toMatch(/\sAge▼$/);
		// 100: whole job ids leave no room: the prefix says the order.
		const hundred = await header(100, 's', 's');
		expect(hundred.header).toMatch(/^time▼ Job\s.*\sLatest Restorable On disk/);
		expect(hundred.frame).toContain('3f2a1b2c3d4e5f60718293a4b5c6d7e8 ');
		expect((await header(100, 'o', 's', 's')).header).toMatch(/\sAge ▼$/);
		// 120: the end of the line has room to spare.
		expect((await header(120, 's')).header).toMatch(/^ {6}Job\s.*\sOn disk ▼ Orphans/);
		expect((await header(120, 's', 's')).header).toMatch(/^ {6}Job\s.*\sLatest ▼ Restorable/);
		for (const columns of [80, 100, 120]) {
			for (const keys of [[], ['s'], ['s', 's'], ['o'], ['o', 's'], ['o', 's', 's']]) {
				expect((await header(columns, ...keys)).header).not.toMatch(/…[▲▼]/);
			}
		}
	});

	test('a title that fills its column without room to spare is underlined, the prefix saying the order', () => {
		const columns: Column[] = [
			{title: 'Name', width: 'flex'},
			{title: 'Size', width: 4, align: 'right', sortKey: 'size'},
		];
		expect(headerText(columns, [10, 4], {key: 'size', reverse: false}, 6)).toEqual({text: `size▼ ${'Name'.padEnd(10)} Size`, underline: [17, 21]});
		expect(headerText(columns, [10, 6], {key: 'size', reverse: false}, 6)).toEqual({text: `      ${'Name'.padEnd(10)} Size ▼`});
		// A title cut anyway (a column narrower than it) gives its last character to the glyph.
		expect(headerText(columns, [10, 3], {key: 'size', reverse: true}, 6)).toEqual({text: `      ${'Name'.padEnd(10)} S…▲`});
		// The sorted column gets the room nobody needs; else one column from a flex column cut anyway; else nothing.
		expect(columnWidths(columns, 6 + 30, [10, 4], 1)).toEqual([10, 6]);
		expect(columnWidths(columns, 6 + 16, [20, 4], 1)).toEqual([10, 5]);
		expect(columnWidths(columns, 6 + 15, [10, 4], 1)).toEqual([10, 4]);
	});

	test('an order belongs to its view: back finds the view below in its own order, a view opened again starts in name order', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press('o', 's', 'S');
		expect(headerLine(ui.frame(), 'Path')).toMatch(/Size ▲/);
		await ui.press(KEYS.left);
		expect(headerLine(ui.frame(), 'Job')).toMatch(/Job ▲/);
		await ui.press('o');
		// A view opened again starts in the name order.
		expect(headerLine(ui.frame(), 'Path')).toMatch(/Path ▲/);
	});

	test('S, e and E are in the key table, so in the help screen', () => {
		expect(KEY_BINDINGS.some((binding) => binding.action === 'reverseSort' && binding.keys.some((key) => 'input' in key && key.input === 'S'))).toBe(true);
		const help = helpLines();
		expect(help.some((line) => /^ {2}S +reverse the sort order/.test(line))).toBe(true);
		expect(help.some((line) => /^ {2}e +export the current list/.test(line))).toBe(true);
		expect(help.some((line) => /^ {2}E +export the current list as JSON/.test(line))).toBe(true);
	});
});

function row(key: string, name: string, size: number): Row {
	return {key, cells: [name], marks: [], sortName: name, sortSize: size, sortTime: 0, details: () => []};
}

describe('sortSection reverse', () => {
	const section: Section = {
		id: 's',
		columns: [{title: 'Name', width: 'flex'}],
		rows: [row('a', 'b-2', 5), row('b', 'b-10', 5), row('c', 'a', 9), row('d', 'c', 1)],
		empty: '',
	};
	test('is the sorted order read backwards, and filters of it keep that order', () => {
		for (const sort of ['name', 'size', 'time'] as const) {
			const forward = sortSection(section, sort).rows.map((entry) => entry.key);
			const reversed = sortSection(section, sort, true);
			expect(reversed.rows.map((entry) => entry.key)).toEqual([...forward].reverse());
			expect(sortSection(section, sort, true)).toBe(reversed);
			expect(filterSections([reversed], 'b')[0].rows.map((entry) => entry.key)).toEqual(
				[...forward].reverse().filter((key) => section.rows.find((entry) => entry.key === key)!.cells[0].includes('b')),
			);
		}
	});
});
