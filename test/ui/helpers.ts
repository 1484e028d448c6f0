/** Helpers to drive the explorer with ink-testing-library. */
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

/** A rendered tree and the ways the tests drive it. */
export interface SizedRender {
	frame: () => string;
	press: (...keys: string[]) => Promise<void>;
	pressSlowly: (...keys: string[]) => Promise<void>;
	resize: (columns: number, rows: number) => Promise<void>;
	unmount: () => void;
}

/** Renders `tree` in a fake terminal of `columns`×`rows` (resized through a stdout 'resize' event). */
export async function renderSized(tree: ReactElement, columns = 100, rows = 30): Promise<SizedRender> {
	const instance = render(tree);
	const resize = async (newColumns: number, newRows: number) => {
		Object.defineProperty(instance.stdout, 'columns', {value: newColumns, configurable: true});
		Object.defineProperty(instance.stdout, 'rows', {value: newRows, configurable: true});
		instance.stdout.emit('resize');
		await tick();
	};

	await resize(columns, rows);
	const pressWith = async (ms: number, ...keys: string[]) => {
		for (const key of keys) {
			instance.stdin.write(key);
			await tick(ms);
		}
	};

	const frame = () => instance.lastFrame() ?? '';
	const press = async (...keys: string[]) => pressWith(20, ...keys);
	/**
	 * For ink-select-input menus, whose key handler is re-subscribed in a passive effect after each
	 * move: each key waits for the screen to change (up to 2 s, for a loaded machine), then settles.
	 */
	const pressSlowly = async (...keys: string[]) => {
		await tick(80);
		for (const key of keys) {
			const before = frame();
			instance.stdin.write(key);
			const deadline = Date.now() + 2000;
			while (frame() === before && Date.now() < deadline) {
				await tick(10);
			}

			await tick(80);
		}
	};

	return {unmount: instance.unmount, resize, press, pressSlowly, frame};
}
