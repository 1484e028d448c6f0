/** `y` copies the selected row's path (OSC 52); `n` / `N` go to the next / previous row matching the last filter text. */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {osc52, rowPath} from '../../source/ui/clipboard.js';
import {Explorer} from '../../source/ui/index.js';
import {buildView, indexAnalysis} from '../../source/ui/views/build.js';
import {A_SHARED, JOB_A, JOB_B, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {crumbLine, footerLine, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

describe('copy the selected path (y)', () => {
	test('OSC 52 carries the text as base64 (any byte of a name survives)', () => {
		expect(osc52('/data/flink/chk-1')).toBe(`\u001B]52;c;${Buffer.from('/data/flink/chk-1').toString('base64')}\u0007`);
		expect(osc52('a\u001B[2Jb')).not.toContain('\u001B[2J');
	});

	test('the path of each kind of row', () => {
		const index = indexAnalysis(makeAnalysis());
		expect(rowPath(buildView(index, {type: 'jobs'}).sections[0].rows[0])).toBe(`${ROOT}/${JOB_A}`);
		const orphans = buildView(index, {type: 'orphans'}).sections.flatMap((section) => section.rows);
		expect(orphans.map((row) => rowPath(row))).toContain(`${A_SHARED}/orphan-9999.sst`);
		const checkpoints = buildView(index, {type: 'checkpoints', jobPath: `${ROOT}/${JOB_A}`}).sections[0].rows;
		expect(checkpoints.map((row) => rowPath(row))).toContain(`${ROOT}/${JOB_A}/chk-42`);
		const warnings = buildView(index, {type: 'warnings'}).sections.flatMap((section) => section.rows);
		expect(rowPath(warnings[0])).toBe(`${ROOT}/${JOB_B}/chk-6/_metadata`);
	});

	test('y copies the selected row and says so in the footer, where y is a hint', async () => {
		const copyText = vi.fn();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} copyText={copyText} />, 200, 30);
		expect(footerLine(await waitForFrame(ui.frame, '2 jobs'))).toContain('y copy path');
		await ui.press('j', 'y');
		const frame = await waitForFrame(ui.frame, 'copied');
		expect(copyText).toHaveBeenCalledWith(`${ROOT}/${JOB_B}`);
		expect(footerLine(frame)).toContain(`copied (OSC 52): ${ROOT}/${JOB_B}`);
	});
});

describe('search again (n / N)', () => {
	test('without a filter typed yet, n says so', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 120, 30);
		await ui.press('n');
		expect(footerLine(await waitForFrame(ui.frame, 'none typed yet'))).toContain('last filter (/)');
	});

	test('after Esc cleared the filter, n and N go to the rows matching it, wrapping around', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 120, 30);
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, 'chk-41');
		// chk-41, chk-42, chk-43: the filter "-43" matches chk-43 only; Esc clears it and keeps it for n / N.
		await ui.press('/', '-', '4', '3', KEYS.escape);
		let frame = await waitForFrame(ui.frame, (shown) => !shown.includes('/-43'));
		expect(selectedLine(frame)).toContain('chk-41');
		await ui.press('n');
		frame = await waitForFrame(ui.frame, (shown) => selectedLine(shown).includes('chk-43'));
		expect(crumbLine(frame)).toMatch(/3\/3$/);
		await ui.press('g', 'N');
		frame = await waitForFrame(ui.frame, (shown) => selectedLine(shown).includes('chk-43'));
		expect(footerLine(frame)).toContain('search for "-43" wrapped around');
		await ui.press('/', 'z', 'z', 'z', KEYS.escape, 'n');
		expect(footerLine(await waitForFrame(ui.frame, 'no row here matches'))).toContain('"zzz"');
	});
});
