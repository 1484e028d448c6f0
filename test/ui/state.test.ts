import {describe, expect, test} from 'vitest';
import {currentFrame, explorerReducer, initialState, MENU_VIEWS, pinSelected, selectedIndex, type ExplorerState} from '../../source/ui/use-explorer-state.js';
import {KEY_BINDINGS} from '../../source/ui/keys.js';
import {footerHints, makeKey, matchAction} from '../../source/ui/key-match.js';
import {splitKeyPresses} from '../../source/ui/use-explorer-keys.js';

const keys = ['a', 'b', 'c', 'd'];
const run = (state: ExplorerState, ...actions: Parameters<typeof explorerReducer>[1][]) => actions.reduce(explorerReducer, state);

describe('explorerReducer', () => {
	test('moves within bounds and remembers the key', () => {
		let state = run(initialState(), {type: 'move', delta: 1, keys}, {type: 'move', delta: 10, keys});
		expect(currentFrame(state).cursorKey).toBe('d');
		state = run(state, {type: 'move', delta: -Infinity, keys});
		expect(currentFrame(state).cursorKey).toBe('a');
		expect(run(state, {type: 'move', delta: 1, keys: []})).toBe(state);
	});

	test('the cursor follows its key across re-orderings and falls back to its position', () => {
		const state = run(initialState(), {type: 'move', delta: 2, keys});
		expect(selectedIndex(currentFrame(state), ['c', 'a', 'b', 'd'])).toBe(0);
		expect(selectedIndex(currentFrame(state), ['a', 'b'])).toBe(1);
		expect(selectedIndex(currentFrame(state), [])).toBe(-1);
	});

	test('open pushes, back pops, the root stays', () => {
		let state = run(initialState(), {type: 'move', delta: 1, keys}, {type: 'open', view: {type: 'orphans'}});
		expect(state.stack.map((frame) => frame.view.type)).toEqual(['jobs', 'orphans']);
		expect(run(state, {type: 'open', view: {type: 'orphans'}}).stack).toHaveLength(2);
		state = run(state, {type: 'back'}, {type: 'back'});
		expect(state.stack).toHaveLength(1);
		expect(currentFrame(state).cursorKey).toBe('b');
	});

	test('goTo resets the stack to Jobs › view', () => {
		const state = run(
			initialState(),
			{type: 'open', view: {type: 'checkpoints', jobPath: '/j'}},
			{type: 'open', view: {type: 'checkpoint', checkpointPath: '/j/chk-1'}},
			{type: 'openMenu'},
			{type: 'goTo', view: {type: 'missing'}},
		);
		expect(state.stack.map((frame) => frame.view.type)).toEqual(['jobs', 'missing']);
		expect(state.overlay).toBe('none');
		expect(run(state, {type: 'goTo', view: {type: 'jobs'}}).stack).toHaveLength(1);
	});

	test('the go-to-view menu opens on its first entry and its highlight wraps around', () => {
		let state = run(initialState(), {type: 'openMenu'});
		expect(state).toMatchObject({overlay: 'menu', menuIndex: 0});
		state = run(state, {type: 'menuMove', delta: -1});
		expect(state.menuIndex).toBe(MENU_VIEWS.length - 1);
		state = run(state, {type: 'menuMove', delta: 1}, {type: 'menuMove', delta: 1}, {type: 'menuMove', delta: 1});
		expect(MENU_VIEWS[state.menuIndex]).toBe('missing');
		expect(run(state, {type: 'closeOverlay'}, {type: 'openMenu'}).menuIndex).toBe(0);
	});

	test('filter editing: type, delete, accept, clear; pins the cursor', () => {
		let state = run(initialState(), {type: 'filterStart', pin: 'c'}, {type: 'filterType', text: 'ab'}, {type: 'filterType', text: 'c'}, {type: 'filterDelete'});
		expect(state.editingFilter).toBe(true);
		expect(currentFrame(state).filter).toBe('ab');
		expect(currentFrame(state).cursorKey).toBe('c');
		state = run(state, {type: 'filterAccept'});
		expect(state.editingFilter).toBe(false);
		expect(currentFrame(state).filter).toBe('ab');
		state = run(state, {type: 'filterStart'}, {type: 'filterClear'});
		expect(currentFrame(state).filter).toBe('');
		expect(state.editingFilter).toBe(false);
	});

	test('sort cycles name → size → time → name', () => {
		const sorts = [];
		let state = initialState();
		for (let index = 0; index < 3; index++) {
			state = run(state, {type: 'cycleSort', pin: 'b'});
			sorts.push(currentFrame(state).sort);
		}

		expect(sorts).toEqual(['size', 'time', 'name']);
		expect(currentFrame(state).cursorKey).toBe('b');
	});

	test('open and goTo pin the row they leave (a cursor never moved is only a position); pinSelected pins the top', () => {
		const opened = run(initialState(), {type: 'open', view: {type: 'orphans'}, pin: 'b'});
		expect(opened.stack.map((frame) => frame.cursorKey)).toEqual(['b', null]);
		expect(selectedIndex(opened.stack[0], ['x', 'a', 'b'])).toBe(2);
		const menu = run(initialState(), {type: 'goTo', view: {type: 'missing'}, pin: 'c'});
		expect(menu.stack.map((frame) => frame.cursorKey)).toEqual(['c', null]);
		expect(currentFrame(pinSelected(opened, 'k')).cursorKey).toBe('k');
		expect(pinSelected(opened, undefined)).toBe(opened);
	});

	test('help overlay toggles and scrolls within bounds', () => {
		let state = run(initialState(), {type: 'toggleHelp'}, {type: 'helpScroll', delta: 5, max: 3});
		expect(state.overlay).toBe('help');
		expect(state.helpTop).toBe(3);
		state = run(state, {type: 'helpScroll', delta: -10, max: 3}, {type: 'toggleHelp'});
		expect(state).toMatchObject({overlay: 'none', helpTop: 0});
	});
});

describe('key table', () => {
	test('maps keys to actions per mode and view', () => {
		expect(matchAction('j', makeKey(), 'browse', 'jobs')).toBe('down');
		expect(matchAction('', makeKey({downArrow: true}), 'browse', 'jobs')).toBe('down');
		expect(matchAction('G', makeKey({shift: true}), 'browse', 'jobs')).toBe('bottom');
		expect(matchAction('g', makeKey(), 'browse', 'jobs')).toBe('top');
		expect(matchAction('', makeKey({escape: true}), 'browse', 'files')).toBe('back');
		expect(matchAction('c', makeKey({ctrl: true}), 'browse', 'jobs')).toBe('quit');
		expect(matchAction('c', makeKey(), 'browse', 'jobs')).toBeUndefined();
		expect(matchAction('r', makeKey(), 'browse', 'jobs')).toBeUndefined();
		expect(matchAction('r', makeKey(), 'browse', 'files')).toBe('referencedBy');
		expect(matchAction('j', makeKey(), 'filter', 'jobs')).toBeUndefined();
		expect(matchAction('', makeKey({escape: true}), 'filter', 'jobs')).toBe('filterClear');
		expect(matchAction('c', makeKey({ctrl: true}), 'filter', 'jobs')).toBe('quit');
	});

	test('every key of the table is bound to one action per mode and view', () => {
		for (const binding of KEY_BINDINGS) {
			for (const spec of binding.keys) {
				const key = 'key' in spec ? makeKey({[spec.key]: true}) : makeKey({ctrl: Boolean(spec.ctrl)});
				const input = 'input' in spec ? spec.input : '';
				const view = binding.views === 'all' ? 'files' : binding.views[0];
				expect(matchAction(input, key, binding.mode, view)).toBe(binding.action);
			}
		}
	});

	test('footer hints come from the table', () => {
		expect(footerHints('browse', 'jobs').map((hint) => hint.label)).toEqual([
			'move',
			'open',
			'back',
			'filter',
			'sort',
			'orphans',
			'impact',
			'copy path',
			'views',
			'help',
			'quit',
		]);
		expect(footerHints('browse', 'orphans').map((hint) => hint.label)).toEqual(expect.arrayContaining(['mark', 'move', 'impact']));
		expect(footerHints('browse', 'lineage').map((hint) => hint.label)).toEqual(expect.arrayContaining(['open', 'target', 'impact']));
		expect(footerHints('browse', 'files').map((hint) => hint.label)).not.toContain('impact');
		expect(footerHints('dialog', 'orphans').map((hint) => hint.label)).toEqual(['move', 'cancel']);
		expect(footerHints('panel', 'jobs').map((hint) => hint.label)).toEqual(['scroll', 'close', 'quit']);
		expect(footerHints('browse', 'checkpoint').map((hint) => hint.label)).toContain('refs');
		expect(footerHints('filter', 'jobs').map((hint) => hint.label)).toEqual(['keep', 'clear', 'move']);
	});
});

describe('marks, impact and the quarantine dialog', () => {
	const result = {
		records: [{path: '/r/a', action: 'quarantined' as const, quarantinePath: '/r/.fcx-quarantine/t/a'}],
		restoreCommand: 'mv x y',
		logPath: '/r/log',
	};

	test('toggleMark adds and removes in marking order; openConfirm needs marks', () => {
		let state = run(initialState(), {type: 'openConfirm'});
		expect(state.overlay).toBe('none');
		state = run(
			state,
			{type: 'toggleMark', path: '/r/b'},
			{type: 'toggleMark', path: '/r/a'},
			{type: 'toggleMark', path: '/r/c'},
			{type: 'toggleMark', path: '/r/b'},
		);
		expect(state.marked).toEqual(['/r/a', '/r/c']);
		state = run(state, {type: 'openConfirm'}, {type: 'confirmType', text: 'yess'}, {type: 'confirmDelete'});
		expect(state).toMatchObject({overlay: 'confirm', confirmText: 'yes'});
		state = run(state, {type: 'confirmCancel', message: 'cancelled'});
		expect(state).toMatchObject({overlay: 'none', confirmText: '', message: 'cancelled', marked: ['/r/a', '/r/c']});
		expect(run(state, {type: 'clearMessage'}).message).toBeNull();
	});

	test('a quarantine runs with the marked paths, then clears the marks and makes the view stale', () => {
		let state = run(initialState(), {type: 'toggleMark', path: '/r/a'}, {type: 'openConfirm'}, {type: 'confirmType', text: 'yes'}, {type: 'quarantineStart'});
		expect(state.quarantine).toEqual({state: 'running', paths: ['/r/a']});
		expect(state.overlay).toBe('result');
		state = run(state, {type: 'quarantineDone', result});
		expect(state).toMatchObject({overlay: 'result', marked: [], stale: true, quarantine: {state: 'done', paths: ['/r/a'], result}});
		state = run(state, {type: 'closeOverlay'});
		expect(state.overlay).toBe('none');
		const failed = run(initialState(), {type: 'toggleMark', path: '/r/a'}, {type: 'quarantineStart'}, {type: 'quarantineFailed', error: 'disk full'});
		expect(failed).toMatchObject({stale: true, marked: [], quarantine: {state: 'failed', error: 'disk full'}});
	});

	test('the impact panel opens on a target and closes', () => {
		let state = run(initialState(), {type: 'openImpact', target: {targets: ['/r/chk-1'], label: 'checkpoint chk-1'}});
		expect(state).toMatchObject({overlay: 'impact', impact: {targets: ['/r/chk-1']}});
		state = run(state, {type: 'closeOverlay'});
		expect(state).toMatchObject({overlay: 'none', impact: null});
	});

	test('Space, D, d, L, t are bound in their views only', () => {
		expect(matchAction(' ', makeKey(), 'browse', 'orphans')).toBe('mark');
		expect(matchAction(' ', makeKey(), 'browse', 'jobs')).toBeUndefined();
		expect(matchAction('D', makeKey({shift: true}), 'browse', 'orphans')).toBe('quarantine');
		expect(matchAction('d', makeKey(), 'browse', 'checkpoints')).toBe('impact');
		expect(matchAction('d', makeKey(), 'browse', 'files')).toBeUndefined();
		expect(matchAction('d', makeKey({ctrl: true}), 'browse', 'orphans')).toBe('pageDown');
		expect(matchAction('L', makeKey({shift: true}), 'browse', 'files')).toBe('lineage');
		expect(matchAction('t', makeKey(), 'browse', 'lineage')).toBe('openTarget');
		expect(matchAction('', makeKey({return: true}), 'dialog', 'orphans')).toBe('dialogSubmit');
		expect(matchAction('q', makeKey(), 'dialog', 'orphans')).toBeUndefined();
		expect(matchAction('', makeKey({escape: true}), 'panel', 'jobs')).toBe('panelClose');
	});
});

describe('splitKeyPresses', () => {
	test('splits a run of plain characters delivered together into single key presses', () => {
		const presses = splitKeyPresses('jj\r', makeKey());
		expect(presses.map(([input]) => input)).toEqual(['j', 'j', '']);
		expect(presses[2][1].return).toBe(true);
		expect(presses[0][1].return).toBe(false);
	});

	test('leaves single keys and control keys alone', () => {
		expect(splitKeyPresses('j', makeKey())).toHaveLength(1);
		expect(splitKeyPresses('', makeKey({downArrow: true}))).toHaveLength(1);
		expect(splitKeyPresses('c', makeKey({ctrl: true}))).toHaveLength(1);
	});

	test('marks upper-case letters as shifted (G goes to the bottom)', () => {
		const [[input, key]] = splitKeyPresses('Gx', makeKey()).slice(0, 1);
		expect(input).toBe('G');
		expect(key.shift).toBe(true);
	});
});
