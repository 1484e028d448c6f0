/**
 * Explorer state: a navigation stack of frames (view, cursor, filter, sort) plus overlays. The
 * reducer is pure and unit-testable; `useExplorerState` wraps it in `useReducer`.
 */
import {useReducer} from 'react';
import {SORT_KEYS, sameView, type SortKey, type ViewRef} from './views/types.js';
import {MENU_VIEWS, type ExplorerAction, type ExplorerState, type Frame} from './explorer-state-types.js';

export {MENU_VIEWS, type ExplorerAction, type ExplorerState, type Frame, type Overlay, type QuarantineState} from './explorer-state-types.js';

/** Longest text the confirmation dialog keeps (it only needs `yes`). */
const CONFIRM_MAX = 16;

/** The sort order of a freshly opened view. */
export const DEFAULT_SORT: SortKey = 'name';

/** A fresh frame for a view. */
export function newFrame(view: ViewRef): Frame {
	return {view, cursorKey: null, cursorIndex: 0, filter: '', sort: DEFAULT_SORT, reverse: false};
}

/** The initial state: the Jobs view. */
export function initialState(view: ViewRef = {type: 'jobs'}): ExplorerState {
	return {
		stack: [newFrame(view)],
		overlay: 'none',
		editingFilter: false,
		helpTop: 0,
		impact: null,
		marked: [],
		confirmText: '',
		promptText: '',
		keepLast: null,
		minAgeMs: null,
		message: null,
		quarantine: null,
		stale: false,
		menuIndex: 0,
		lastSearch: '',
		lastClick: null,
	};
}

/**
 * The state a rescan starts from: the view stack, filters, sorts and selected rows (rows are keyed by
 * path) of `previous`, the help or quarantine result panel if one was open, and `lastSearch`. Frames
 * whose subject is gone from the fresh analysis (`exists` says no: a quarantined checkpoint) are
 * dropped with the frames above them; marks that are no longer orphans (`isOrphan`) are dropped.
 * The lists are fresh, so the state is no longer stale.
 */
export function carryOver(previous: ExplorerState, exists: (view: ViewRef) => boolean, isOrphan: (path: string) => boolean): ExplorerState {
	const gone = previous.stack.findIndex((frame, position) => position > 0 && !exists(frame.view));
	const stack = gone === -1 ? previous.stack : previous.stack.slice(0, gone);
	const overlay = previous.overlay === 'result' || previous.overlay === 'help' ? previous.overlay : 'none';
	return {
		...initialState(),
		stack,
		overlay,
		helpTop: overlay === 'none' ? 0 : previous.helpTop,
		quarantine: previous.quarantine,
		marked: previous.marked.filter((path) => isOrphan(path)),
		lastSearch: previous.lastSearch,
		minAgeMs: previous.minAgeMs,
	};
}

/** The top frame. */
export function currentFrame(state: ExplorerState): Frame {
	return state.stack[state.stack.length - 1];
}

/** Index of the frame's selected row in `keys`: by key, else the clamped last position; -1 when empty. */
export function selectedIndex(frame: Frame, keys: readonly string[]): number {
	if (keys.length === 0) {
		return -1;
	}

	if (frame.cursorKey !== null) {
		// Usually the row is where the cursor last was (keys are unique): no search of 100,000 keys.
		if (keys[frame.cursorIndex] === frame.cursorKey) {
			return frame.cursorIndex;
		}

		const index = keys.indexOf(frame.cursorKey);
		if (index !== -1) {
			return index;
		}
	}

	return Math.min(Math.max(frame.cursorIndex, 0), keys.length - 1);
}

/**
 * `state` with the top frame's cursor on the row keyed `key` (the row shown selected), so that it
 * stays on that item however the list changes (a rescan, new rows before it); unchanged when `key`
 * is undefined (no row selected) or already the cursor's. A fresh frame's cursor is only a position
 * (`cursorKey` null) until then.
 */
export function pinSelected(state: ExplorerState, key: string | undefined): ExplorerState {
	return key === undefined || key === currentFrame(state).cursorKey ? state : replaceTop(state, {cursorKey: key});
}

function replaceTop(state: ExplorerState, update: Partial<Frame>): ExplorerState {
	const top = currentFrame(state);
	return {...state, stack: [...state.stack.slice(0, -1), {...top, ...update}]};
}

/** Remembers the top frame's filter as the last search when it is not empty. */
function withSearch(state: ExplorerState): ExplorerState {
	const {filter} = currentFrame(state);
	return filter === '' || filter === state.lastSearch ? state : {...state, lastSearch: filter};
}

/** The pure reducer. */
export function explorerReducer(state: ExplorerState, action: ExplorerAction): ExplorerState {
	const top = currentFrame(state);
	switch (action.type) {
		case 'move': {
			if (action.keys.length === 0) {
				return state;
			}

			const from = selectedIndex(top, action.keys);
			const to = Math.min(Math.max(from + action.delta, 0), action.keys.length - 1);
			const key = action.keys[to];
			if (key === top.cursorKey && to === top.cursorIndex) {
				return state;
			}

			return replaceTop(state, {cursorKey: key, cursorIndex: to});
		}

		case 'select': {
			const index = action.keys.indexOf(action.key);
			return index === -1 ? state : replaceTop(state, {cursorKey: action.key, cursorIndex: index});
		}

		case 'click': {
			const lastClick = Number.isFinite(action.timeMs) ? {key: action.key, timeMs: action.timeMs} : null;
			return {...explorerReducer(state, {type: 'select', key: action.key, keys: action.keys}), lastClick};
		}

		case 'open': {
			if (sameView(top.view, action.view)) {
				return {...state, overlay: 'none', editingFilter: false};
			}

			const below = pinSelected(state, action.pin).stack;
			return {...state, stack: [...below, newFrame(action.view)], overlay: 'none', editingFilter: false};
		}

		case 'back':
			if (state.stack.length === 1) {
				return state.editingFilter ? {...state, editingFilter: false} : state;
			}

			return {...state, stack: state.stack.slice(0, -1), editingFilter: false, overlay: 'none'};

		case 'goTo': {
			const root = pinSelected(state, state.stack.length === 1 ? action.pin : undefined).stack[0];
			if (action.view.type === 'jobs' || sameView(root.view, action.view)) {
				return {...state, stack: [root], overlay: 'none', editingFilter: false};
			}

			const existing = state.stack.length === 2 && sameView(state.stack[1].view, action.view) ? state.stack[1] : newFrame(action.view);
			return {...state, stack: [root, existing], overlay: 'none', editingFilter: false};
		}

		case 'filterStart':
			return {...replaceTop(state, {cursorKey: action.pin ?? top.cursorKey}), editingFilter: true, overlay: 'none'};

		case 'filterType':
			return withSearch(replaceTop(state, {filter: top.filter + action.text}));

		case 'filterDelete':
			return withSearch(replaceTop(state, {filter: [...top.filter].slice(0, -1).join('')}));

		case 'filterAccept':
			return {...state, editingFilter: false};

		case 'filterClear':
			return {...replaceTop(state, {filter: ''}), editingFilter: false};

		case 'cycleSort': {
			const next = SORT_KEYS[(SORT_KEYS.indexOf(top.sort) + 1) % SORT_KEYS.length];
			return replaceTop(state, {sort: next, reverse: false, cursorKey: action.pin ?? top.cursorKey});
		}

		case 'reverseSort':
			return replaceTop(state, {reverse: !top.reverse, cursorKey: action.pin ?? top.cursorKey});

		case 'toggleHelp':
			return {...state, overlay: state.overlay === 'help' ? 'none' : 'help', helpTop: 0, editingFilter: false};

		case 'helpScroll':
			return {...state, helpTop: Math.min(Math.max(state.helpTop + action.delta, 0), Math.max(action.max, 0))};

		case 'openMenu':
			return {...state, overlay: 'menu', editingFilter: false, menuIndex: 0};

		case 'menuMove': {
			const count = MENU_VIEWS.length;
			return {...state, menuIndex: (((state.menuIndex + action.delta) % count) + count) % count};
		}

		case 'closeOverlay':
			return {...state, overlay: 'none', impact: null};

		case 'openImpact':
			return {...state, overlay: 'impact', impact: action.target, helpTop: 0, editingFilter: false};

		case 'toggleMark':
			return {
				...state,
				marked: state.marked.includes(action.path) ? state.marked.filter((path) => path !== action.path) : [...state.marked, action.path],
			};

		case 'markMany': {
			// Sets, not includes(): 60,000 orphans marked at once would otherwise be quadratic.
			const given = new Set(action.paths);
			if (action.unmark) return {...state, marked: state.marked.filter((path) => !given.has(path))};
			const already = new Set(state.marked);
			return {...state, marked: [...state.marked, ...action.paths.filter((path) => !already.has(path))]};
		}

		case 'showMessage':
			return {...state, message: action.text};

		case 'clearMessage':
			return state.message === null ? state : {...state, message: null};

		case 'openConfirm':
			return state.marked.length === 0 ? state : {...state, overlay: 'confirm', confirmText: '', editingFilter: false};

		case 'openPrompt':
			return {...state, overlay: action.prompt, promptText: '', editingFilter: false};

		case 'promptType': {
			if (state.overlay === 'keepLast') return {...state, promptText: (state.promptText + action.text.replace(/[^0-9]/g, '')).slice(0, 6)};
			if (state.overlay === 'minAge') return {...state, promptText: (state.promptText + action.text.replace(/[^0-9a-z.]/g, '')).slice(0, 16)};
			return state;
		}

		case 'promptDelete':
			return {...state, promptText: state.promptText.slice(0, -1)};

		case 'setMinAge': {
			const unmark = new Set(action.unmark);
			const marked = unmark.size === 0 ? state.marked : state.marked.filter((path) => !unmark.has(path));
			return {...state, overlay: 'none', promptText: '', minAgeMs: action.ageMs, message: action.message, marked};
		}

		case 'openRetention':
			return {...state, overlay: 'retention', keepLast: action.keepLast, helpTop: 0};

		case 'confirmType':
			return state.overlay === 'confirm' ? {...state, confirmText: (state.confirmText + action.text).slice(0, CONFIRM_MAX)} : state;

		case 'confirmDelete':
			return {...state, confirmText: [...state.confirmText].slice(0, -1).join('')};

		case 'confirmCancel':
			return {...state, overlay: 'none', confirmText: '', message: action.message};

		case 'quarantineStart':
			return {...state, overlay: 'result', helpTop: 0, confirmText: '', quarantine: {state: 'running', paths: [...state.marked]}};

		case 'quarantineDone':
			return {
				...state,
				overlay: 'result',
				quarantine: {state: 'done', paths: state.quarantine?.paths ?? [], result: action.result},
				marked: [],
				stale: true,
			};

		case 'quarantineFailed':
			// Part of it may have happened: the lists are stale either way.
			return {...state, overlay: 'result', quarantine: {state: 'failed', paths: state.quarantine?.paths ?? [], error: action.error}, marked: [], stale: true};
	}
}

/** The state hook: state and dispatch of the explorer reducer, starting from `initial` (default: the Jobs view). */
export function useExplorerState(initial?: ExplorerState) {
	return useReducer(explorerReducer, initial, (start) => start ?? initialState());
}
