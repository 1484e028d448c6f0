/** The mouse wheel scrolls and a click selects a row (xterm SGR reports), without breaking typed keys (issue 24). */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {Explorer, LoadingExplorer} from '../../source/ui/index.js';
import {helpLines} from '../../source/ui/components/help.js';
import {DOUBLE_CLICK_MS, parseMouse, runMouse} from '../../source/ui/mouse.js';
import type {ExplorerKeysContext} from '../../source/ui/key-context.js';
import {explorerReducer, initialState, type ExplorerAction} from '../../source/ui/use-explorer-state.js';
import type {Row} from '../../source/ui/views/types.js';
import {makeAnalysis, manyOrphans} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {crumbLine, footerLine, lines, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

/** An SGR mouse report as a terminal sends it: `button`, 1-based column and line, press (`M`) or release (`m`). */
const report = (button: number, column: number, line: number, final = 'M') => `\u001B[<${button};${column};${line}${final}`;
const WHEEL_DOWN = (line = 10) => report(65, 5, line);
const WHEEL_UP = (line = 10) => report(64, 5, line);

describe('mouse', () => {
	test('parseMouse reads SGR reports (modifiers and motion bits aside) and nothing else', () => {
		expect(parseMouse('[<64;10;5M')).toEqual({kind: 'wheelUp', button: 0, column: 9, line: 4});
		expect(parseMouse('[<65;1;1M')).toMatchObject({kind: 'wheelDown'});
		expect(parseMouse('[<69;1;1M')).toMatchObject({kind: 'wheelDown'});
		expect(parseMouse('[<0;3;7M')).toEqual({kind: 'press', button: 0, column: 2, line: 6});
		expect(parseMouse('[<0;3;7m')).toMatchObject({kind: 'release'});
		expect(parseMouse('[<2;3;7M')).toMatchObject({kind: 'press', button: 2});
		for (const typed of ['j', '[A', '[<0;3M', '<0;3;7M', '[<0;3;7Mj', '[6~']) expect(parseMouse(typed)).toBeUndefined();
	});

	test('the wheel moves the selection three rows a notch in a list', async () => {
		const ui = await renderSized(<Explorer analysis={manyOrphans(50)} />, 100, 30);
		await ui.press('o');
		await waitForFrame(ui.frame, /Orphans\s+1\/50/);
		await ui.press(WHEEL_DOWN(), WHEEL_DOWN());
		expect(crumbLine(await waitForFrame(ui.frame, /7\/50$/m))).toMatch(/Orphans\s+7\/50$/);
		await ui.press(WHEEL_UP());
		expect(crumbLine(await waitForFrame(ui.frame, /4\/50$/m))).toMatch(/4\/50$/);
	});

	test('a left click selects the row under it, also after the list scrolled; clicks elsewhere change nothing', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 100, 30);
		// Line 7 (1-based): title, totals, breadcrumb, column header, then the rows: the third, savepoints.
		expect(lines(ui.frame())[6]).toContain('savepoints');
		await ui.press(report(0, 20, 7), report(0, 20, 7, 'm'));
		expect(selectedLine(await waitForFrame(ui.frame, /3\/3$/m))).toContain('savepoints');
		// The column header, the details below the list and a right click select nothing.
		await ui.press(report(0, 20, 4), report(0, 20, 12), report(2, 20, 5));
		expect(crumbLine(ui.frame())).toMatch(/3\/3$/);
		await ui.press(report(0, 20, 5));
		expect(crumbLine(await waitForFrame(ui.frame, /1\/3$/m))).toMatch(/1\/3$/);

		const many = await renderSized(<Explorer analysis={manyOrphans(200)} />, 100, 30);
		await many.press('o', 'G');
		await waitForFrame(many.frame, /200\/200$/m);
		// Line 6 (1-based) is the first row drawn (a summary line sits above the column header here).
		const firstShown = lines(many.frame())[5];
		await many.press(report(0, 20, 6));
		const frame = await waitForFrame(many.frame, (text) => !/200\/200$/m.test(lines(text)[2]));
		expect(selectedLine(frame).slice(2)).toBe(firstShown.slice(2));
	});

	test('reports do not type into the filter or act as keys; a legacy report (ESC [ M and three bytes) is dropped whole', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 100, 30);
		await ui.press('o', '/', 'c', WHEEL_DOWN(), report(0, 20, 6), report(0, 20, 6, 'm'), 'h');
		expect(footerLine(await waitForFrame(ui.frame, '/ch'))).toContain('/ch▏');
		await ui.press(KEYS.escape);
		await ui.press('/', 'x', '\u001B[M !!', 'y');
		expect(footerLine(await waitForFrame(ui.frame, '/xy'))).toContain('/xy▏');
	});

	test('the wheel scrolls the help screen', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 100, 24);
		await ui.press('?');
		const top = lines(await waitForFrame(ui.frame, 'Help'))[3];
		await ui.press(WHEEL_DOWN());
		await waitForFrame(ui.frame, (frame) => lines(frame)[3] !== top);
		await ui.press(WHEEL_UP());
		expect(lines(await waitForFrame(ui.frame, (frame) => lines(frame)[3] === top))[3]).toBe(top);
	});

	test('a report while the tree loads is not typed ahead: Enter typed after it opens the first row', async () => {
		let finish: (analysis: Analysis) => void = () => undefined;
		const load = async () =>
			new Promise<Analysis>((resolve) => {
				finish = resolve;
			});
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, 'Loading…');
		await ui.press(WHEEL_DOWN(), KEYS.enter);
		finish(makeAnalysis());
		expect(crumbLine(await waitForFrame(ui.frame, /^Jobs › /m))).toMatch(/^Jobs › 3f2a1b2c/);
	});

	test('a second click on the same row within 400 ms opens it (Enter), by the times handed in; slower, or on another row, it only selects', () => {
		const row = (key: string): Row => ({
			key,
			cells: [key],
			marks: [],
			sortName: key,
			sortSize: 0,
			sortTime: 0,
			details: () => [],
			open: {type: 'directory', path: `/d/${key}`},
		});
		const keys = ['a', 'b'];
		let state = initialState();
		const actions: ExplorerAction[] = [];
		const context = (): ExplorerKeysContext => ({
			state,
			dispatch(action) {
				actions.push(action);
				state = explorerReducer(state, action);
			},
			keys,
			selectedRow: row(state.stack.at(-1)!.cursorKey ?? 'a'),
			pageSize: 10,
			helpMax: 0,
			helpPageSize: 10,
			onQuit() {},
			rowAt: (_column, line) => keys[line],
		});
		const click = (line: number, timeMs: number) => runMouse({kind: 'press', button: 0, column: 3, line}, context(), timeMs);
		const opened = () => actions.filter((action) => action.type === 'open');
		click(1, 10_000);
		click(1, 10_000 + DOUBLE_CLICK_MS + 1);
		expect(opened()).toHaveLength(0);
		click(0, 10_000 + DOUBLE_CLICK_MS + 100);
		expect(opened()).toHaveLength(0);
		click(0, 10_000 + DOUBLE_CLICK_MS + 100 + DOUBLE_CLICK_MS);
		expect(opened()).toEqual([{type: 'open', view: {type: 'directory', path: '/d/a'}, pin: 'a'}]);
		// The click that opened is forgotten: a third one right after does not open again.
		click(0, 10_000 + 2 * DOUBLE_CLICK_MS + 150);
		expect(opened()).toHaveLength(1);
	});

	test('a double click on a row opens it, as Enter does', async () => {
		let clock = 50_000;
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} now={() => clock} />, 100, 30);
		expect(lines(ui.frame())[6]).toContain('savepoints');
		await ui.press(report(0, 20, 7), report(0, 20, 7, 'm'));
		await waitForFrame(ui.frame, /3\/3$/m);
		clock += DOUBLE_CLICK_MS + 1;
		await ui.press(report(0, 20, 7), report(0, 20, 7, 'm'));
		expect(crumbLine(ui.frame())).toMatch(/^Jobs\s+3\/3$/);
		clock += 150;
		await ui.press(report(0, 20, 7), report(0, 20, 7, 'm'));
		expect(crumbLine(await waitForFrame(ui.frame, /Jobs › /))).toContain('Jobs › savepoints');
		expect(helpLines()).toContain('Mouse: the wheel scrolls, a click selects a row, a double click opens it (as ⏎); Shift + drag selects text.');
	});
});
