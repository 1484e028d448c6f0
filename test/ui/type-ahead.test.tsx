/** Keys typed while the tree loads are acted on, in order, once the explorer shows (type-ahead). */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {LoadingExplorer} from '../../source/ui/index.js';
import {makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {crumbLine, footerLine, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

/** A load that ends when the test says so. */
function deferred() {
	let finish: (analysis: Analysis) => void = () => {};
	const load = async () =>
		new Promise<Analysis>((resolve) => {
			finish = resolve;
		});
	return {load, finish: () => finish(makeAnalysis())};
}

describe('type-ahead while loading', () => {
	test('o typed during the scan opens the orphans once loaded', async () => {
		const {load, finish} = deferred();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, 'Loading…');
		await ui.press('o');
		expect(ui.frame()).toContain('Loading…');
		finish();
		const frame = await waitForFrame(ui.frame, /Jobs › Orphans\s+\d/);
		expect(crumbLine(frame)).toMatch(/^Jobs › Orphans\s/);
	});

	test('↓ ↓ Enter typed during the scan open the third job row', async () => {
		const {load, finish} = deferred();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, 'Loading…');
		await ui.press(KEYS.down, KEYS.down, KEYS.enter);
		finish();
		// The third row of the jobs view is the savepoints group.
		const frame = await waitForFrame(ui.frame, /Jobs › savepoints/);
		expect(selectedLine(frame)).toContain('savepoint');
	});

	test('q after other typed keys is typed (a filter), not a quit', async () => {
		const {load, finish} = deferred();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, 'Loading…');
		await ui.press('/', 'x', 'q');
		finish();
		const frame = await waitForFrame(ui.frame, '/xq▏');
		expect(footerLine(frame)).toContain('/xq▏');
	});
});
