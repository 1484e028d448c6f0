/** `e` / `E` export the current list (every row, filter applied, cells whole) as TSV / JSON through the embedder's writer (issue 24). */
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {exportFileWriter} from '../../source/cli/export-file.js';
import {Explorer, type ExportRequest} from '../../source/ui/index.js';
import {sectionLines, TSV_FORMAT} from '../../source/ui/pager.js';
import {makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {footerLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

const ORPHAN_FILE = '3f2a1b2c3d4e5f60718293a4b5c6d7e8/shared/orphan-9999.sst';

describe('export (e / E)', () => {
	test('e writes the orphans list as TSV, filtered and in the shown order, and says where', async () => {
		const onExport = vi.fn((_request: ExportRequest) => './fcx-orphans-20261207T060102Z.tsv');
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} onExport={onExport} />, 100, 20);
		await ui.press('o', '/', 'd', 'i', 'r', KEYS.enter, 's', 'S');
		await waitForFrame(ui.frame, 'filter: "dir"');
		await ui.press('e');
		expect(footerLine(await waitForFrame(ui.frame, 'wrote'))).toContain('wrote ./fcx-orphans-20261207T060102Z.tsv (2 rows)');
		const request = onExport.mock.calls[0][0];
		expect(request.name).toBe('fcx-orphans');
		expect(request.extension).toBe('tsv');
		const lines = request.content.trimEnd().split('\n');
		expect(lines[0]).toBe(['Marks', 'Path', 'Type', 'Reason', 'Size', 'Files', 'Age'].join('\t'));
		expect(lines).toHaveLength(3);
		// Smallest first (size reversed): the in-progress chk-43 (1 kB), then chk-5 (400 kB).
		expect(lines[1]).toMatch(/^in-progress\t3f2a1b2c3d4e5f60718293a4b5c6d7e8\/chk-43\tdir\t/);
		expect(lines[2]).toMatch(/^orphan\tb0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3\/chk-5\tdir\t/);
	});

	test('E writes JSON with the view, order, filter and every row, cells whole though the screen cuts them', async () => {
		const onExport = vi.fn((_request: ExportRequest) => './fcx-orphans.json');
		// 60 columns: the screen cuts the orphan paths, the export must not.
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} onExport={onExport} />, 60, 20);
		await ui.press('o');
		await waitForFrame(ui.frame, 'Orphans');
		await ui.press('E');
		expect(footerLine(await waitForFrame(ui.frame, 'wrote'))).toContain('wrote ./fcx-orphans.json (3 rows)');
		const request = onExport.mock.calls[0][0];
		expect(request.extension).toBe('json');
		const json = JSON.parse(request.content) as {
			view: string;
			sort: string;
			reverse: boolean;
			filter: string;
			sections: {columns: string[]; rows: {marks: string[]; cells: Record<string, string>}[]}[];
		};
		expect(json).toMatchObject({view: 'Jobs › Orphans', sort: 'name', reverse: false, filter: ''});
		expect(json.sections[0].rows).toHaveLength(3);
		expect(json.sections[0].rows.map((row) => row.cells.Path)).toContain(ORPHAN_FILE);
		expect(json.sections[0].rows.find((row) => row.cells.Path === ORPHAN_FILE)).toMatchObject({marks: ['orphan'], cells: {Type: 'file', Size: '1.5 MB'}});
	});

	test('a writer that fails says why in the footer; without one, e says it is not available', async () => {
		const failing = () => {
			throw new Error('cannot write /ro/fcx-jobs-x.tsv: EACCES');
		};
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} onExport={failing} />, 120, 30);
		await ui.press('e');
		expect(footerLine(await waitForFrame(ui.frame, 'export failed'))).toContain('export failed: cannot write /ro/fcx-jobs-x.tsv: EACCES');
		cleanup();
		const plain = await renderSized(<Explorer analysis={makeAnalysis()} />, 120, 30);
		await plain.press('e');
		expect(footerLine(await waitForFrame(plain.frame, 'not available'))).toContain('export is not available here');
	});

	test('TSV fields stay one line: tabs, line breaks and backslashes escaped, control characters visible', () => {
		const lines = sectionLines(
			[
				{
					id: 's',
					columns: [{title: 'Path', width: 'flex'}],
					rows: [{key: 'a', cells: ['a\tb\nc\\d\u001B[2J'], marks: ['orphan', 'in-progress'], details: () => [], sortName: '', sortSize: 0, sortTime: 0}],
					empty: '',
				},
			],
			TSV_FORMAT,
		);
		expect(lines).toEqual(['Marks\tPath', 'orphan,in-progress\ta\\tb\\nc\\\\d\\x1b[2J']);
	});
});

describe('exportFileWriter (the CLI writer)', () => {
	test('writes a new file named after the view and the UTC time, and never replaces an existing one', () => {
		const directory = mkdtempSync(path.join(os.tmpdir(), 'fcx-export-'));
		const write = exportFileWriter(directory, () => new Date(Date.UTC(2026, 11, 7, 6, 1, 2, 345)));
		writeFileSync(path.join(directory, 'fcx-orphans-20261207T060102Z.tsv'), 'keep me');
		const first = write({name: 'fcx-orphans', extension: 'tsv', content: 'one'});
		const second = write({name: 'fcx-orphans', extension: 'tsv', content: 'two'});
		expect(first).toBe(path.join(directory, 'fcx-orphans-20261207T060102Z-2.tsv'));
		expect(second).toBe(path.join(directory, 'fcx-orphans-20261207T060102Z-3.tsv'));
		expect(readFileSync(path.join(directory, 'fcx-orphans-20261207T060102Z.tsv'), 'utf8')).toBe('keep me');
		expect(readFileSync(first, 'utf8')).toBe('one');
		expect(readdirSync(directory)).toHaveLength(3);
		expect(() => write({name: 'fcx-jobs', extension: 'json', content: '{}'})).not.toThrow();
		expect(() => exportFileWriter(path.join(directory, 'no-such-dir'))({name: 'fcx-jobs', extension: 'tsv', content: ''})).toThrow(
			/cannot write .*no-such-dir\/fcx-jobs-.*\.tsv: ENOENT/,
		);
	});
});
