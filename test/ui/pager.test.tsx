/** `p` opens the current list or panel in `$PAGER`: every row, cells whole. */
import {readFileSync, rmSync} from 'node:fs';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {Explorer} from '../../source/ui/index.js';
import {runPager, sectionLines} from '../../source/ui/pager.js';
import {A_SHARED, makeAnalysis} from './fixture.js';
import {renderSized} from './helpers.js';
import {footerLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

describe('pager (p)', () => {
	test('the list goes to the pager whole; the footer says when it is back', async () => {
		const showInPager = vi.fn((_lines: string[]): string | undefined => undefined);
		// 60 columns: the screen cuts the orphan paths, the pager must not.
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} showInPager={showInPager} />, 60, 20);
		await ui.press('o');
		await waitForFrame(ui.frame, 'Orphans');
		await ui.press('p');
		expect(footerLine(await waitForFrame(ui.frame, 'back from the pager'))).toContain('back from the pager');
		const lines = showInPager.mock.calls[0][0];
		expect(lines[0]).toBe('Jobs › Orphans');
		expect(lines.some((line) => line.includes(`3f2a1b2c3d4e5f60718293a4b5c6d7e8/shared/orphan-9999.sst`))).toBe(true);
		expect(lines.some((line) => line.startsWith('⊘'))).toBe(true);
	});

	test('a pager that cannot run says so', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} showInPager={() => 'the pager (nope) was not found: set PAGER'} />, 120, 30);
		await ui.press('p');
		expect(footerLine(await waitForFrame(ui.frame, 'not found'))).toContain('set PAGER');
	});

	test('runPager feeds the lines to $PAGER through the shell, control characters made visible', () => {
		const lines = sectionLines([
			{
				id: 's',
				columns: [{title: 'Path', width: 'flex'}],
				rows: [{key: 'a', cells: [`${A_SHARED}/evil\u001B[2J.sst`], marks: ['orphan'], details: () => [], sortName: '', sortSize: 0, sortTime: 0}],
				empty: '',
			},
		]);
		expect(lines[1]).toBe(`⊘   ${A_SHARED}/evil\u001B[2J.sst`);
		const out = `/tmp/fcx-pager-${process.pid}.txt`;
		expect(runPager(lines, {PAGER: `cat > ${out}`})).toBeUndefined();
		const text = readFileSync(out, 'utf8');
		rmSync(out);
		expect(text).toContain('evil\\x1b[2J.sst');
		expect(text).not.toContain('\u001B');
		expect(runPager(lines, {PAGER: 'no-such-pager-fcx'})).toContain('was not found');
	});

	test('a pager that stops reading early (q in less) is not an error; one not found is, whatever the list length', () => {
		const long = Array.from({length: 200_000}, (_, index) => `row ${index}`);
		expect(runPager(long, {PAGER: 'head -1 > /dev/null'})).toBeUndefined();
		expect(runPager(long, {PAGER: 'no-such-pager-fcx 2>/dev/null'})).toContain('was not found');
	});
});
