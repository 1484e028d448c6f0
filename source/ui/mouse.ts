/**
 * The mouse in the explorer: the wheel scrolls (moves the selection in lists, scrolls the help and
 * the panels), a click selects a row and a second click on it within {@link DOUBLE_CLICK_MS} opens
 * it, as Enter does (by the times the reports arrived, handed in: no clock is read here). xterm's SGR mouse reporting (modes 1000 and 1006) is on
 * only while the explorer owns the alternate screen (see `renderExplorer`): off on exit and while
 * `$PAGER` has the terminal. With it on, most terminals select text with Shift held.
 *
 * Ink hands each SGR report (`ESC [ < b ; x ; y M`) over as one input event, its ESC removed
 * (`[<64;10;5M`): {@link parseMouse} tells it from typed keys before they are split into presses.
 */
import {runAction} from './key-actions.js';
import type {ExplorerKeysContext} from './key-context.js';
import {makeKey} from './key-match.js';

/** Turns on button-press and wheel reports (1000) in SGR encoding (1006). */
export const MOUSE_ON = '\u001B[?1000h\u001B[?1006h';
/** Turns them off again. */
export const MOUSE_OFF = '\u001B[?1006l\u001B[?1000l';

/** Most ms between the two presses of a double click (the clicks of one row). */
export const DOUBLE_CLICK_MS = 400;

/** Lines (rows in a list) one notch of the wheel moves. */
export const WHEEL_LINES = 3;

/** A mouse report: `column` and `line` 0-based on the screen. */
export interface MouseEvent {
	kind: 'wheelUp' | 'wheelDown' | 'press' | 'release' | 'other';
	/** Button number of a press or release (0 left, 1 middle, 2 right). */
	button: number;
	column: number;
	line: number;
}

// Ink removes the ESC; a report handed over whole keeps it.
// eslint-disable-next-line no-control-regex
const SGR_REPORT = /^\u001B?\[<(\d{1,4});(\d{1,5});(\d{1,5})([Mm])$/u;

/** The mouse report an input event holds; `undefined` for anything else (typed keys). */
export function parseMouse(input: string): MouseEvent | undefined {
	const match = SGR_REPORT.exec(input);
	if (match === null) return undefined;
	const code = Number(match[1]);
	const column = Number(match[2]) - 1;
	const line = Number(match[3]) - 1;
	// Bits 2-4 are Shift / Meta / Ctrl, bit 5 motion; 64 and 65 the wheel.
	const base = code & ~0b1_1100;
	const button = base & 0b11;
	let kind: MouseEvent['kind'] = 'other';
	if (base === 64) kind = 'wheelUp';
	else if (base === 65) kind = 'wheelDown';
	else if (base < 32) kind = match[4] === 'M' ? 'press' : 'release';
	return {kind, button, column, line};
}

/**
 * The first input event of a legacy (X10) mouse report, `ESC [ M` then three raw bytes: a terminal
 * without SGR reporting sends those, and their bytes must not be taken for typed keys (a Space).
 */
export const LEGACY_MOUSE_PREFIX = '[M';
/** The raw bytes that follow {@link LEGACY_MOUSE_PREFIX}. */
export const LEGACY_MOUSE_BYTES = 3;

/**
 * Acts on a mouse report that arrived at `timeMs` (epoch ms): the wheel scrolls what is shown, a
 * left click on a list row selects it, and a second one on the same row within
 * {@link DOUBLE_CLICK_MS} of the first opens it (Enter).
 */
export function runMouse(event: MouseEvent, context: ExplorerKeysContext, timeMs: number): void {
	const {state, dispatch, keys} = context;
	if (event.kind === 'wheelUp' || event.kind === 'wheelDown') {
		const direction = event.kind === 'wheelUp' ? -1 : 1;
		if (state.overlay === 'help' || state.overlay === 'impact' || state.overlay === 'result') {
			dispatch({type: 'helpScroll', delta: direction * WHEEL_LINES, max: context.helpMax});
		} else if (state.overlay === 'menu') {
			dispatch({type: 'menuMove', delta: direction});
		} else if (state.overlay === 'none') {
			dispatch({type: 'move', delta: direction * WHEEL_LINES, keys});
		}

		return;
	}

	if (event.kind === 'press' && event.button === 0 && state.overlay === 'none') {
		const key = context.rowAt?.(event.column, event.line);
		if (key === undefined) return;
		const last = state.lastClick;
		const double = last?.key === key && timeMs >= last.timeMs && timeMs - last.timeMs <= DOUBLE_CLICK_MS;
		if (double && context.selectedRow?.key === key) {
			// Opening forgets the click: a third one starts again.
			runAction('open', makeKey({return: true}), context);
			dispatch({type: 'click', key, keys, timeMs: Number.NEGATIVE_INFINITY});
		} else {
			dispatch({type: 'click', key, keys, timeMs});
		}
	}
}
