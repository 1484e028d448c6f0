/**
 * The selection follows the selected item (#24 "keep my place"): `s`, `S` and `/` keep the cursor on
 * the row it was on, also when the cursor was never moved and when the keys come in one input chunk;
 * a rescan keeps the selected row of every frame of the stack by path, even when rows appear before it.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {Explorer, LoadingExplorer} from '../../source/ui/index.js';
import {JOB_A, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {crumbLine, footerLine, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

/** The orphan first by name in the fixture (and last by size): `s` moves it from 1/3 to 3/3. */
const FIRST_BY_NAME = `${JOB_A}/chk-43`;
/** An incomplete checkpoint that sorts before it by name, found by the second scan. */
const APPEARING = `${ROOT}/${JOB_A}/chk-40`;

/** A load whose second and later calls find one more orphan, sorting first by name. */
function growing() {
	const calls = {count: 0};
	const load = async (): Promise<Analysis> => {
		calls.count++;
		const analysis = makeAnalysis();
		if (calls.count > 1) {
			const model = analysis.orphans.find((orphan) => orphan.path.endsWith('/chk-43'))!;
			analysis.orphans = [{...model, path: APPEARING, description: `incomplete-checkpoint at ${APPEARING}`, possiblyInProgress: false}, ...analysis.orphans];
			analysis.totals.orphans += 1;
		}

		return analysis;
	};

	return {calls, load};
}

describe('the selection follows the selected item', () => {
	test('s, S and / keep the row the cursor was on, though it was never moved', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 160, 30);
		await ui.press('o');
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		expect(crumbLine(ui.frame())).toMatch(/Orphans\s+1\/3$/);
		await ui.press('s');
		expect(footerLine(ui.frame())).toContain('sort: size ↓');
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		expect(crumbLine(ui.frame())).toMatch(/3\/3$/);
		await ui.press('S');
		expect(footerLine(ui.frame())).toContain('sort: size ↑');
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		expect(crumbLine(ui.frame())).toMatch(/1\/3$/);
		await ui.press('/', 'c', 'h', 'k');
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		await ui.press(KEYS.escape);
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		expect(crumbLine(ui.frame())).toMatch(/1\/3$/);
	});

	test('keys in one input chunk (o s S, o s /) act each on the screen the one before left', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 160, 30);
		await ui.press('osS');
		const reversed = await waitForFrame(ui.frame, 'sort: size ↑');
		expect(selectedLine(reversed)).toContain(FIRST_BY_NAME);
		expect(crumbLine(reversed)).toMatch(/Orphans\s+1\/3$/);
		// s (time: the newest first, chk-43), then a filter that matches nothing, then cleared.
		await ui.press('s/x');
		const filtering = await waitForFrame(ui.frame, '/x');
		expect(crumbLine(filtering)).toMatch(/Orphans\s+0\/0$/);
		await ui.press(KEYS.backspace, KEYS.enter);
		const kept = await waitForFrame(ui.frame, 'sort: time ↓');
		expect(selectedLine(kept)).toContain(FIRST_BY_NAME);
		expect(crumbLine(kept)).toMatch(/Orphans\s+1\/3$/);
	});

	test('R keeps the selected row by path when a row appears before it, though the cursor was never moved', async () => {
		const {calls, load} = growing();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 160, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press('o');
		expect(selectedLine(ui.frame())).toContain(FIRST_BY_NAME);
		await ui.press('R');
		await waitForFrame(ui.frame, () => calls.count === 2);
		const after = await waitForFrame(ui.frame, /Orphans\s+\d+\/4/);
		expect(selectedLine(after)).toContain(FIRST_BY_NAME);
		expect(crumbLine(after)).toMatch(/2\/4$/);
	});

	test('after R, going back finds the row Enter was pressed on, though the cursor was never moved there', async () => {
		const {calls, load} = growing();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 160, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press('o', KEYS.enter);
		const opened = await waitForFrame(ui.frame, /Orphans › /);
		await ui.press('R');
		await waitForFrame(ui.frame, () => calls.count === 2);
		const rescanned = await waitForFrame(ui.frame, '⊘ 3 orphans');
		expect(crumbLine(rescanned)).toBe(crumbLine(opened));
		await ui.press(KEYS.left);
		const back = await waitForFrame(ui.frame, /Orphans\s+\d+\/4/);
		expect(selectedLine(back)).toContain(FIRST_BY_NAME);
		// One scan per R: the R is not typed ahead again into the explorer it starts.
		expect(calls.count).toBe(2);
	});

	test('a key typed while the rescan loads acts once the fresh list shows; the R is not replayed', async () => {
		const calls = {count: 0};
		let release = () => {};
		const load = async (): Promise<Analysis> => {
			calls.count++;
			if (calls.count === 2) await new Promise<void>((resolve) => (release = resolve));
			return makeAnalysis();
		};

		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 160, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press('o', 'R');
		await waitForFrame(ui.frame, 'Loading');
		await ui.press('j');
		release();
		const after = await waitForFrame(ui.frame, /Orphans\s+2\/3/);
		expect(selectedLine(after)).not.toContain(FIRST_BY_NAME);
		expect(calls.count).toBe(2);
	});
});
