import path from 'node:path';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {JOBS} from '../../fixtures/generate.js';
import {JOB_A as SAMPLE_JOB_A, ROOT as SAMPLE_ROOT, sampleAnalysis} from '../report/sample-analysis.js';
import {analyse} from '../../source/analysis/index.js';
import {DEFAULT_SERVICES} from '../../source/ui/services.js';
import {fit, shortJobId, textWidth, truncateEnd, truncateMiddle, truncatePath, wrapColumns} from '../../source/ui/format.js';
import {formatBytes, formatCount, naturalKey} from '../../source/text/index.js';
import {detailRows} from '../../source/ui/components/details.js';
import {computeLayout} from '../../source/ui/explorer.js';
import {filterSections, flatten, sortSections} from '../../source/ui/views/arrange.js';
import {columnWidths, layoutCells, PREFIX_WIDTH} from '../../source/ui/columns.js';
import {buildView, indexAnalysis, relativeToRoot, viewCrumb} from '../../source/ui/views/build.js';
import type {Column, DetailLine} from '../../source/ui/views/types.js';
import {A_SHARED, JOB_A, JOB_B, MISSING_FILE, ROOT, emptyAnalysis, makeAnalysis} from './fixture.js';

const index = indexAnalysis(makeAnalysis());

describe('row builders', () => {
	test('jobs: cells, marks, open target', () => {
		const [section] = buildView(index, {type: 'jobs'}).sections;
		expect(section.rows.map((row) => row.cells[0])).toEqual([JOB_A, JOB_B, 'savepoints']);
		expect(section.rows[0].marks).toEqual(['missing', 'orphan', 'in-progress']);
		expect(section.rows[1].marks).toEqual(['orphan', 'cross-job']);
		expect(section.rows[1].cells[7]).toBe('3f2a1b2c…');
		// The savepoints group holds unrelated jobs' snapshots: no latest checkpoint.
		expect(section.rows[2].cells[2]).toBe('-');
		expect(section.rows[2].details()).toContainEqual({label: 'Snapshots', value: '1 with _metadata'});
		expect(section.rows[0].open).toEqual({type: 'checkpoints', jobPath: `${ROOT}/${JOB_A}`});
	});

	test('jobs: restored from, by the lineage, also from a savepoint (the bundled sample tree)', async () => {
		const root = path.resolve(fileURLToPath(new URL('../../fixtures/sample-tree', import.meta.url)));
		const sample = indexAnalysis(await analyse([root], {minAgeMs: 0}), DEFAULT_SERVICES);
		const rows = buildView(sample, {type: 'jobs'}).sections[0].rows;
		const restoredFrom = (jobId: string) => rows.find((row) => row.cells[0] === jobId)!;
		// B references A's shared/; C references only the savepoint of A it was restored from.
		for (const jobId of [JOBS.B, JOBS.C]) {
			expect(restoredFrom(jobId).cells[7]).toBe(`${JOBS.A.slice(0, 8)}…`);
			expect(restoredFrom(jobId).marks).toContain('cross-job');
			expect(restoredFrom(jobId).details()).toContainEqual({label: 'Restored from', value: JOBS.A, mark: 'cross-job'});
		}

		expect(restoredFrom(JOBS.A).cells[7]).toBe('');
		expect(buildView(sample, {type: 'checkpoints', jobPath: path.join(root, 'checkpoints', JOBS.C)}).summary).toContain(
			`2 snapshots · 8 kB on disk · ↗ restored from ${JOBS.A.slice(0, 8)}…`,
		);
	});

	test('checkpoint: an unreadable _metadata says its files are unknown, and with no row selected the pane shows the checkpoint and its error', () => {
		const analysis = sampleAnalysis();
		const model = buildView(indexAnalysis(analysis), {type: 'checkpoint', checkpointPath: `${SAMPLE_ROOT}/checkpoints/${SAMPLE_JOB_A}/chk-13`});
		expect(model.sections[0].rows).toEqual([]);
		expect(model.sections[0].empty).toBe('_metadata unreadable: the files it needs are unknown (see Error).');
		expect(model.details?.()).toContainEqual({label: 'Error', value: 'at byte 8: expected a version 0…7, found 99', mark: 'warning'});
	});

	test('snapshots outside job directories are named by their path below the group, so that same-named ones differ and filter', () => {
		const analysis = makeAnalysis();
		const group = analysis.jobs.find((job) => job.jobId === null)!;
		const [savepoint] = group.checkpoints;
		group.checkpoints = ['1.6', 'complex'].map((name) => ({...savepoint, path: `${group.path}/${name}/savepoint`}));
		const [section] = buildView(indexAnalysis(analysis), {type: 'checkpoints', jobPath: group.path}).sections;
		expect(section.rows.map((row) => row.cells[0])).toEqual(['1.6/savepoint', 'complex/savepoint']);
		expect(filterSections([section], 'complex')[0].rows).toHaveLength(1);
	});

	test('checkpoints: status marks', () => {
		const [section] = buildView(index, {type: 'checkpoints', jobPath: `${ROOT}/${JOB_B}`}).sections;
		expect(section.rows.map((row) => [row.cells[0], row.cells[5], row.marks])).toEqual([
			['chk-5', 'incomplete', ['orphan']],
			['chk-7', 'complete', ['cross-job']],
		]);
		// Without a _metadata: its time, as in its details, and the bytes its directory holds (it is an orphan).
		expect(section.rows[0].cells[3]).toMatch(/^\d{4}-\d\d-\d\d /);
		expect([section.rows[0].cells[4], section.rows[0].sortSize]).toEqual(['400 kB', 400_000]);
	});

	test('checkpoint: dependency and operator sections', () => {
		const model = buildView(index, {type: 'checkpoint', checkpointPath: `${ROOT}/${JOB_B}/chk-7`});
		expect(model.sections.map((section) => section.id)).toEqual(['dependencies', 'operators']);
		const cross = model.sections[0].rows.find((row) => row.marks.includes('cross-job'));
		expect(cross?.cells.slice(0, 2)).toEqual(['shared', `${JOB_A}/shared`]);
		expect(cross?.cells[5]).toBe('↗3f2a1b2c…');
		expect(cross?.refPath).toBe(A_SHARED);
		expect(model.sections[1].rows.map((row) => row.cells.slice(0, 3))).toEqual([
			['Source: Kafka', '4', '128'],
			['KeyedProcess', '2', '256'],
		]);
	});

	test('files: status and reference counts', () => {
		const [section] = buildView(index, {type: 'files', checkpointPath: `${ROOT}/${JOB_A}/chk-42`, dependencyPath: A_SHARED}).sections;
		expect(section.rows.map((row) => [row.cells[0], row.cells[2], row.cells[4], row.marks])).toEqual([
			['0001.sst', 'exists', '3', []],
			['0003.sst', 'exists', '1', []],
			['gone-0002.sst', 'missing', '1', ['missing']],
		]);
		expect(section.rows[2].details().find((line) => line.label === 'Status')?.mark).toBe('missing');
	});

	test('orphans, missing, warnings, referenced by', () => {
		const orphans = buildView(index, {type: 'orphans'}).sections[0].rows;
		expect(orphans.map((row) => row.marks[0])).toEqual(['orphan', 'orphan', 'in-progress']);
		expect(orphans[0].cells.slice(1, 3)).toEqual(['file', 'unreferenced']);
		const missing = buildView(index, {type: 'missing'}).sections[0].rows;
		expect(missing[0].open).toEqual({type: 'referencedBy', path: MISSING_FILE});
		expect(buildView(index, {type: 'warnings'}).sections[0].rows[0].cells[1]).toContain('truncated');
		const referencing = buildView(index, {type: 'referencedBy', path: A_SHARED}).sections[0].rows;
		expect(referencing.map((row) => row.cells[1])).toEqual(['chk-41', 'chk-42', 'chk-7']);
		expect(buildView(index, {type: 'referencedBy', path: '/nowhere'}).empty).toContain('No loaded checkpoint references');
	});

	test('empty analysis and crumbs', () => {
		const empty = indexAnalysis(emptyAnalysis());
		expect(buildView(empty, {type: 'jobs'}).sections[0].rows).toEqual([]);
		expect(buildView(empty, {type: 'orphans'}).empty).toContain('No orphans');
		expect(viewCrumb(index, {type: 'files', checkpointPath: `${ROOT}/${JOB_A}/chk-42`, dependencyPath: A_SHARED})).toBe('shared/');
		expect(viewCrumb(index, {type: 'checkpoints', jobPath: `${ROOT}/${JOB_A}`})).toBe('3f2a1b2c…');
		expect(relativeToRoot([ROOT], `${ROOT}/x/y`)).toBe('x/y');
		expect(relativeToRoot([ROOT], '/elsewhere/y')).toBe('/elsewhere/y');
	});
});

describe('counts read as English (issue 24, defect 5)', () => {
	test('one orphan is "1 orphan", its files a real plural', () => {
		const analysis = makeAnalysis();
		analysis.orphans = analysis.orphans.slice(0, 1);
		analysis.totals = {...analysis.totals, orphans: 1};
		const model = buildView(indexAnalysis(analysis), {type: 'orphans'});
		expect(model.summary).toMatch(/^⊘ 1 orphan \(/);
		const size = model.sections[0].rows[0].details().find((line) => line.label === 'Size')!;
		expect(size.value).not.toContain('(s)');
	});
});

describe('one way to count snapshots (issue 24, defect 5)', () => {
	test('the Snaps column counts what the header counts: snapshots with a _metadata', async () => {
		const root = path.resolve(fileURLToPath(new URL('../../fixtures/sample-tree', import.meta.url)));
		const analysis = await analyse([root], {minAgeMs: 0});
		const [section] = buildView(indexAnalysis(analysis), {type: 'jobs'}).sections;
		expect(section.columns[1].title).toBe('Snaps');
		const sum = section.rows.reduce((total, row) => total + Number(row.cells[1].replaceAll(',', '')), 0);
		expect(sum).toBe(analysis.totals.checkpoints + analysis.totals.savepoints);
	});

	test('an in-progress or incomplete chk-<n> is not in the column but named in the details', () => {
		const [section] = buildView(index, {type: 'jobs'}).sections;
		// Job A: chk-41, chk-42 (with _metadata) and chk-43 (in progress); job B: chk-7 and chk-5 (incomplete).
		expect(section.rows.map((row) => row.cells[1])).toEqual(['2', '1', '1']);
		expect(section.rows[1].details()).toContainEqual({label: 'Checkpoints', value: '1 with _metadata (+ 1 incomplete), latest: chk-7'});
	});
});

describe("an incomplete checkpoint's size (issue 24, defect 5)", () => {
	test('its details give its directory the bytes its Size cell shows, not "Own dir 0 B"', () => {
		const [section] = buildView(index, {type: 'checkpoints', jobPath: `${ROOT}/${JOB_B}`}).sections;
		const chk5 = section.rows.find((row) => row.cells[0] === 'chk-5')!;
		expect(chk5.cells[4]).toBe('400 kB');
		expect(chk5.details()).toContainEqual({label: 'Own dir', value: '400 kB (no _metadata: nothing in it is referenced)'});
	});
});

describe('sorting, filtering, flattening', () => {
	test('sorts naturally by name, size and time descending; filters by cell text', () => {
		const sections = buildView(index, {type: 'checkpoints', jobPath: `${ROOT}/${JOB_A}`}).sections;
		const names = (sort: 'name' | 'size' | 'time') => sortSections(sections, sort)[0].rows.map((row) => row.cells[0]);
		expect(names('name')).toEqual(['chk-41', 'chk-42', 'chk-43']);
		expect(names('size')).toEqual(['chk-42', 'chk-41', 'chk-43']);
		expect(names('time')).toEqual(['chk-43', 'chk-42', 'chk-41']);
		expect(filterSections(sections, 'MISSING')[0].rows.map((row) => row.cells[0])).toEqual(['chk-42']);
		expect(naturalKey('chk-9') < naturalKey('chk-10')).toBe(true);
	});

	test('flattens several sections with titles and empty states', () => {
		const model = buildView(index, {type: 'checkpoint', checkpointPath: `${ROOT}/${JOB_B}/chk-5`});
		const flat = flatten(model.sections);
		expect(flat.lines.map((line) => line.kind)).toEqual(['title', 'empty', 'title', 'empty']);
		expect(flat.keys).toEqual([]);
		expect(flat.headerSection).toBeUndefined();
	});
});

describe('format', () => {
	test('bytes, counts, ids, truncation', () => {
		expect(formatBytes(1_500_000)).toBe('1.5 MB');
		expect(formatBytes(-1)).toBe('unknown');
		expect(formatCount(100000)).toBe('100,000');
		expect(shortJobId(JOB_A)).toBe('3f2a1b2c…');
		expect(shortJobId(null)).toBe('savepoints');
		expect(truncateMiddle('/a/very/long/path/file.sst', 12)).toBe('/a/v…ile.sst');
		expect(truncateMiddle('short', 12)).toBe('short');
		expect(fit('42', 5, 'right')).toBe('   42');
		expect([...truncateMiddle('x'.repeat(50), 10)]).toHaveLength(10);
	});

	test('text is measured and cut in terminal columns: wide characters and emoji take two', () => {
		expect(textWidth('chk-42')).toBe(6);
		expect(textWidth('共有ファイル')).toBe(12);
		expect(textWidth('a🚀b')).toBe(4);
		expect(textWidth('é')).toBe(1);
		// One-column marks are measured by length, exactly as string-width measures them, also beside joiners and combining marks.
		expect(textWidth('3f2a1b2c…')).toBe(9);
		const alphabet = ['a', '1', ' ', '…', '·', '—', '→', '\u0301', '\uFE0F', '\u200D', '共', '🚀', '\u001B'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...alphabet), {maxLength: 12}), (chars) => {
				const text = chars.join('');
				expect(textWidth(text)).toBe(stringWidth(text));
			}),
		);
		// Cut at whole characters: a wide one that does not fit is left out.
		expect(truncateMiddle('共有ファイル名.sst', 9)).toBe('共…名.sst');
		expect(textWidth(truncateMiddle('共有ファイル名.sst', 8))).toBeLessThanOrEqual(8);
		expect(truncateEnd('🚀🚀🚀🚀', 5)).toBe('🚀🚀…');
		expect(fit('共有', 6)).toBe('共有  ');
		expect(fit('共有ファイル', 6, 'right')).toBe(' 共…ル');
		// Control characters in a name cannot reach the terminal (escape sequences, line breaks).
		expect(truncateMiddle('evil\u001B[2J\nname\u009B.sst', 40)).toBe('evil\\x1b[2J\\x0aname\\x9b.sst');
		expect(fit('a\u0007b', 7)).toBe('a\\x07b ');
		// Every cut fits its width, for any width.
		for (const text of ['/data/共有/ファイル-🚀.sst', 'a'.repeat(30), '🚀'.repeat(20), 'tab\tand\u001B[31mred\u0085.sst']) {
			for (let width = 0; width <= 32; width++) {
				expect(textWidth(truncateMiddle(text, width))).toBeLessThanOrEqual(width);
				expect(textWidth(truncateEnd(text, width))).toBeLessThanOrEqual(width);
				expect(textWidth(fit(text, width))).toBe(width);
			}
		}
	});
});

describe('column layout', () => {
	const columns: Column[] = [
		{title: 'Path', width: 'flex', minWidth: 12},
		{title: 'Type', width: 4},
		{title: 'Reason', width: 16},
		{title: 'Size', width: 9, align: 'right'},
	];
	const cells = ['a', 'dir', 'why', '1 kB'];

	test('wide enough: every column, the flex one takes the rest', () => {
		const widths = columnWidths(columns, 80);
		expect(widths).toEqual([80 - PREFIX_WIDTH - (4 + 16 + 9) - 3, 4, 16, 9]);
		expect(layoutCells(cells, columns, widths)).toHaveLength(80 - PREFIX_WIDTH);
	});

	test('too narrow: columns are left out from the right, whole, never cut to "…"', () => {
		// 12 + 1 + 4 + 1 + 16 fit beside the row prefix in 40 columns; the size column does not.
		const width = PREFIX_WIDTH + 34;
		const widths = columnWidths(columns, width);
		expect(widths).toEqual([12, 4, 16, 0]);
		const line = layoutCells(cells, columns, widths);
		expect(line).toHaveLength(34);
		expect(line).not.toContain('1 kB');
		expect(line).not.toContain('…');
		expect(line.trimEnd().endsWith('why')).toBe(true);
		// Narrower still: only the first column.
		expect(columnWidths(columns, 10)).toEqual([12, 0, 0, 0]);
	});
});

describe('columns share the width by what they hold', () => {
	const columns: Column[] = [
		{title: 'Path', width: 'flex', minWidth: 12, cut: 'path'},
		{title: 'Size', width: 9, align: 'right'},
		{title: 'Why', width: 'flex', minWidth: 6, cut: 'end'},
	];

	test('a fixed column takes what it holds, a short flex column all it holds, the long one the rest', () => {
		// Holds: a 90-column path, sizes of 6, reasons of 10: 60 columns for the three and two gaps.
		expect(columnWidths(columns, PREFIX_WIDTH + 60, [90, 6, 10])).toEqual([60 - 6 - 10 - 2, 6, 10]);
		// Room for all: each gets what it holds, the rest of the line stays empty.
		expect(columnWidths(columns, PREFIX_WIDTH + 200, [90, 6, 10])).toEqual([90, 6, 10]);
		// Two long ones share the 34 columns beyond their minimums evenly.
		expect(columnWidths(columns, PREFIX_WIDTH + 60, [90, 6, 90])).toEqual([12 + 17, 6, 6 + 17]);
	});

	test('a path keeps its last segments, then its first ones', () => {
		const path = 'apache+flink/flink-end-to-end-tests/flink-state-evolution-test/savepoints/1.6';
		expect(truncatePath(path, 30)).toBe('apache+flink/…/savepoints/1.6');
		expect(truncatePath(path, 16)).toBe('…/savepoints/1.6');
		expect(truncatePath('3f2a1b2c3d4e5f60718293a4b5c6d7e8/shared/orphan-9999.sst', 33)).toBe('3f2a1b2c3…/shared/orphan-9999.sst');
		expect(truncatePath('/data/x/3f9a1c2b-e7d0-4a5c-8e6b-1d2f.sst', 12)).toBe('3f9a…d2f.sst');
		for (const text of ['/data/共有/ファイル-🚀.sst', 'a/b/c/d/e/f', '🚀/🚀🚀/x', `abc/${'x'.repeat(20)}`]) {
			for (let width = 0; width <= 30; width++) {
				expect(textWidth(truncatePath(text, width))).toBeLessThanOrEqual(width);
			}
		}
	});
});

describe('details pane rows', () => {
	const width = () => 10;
	const texts = (rows: ReturnType<typeof detailRows>) => rows.map((row) => `${row.label}|${row.text}`);

	test('values that fit are drawn as they are; too many lines end in "… N more"', () => {
		expect(texts(detailRows([{label: 'A', value: 'short'}], width, 5))).toEqual(['A|short']);
		const many = Array.from({length: 6}, (_, index) => ({label: `L${index}`, value: 'v'}));
		expect(texts(detailRows(many, width, 4))).toEqual(['L0|v', 'L1|v', 'L2|v', '|… 3 more']);
	});

	test('a long value wraps into rows left over (a path after a /); without room it is cut in the middle', () => {
		const lines = [
			{label: 'Path', value: '/data/flink/abc'},
			{label: 'B', value: 'b'},
		];
		expect(texts(detailRows(lines, width, 3))).toEqual(['Path|/data/', '|flink/abc', 'B|b']);
		expect(texts(detailRows(lines, width, 2))).toEqual(['Path|/da…nk/abc', 'B|b']);
	});

	test('a marked line (an error) wraps first, leaving out lines at the end', () => {
		const lines: DetailLine[] = [
			{label: 'Path', value: '/data/flink/abc'},
			{label: 'Error', value: 'at byte 12 expected', mark: 'warning'},
			{label: 'C', value: 'c'},
			{label: 'D', value: 'd'},
		];
		const rows = detailRows(lines, width, 4);
		expect(texts(rows)).toEqual(['Path|/da…nk/abc', 'Error|at byte 12', '|expected', '|… 2 more']);
		expect(rows.map((row) => row.continued)).toEqual([false, false, true, false]);
	});

	test('wrapping keeps wide characters whole and shows control characters escaped', () => {
		expect(wrapColumns('ab漢字cd', 3)).toEqual(['ab', '漢', '字c', 'd']);
		expect(wrapColumns('a\u001B[31mb', 4)).toEqual(['a\\x1', 'b[31', 'mb']);
		expect(wrapColumns('fits', 4)).toEqual(['fits']);
	});

	test('prose wraps at spaces, never inside a word that fits a line (issue 24: FORWARD_BACKWAR / D); a longer word after a / or anywhere', () => {
		expect(wrapColumns('chk-5 is the newest complete checkpoint', 12)).toEqual(['chk-5 is the', 'newest', 'complete', 'checkpoint']);
		expect(wrapColumns('checkpoint (FORWARD_BACKWARD, retained on cancel)', 20)).toEqual(['checkpoint', '(FORWARD_BACKWARD,', 'retained on cancel)']);
		expect(wrapColumns('a 3f9a1c2be7d04a5c8e6b1d2f', 10)).toEqual(['a', '3f9a1c2be7', 'd04a5c8e6b', '1d2f']);
		expect(wrapColumns('kept: /data/flink/3f2a1b2c/shared/0001.sst', 20)).toEqual(['kept:', '/data/flink/', '3f2a1b2c/shared/', '0001.sst']);
		expect(wrapColumns('漢字 漢字漢字', 6)).toEqual(['漢字', '漢字漢', '字']);
		fc.assert(
			fc.property(fc.stringMatching(/^[a-c /-]{0,60}$/), fc.integer({min: 1, max: 12}), (text, width) => {
				const lines = wrapColumns(text, width);
				expect(lines.every((line) => line.length <= width)).toBe(true);
				// Only spaces at the breaks are dropped.
				expect(lines.join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
			}),
		);
	});
});

describe('screen layout', () => {
	test('with the details below the list, a short list leaves its empty rows to the details', () => {
		const full = computeLayout(100, 30, false);
		expect(full.wide).toBe(false);
		const short = computeLayout(100, 30, false, 8);
		expect(short.mainHeight).toBe(8);
		expect(short.mainHeight + short.detailsBelowHeight).toBe(full.mainHeight + full.detailsBelowHeight);
		// A list that fills its region, or an empty one (it keeps a few lines), and the wide layout.
		expect(computeLayout(100, 30, false, 100)).toEqual(full);
		expect(computeLayout(100, 30, false, 1).mainHeight).toBe(4);
		expect(computeLayout(160, 30, false, 2)).toEqual(computeLayout(160, 30, false));
	});
});
