/**
 * Helpers to drive the explorer with ink-testing-library. Nothing here waits a fixed time for the
 * explorer: a key is followed by the turns of the event loop the explorer's work runs in, and a
 * test waits for the frame (or the call) it expects with {@link waitFor}, so a loaded machine is
 * only slower, never wrong.
 */
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';

export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
	ctrlC: '\u0003',
};

export const tick = (ms = 20) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One turn of the event loop (its check phase: where Ink, React's scheduler and the explorer's steps run). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long {@link waitFor} waits by default, ms: far beyond a loaded 2-core machine's worst, well within a test's timeout. */
export const WAIT_MS = 5000;

/**
 * Waits until `expected` holds: a predicate (true, or a call that stops throwing, e.g. an
 * `expect(mock).toHaveBeenCalledWith(…)`), or a text or pattern that the frame `frame()` contains.
 * Checks after every turn of the event loop (and every 5 ms once no work is left). Throws after
 * `timeout` ms with the last failure, or the text and the last frame.
 */
export async function waitFor(frame: () => string, expected: string | RegExp | (() => unknown), timeout = WAIT_MS): Promise<void> {
	const check = typeof expected === 'function' ? expected : () => (typeof expected === 'string' ? frame().includes(expected) : expected.test(frame()));
	const deadline = Date.now() + timeout;
	for (let turns = 0; ; turns++) {
		let failure: unknown;
		try {
			if (check() !== false) {
				return;
			}
		} catch (error) {
			failure = error;
		}

		if (Date.now() >= deadline) {
			if (failure !== undefined) {
				throw failure;
			}

			throw new Error(`waited ${timeout} ms for ${typeof expected === 'function' ? 'a condition' : String(expected)}; the frame is:\n${frame()}`);
		}

		// Turns of the event loop first (the explorer's work), then a short sleep, not to spin on a loaded machine.
		await (turns < 50 ? turn() : tick(5));
	}
}

/** A rendered tree and the ways the tests drive it. */
export interface SizedRender {
	frame: () => string;
	/** Types each key once the explorer has handled the one before (see {@link settle}). */
	press: (...keys: string[]) => Promise<void>;
	pressSlowly: (...keys: string[]) => Promise<void>;
	resize: (columns: number, rows: number) => Promise<void>;
	/** {@link waitFor} on this render's frame. */
	waitFor: (expected: string | RegExp | (() => unknown), timeout?: number) => Promise<void>;
	unmount: () => void;
}

/** Turns in a row without a new frame that count as settled. */
const SETTLED_TURNS = 3;

/**
 * Waits until the explorer is done with a key: the frame has not changed for a few turns of the
 * event loop. Its work after a key (React's passive effects, which subscribe the key handler of the
 * new state; Ink's flush of a lone Escape; building and preparing views in steps) all runs in turns
 * of the event loop, so this counts turns, not milliseconds.
 */
async function settle(frame: () => string): Promise<void> {
	let previous = frame();
	for (let quiet = 0; quiet < SETTLED_TURNS;) {
		await turn();
		const current = frame();
		quiet = current === previous ? quiet + 1 : 0;
		previous = current;
	}
}

/** Renders `tree` in a fake terminal of `columns`×`rows` (resized through a stdout 'resize' event). */
export async function renderSized(tree: ReactElement, columns = 100, rows = 30): Promise<SizedRender> {
	const instance = render(tree);
	const frame = () => instance.lastFrame() ?? '';
	const resize = async (newColumns: number, newRows: number) => {
		Object.defineProperty(instance.stdout, 'columns', {value: newColumns, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: newRows, configurable: true});
		instance.stdout.emit('resize');
		await settle(frame);
	};

	await resize(columns, rows);
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			instance.stdin.write(key);
			await settle(frame);
		}
	};

	/**
	 * For ink-select-input menus, whose key handler is re-subscribed in a passive effect after each
	 * move: each key waits for the screen to change (up to {@link WAIT_MS}), then settles.
	 */
	const pressSlowly = async (...keys: string[]) => {
		await settle(frame);
		for (const key of keys) {
			const before = frame();
			instance.stdin.write(key);
			await waitFor(frame, () => frame() !== before).catch(() => undefined);
			await settle(frame);
		}
	};

	return {unmount: instance.unmount, resize, press, pressSlowly, frame, waitFor: async (expected, timeout) => waitFor(frame, expected, timeout)};
}
