/**
 * Reading key presses against the binding table of `keys.ts`: which action a key is in a mode and
 * view, where a key bound elsewhere works, the footer's hints, and the views' names in messages.
 */
import type {Key} from 'ink';
import {KEY_BINDINGS, type ActionId, type KeyBinding, type KeyMode, type KeySpec} from './keys.js';
import type {ViewType} from './views/types.js';

/** Whether a key press matches a key spec. */
export function matchesSpec(spec: KeySpec, input: string, key: Key): boolean {
	if ('key' in spec) {
		return key[spec.key];
	}

	return input === spec.input && Boolean(spec.ctrl) === key.ctrl;
}

/** Whether a binding applies in a view. */
export function appliesTo(binding: KeyBinding, view: ViewType): boolean {
	return binding.views === 'all' || binding.views.includes(view);
}

/** The views by their names in the help and in messages. */
export const VIEW_NAMES: Record<ViewType, string> = {
	jobs: 'Jobs',
	checkpoints: 'Checkpoints',
	checkpoint: 'Checkpoint',
	files: 'Files',
	orphans: 'Orphans',
	orphanDirs: 'Orphans by directory',
	directory: 'Directory',
	missing: 'Missing files',
	warnings: 'Warnings',
	referencedBy: 'Referenced by',
	lineage: 'Lineage',
	storage: 'Storage',
	quarantines: 'Quarantines',
};

/**
 * For a key press bound in `mode` in other views but not in `view`: where it works (`r works in:
 * Checkpoint, Files, …`), so that it does not seem to do nothing; `undefined` otherwise.
 */
export function elsewhereMessage(input: string, key: Key, mode: KeyMode, view: ViewType): string | undefined {
	const binding = KEY_BINDINGS.find(
		(candidate) => candidate.mode === mode && !appliesTo(candidate, view) && candidate.keys.some((spec) => matchesSpec(spec, input, key)),
	);
	return binding === undefined || binding.views === 'all'
		? undefined
		: `${binding.display} works in the views: ${binding.views.map((name) => VIEW_NAMES[name]).join(', ')} (? for help)`;
}

/** The action bound to a key press in a mode and view; `undefined` when none. */
export function matchAction(input: string, key: Key, mode: KeyMode, view: ViewType): ActionId | undefined {
	for (const binding of KEY_BINDINGS) {
		if (binding.mode === mode && appliesTo(binding, view) && binding.keys.some((spec) => matchesSpec(spec, input, key))) {
			return binding.action;
		}
	}

	return undefined;
}

/** Whether a key press is Ctrl-C (always quits, in every mode and overlay). */
export function isCtrlC(input: string, key: Key): boolean {
	return key.ctrl && input === 'c';
}

/** Footer hints of a mode and view, from the table. */
export function footerHints(mode: KeyMode, view: ViewType): {keys: string; label: string}[] {
	return KEY_BINDINGS.filter((binding) => binding.mode === mode && binding.hint !== undefined && appliesTo(binding, view)).map((binding) => binding.hint!);
}

/** A blank `Key` with some flags set (for tests and synthetic key presses). */
export function makeKey(flags: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...flags,
	};
}
