/**
 * The key hook: maps key presses (through the binding table in `keys.ts`) to reducer actions.
 * It holds no state of its own.
 */
import {useInput, type Key} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {runAction, type ExplorerKeysContext} from './key-actions.js';
import type {ActionId} from './keys.js';
import {elsewhereMessage, isCtrlC, matchAction} from './key-match.js';
import {LEGACY_MOUSE_BYTES, LEGACY_MOUSE_PREFIX, parseMouse, runMouse} from './mouse.js';
import {currentFrame} from './use-explorer-state.js';

export {markRefusal, READ_ONLY_MESSAGE, runAction, STALE_MESSAGE, type ExplorerKeysContext, type TypeAhead} from './key-actions.js';

/** How far a movement key scrolls the help screen or a panel, in lines; `undefined` for other actions. */
function scrollDelta(action: ActionId, context: ExplorerKeysContext): number | undefined {
	switch (action) {
		case 'up':
			return -1;
		case 'down':
			return 1;
		case 'pageUp':
			return -context.helpPageSize;
		case 'pageDown':
			return context.helpPageSize;
		case 'top':
			return -Infinity;
		case 'bottom':
			return Infinity;
		default:
			return undefined;
	}
}

/**
 * Handles one key press (or mouse report) in the current mode (overlay, filter typing or browsing);
 * `timeMs`: when it arrived, epoch ms (a double click is two clicks close in time).
 */
export function handleKey(input: string, key: Key, context: ExplorerKeysContext, timeMs = Date.now()): void {
	const {state, dispatch} = context;
	if (isCtrlC(input, key)) {
		context.onQuit();
		return;
	}

	const mouse = parseMouse(input);
	if (mouse !== undefined) {
		runMouse(mouse, context, timeMs);
		return;
	}

	const view = currentFrame(state).view.type;
	if (state.overlay === 'menu') {
		const action = matchAction(input, key, 'menu', view);
		if (action === 'up' || action === 'down') {
			dispatch({type: 'menuMove', delta: action === 'up' ? -1 : 1});
		} else if (action) {
			runAction(action, key, context);
		}

		return;
	}

	if (state.message !== null) {
		// A message lasts until the next key press.
		dispatch({type: 'clearMessage'});
	}

	if (state.overlay === 'keepLast' || state.overlay === 'minAge') {
		const action = matchAction(input, key, 'prompt', view);
		if (action) {
			runAction(action, key, context);
		} else if (input !== '' && !key.ctrl && !key.meta) {
			// The reducer keeps what the prompt takes: digits for N, a duration's characters for an age.
			dispatch({type: 'promptType', text: input});
		}

		return;
	}

	if (state.overlay === 'impact' || state.overlay === 'result' || state.overlay === 'retention') {
		const action = matchAction(input, key, 'panel', view);
		const delta = action === undefined ? undefined : scrollDelta(action, context);
		if (delta !== undefined) {
			dispatch({type: 'helpScroll', delta, max: context.helpMax});
		} else if (action) {
			runAction(action, key, context);
		}

		return;
	}

	if (state.overlay === 'confirm') {
		const action = matchAction(input, key, 'dialog', view);
		if (action) {
			runAction(action, key, context);
		} else if (input !== '' && !key.ctrl && !key.meta && !key.tab) {
			dispatch({type: 'confirmType', text: input});
		}

		return;
	}

	if (state.overlay === 'help') {
		const action = matchAction(input, key, 'browse', view);
		const delta = action === undefined ? undefined : scrollDelta(action, context);
		if (action === 'quit') {
			context.onQuit();
		} else if (delta !== undefined) {
			dispatch({type: 'helpScroll', delta, max: context.helpMax});
		} else if (action === 'help' || action === 'back' || action === 'open') {
			dispatch({type: 'closeOverlay'});
		}

		return;
	}

	if (state.editingFilter) {
		const action = matchAction(input, key, 'filter', view);
		if (action) {
			runAction(action, key, context);
		} else if (input !== '' && !key.ctrl && !key.meta && !key.tab) {
			dispatch({type: 'filterType', text: input});
		}

		return;
	}

	const action = matchAction(input, key, 'browse', view);
	if (action) {
		runAction(action, key, context);
	} else {
		const elsewhere = elsewhereMessage(input, key, 'browse', view);
		if (elsewhere !== undefined) {
			dispatch({type: 'showMessage', text: elsewhere});
		}
	}
}

/**
 * Split what Ink delivers as one input event into single key presses. Ink already separates escape
 * sequences, but a run of plain characters arriving together (fast typing, tmux `send-keys j Enter`,
 * a paste) comes as one string such as `"j\r"`, which would match no binding.
 */
export function splitKeyPresses(input: string, key: Key): [string, Key][] {
	if (input.length <= 1 || key.ctrl || key.meta || parseMouse(input) !== undefined) return [[input, key]];
	const plain: Key = {...key, return: false, backspace: false, delete: false, tab: false, shift: false};
	return [...input].map((char): [string, Key] => {
		if (char === '\r' || char === '\n') return ['', {...plain, return: true}];
		if (char === '\u007F' || char === '\b') return ['', {...plain, backspace: true}];
		if (char === '\t') return ['', {...plain, tab: true}];
		return [char, {...plain, shift: /[A-Z]/.test(char)}];
	});
}

/**
 * The key hook of the explorer. The handler is stable and reads the latest context from a ref, so
 * a key pressed right after a re-render never acts on the previous screen. Key presses that arrive
 * before the screen has been rendered after the last one (several in one input chunk: fast typing
 * over a laggy SSH session, tmux `send-keys Down Enter`, a paste; Ink hands over each escape
 * sequence of a chunk as an event of its own, all before React renders) are queued and handled one
 * per render, each against the screen the previous one left: else Enter after Down opened the row
 * the cursor was on before the move.
 */
export function useExplorerKeys(context: ExplorerKeysContext): void {
	const latest = useRef(context);
	latest.current = context;
	/**
	 * Whether a key pressed since this render changed the explorer's state: the context is stale
	 * until the next render. (A key that changes nothing, such as one no binding names, leaves it
	 * current.)
	 */
	const changedSinceRender = useRef(false);
	changedSinceRender.current = false;
	// Each press with the time it arrived (epoch ms), which a queued one keeps.
	const queue = useRef<[string, Key, number][]>([]);
	const [queued, setQueued] = useState(0);
	const act = useCallback((input: string, key: Key, timeMs: number) => {
		const current = latest.current;
		handleKey(
			input,
			key,
			{
				...current,
				dispatch(action) {
					changedSinceRender.current = true;
					current.dispatch(action);
				},
			},
			timeMs,
		);
	}, []);
	// Raw bytes of a legacy mouse report still to come (see `LEGACY_MOUSE_PREFIX`): dropped, not typed.
	const legacyMouseBytes = useRef(0);
	const handler = useCallback(
		(typed: string, key: Key) => {
			let input = typed;
			if (input === LEGACY_MOUSE_PREFIX) {
				legacyMouseBytes.current = LEGACY_MOUSE_BYTES;
				return;
			}

			if (legacyMouseBytes.current > 0) {
				// A named key (`input` empty: a byte read as Delete) is one byte too.
				const characters = [...input];
				const dropped = Math.min(legacyMouseBytes.current, Math.max(1, characters.length));
				legacyMouseBytes.current -= dropped;
				input = characters.slice(dropped).join('');
				if (input === '') return;
			}

			const timeMs = latest.current.now?.() ?? Date.now();
			let presses = splitKeyPresses(input, key).map(([one, oneKey]): [string, Key, number] => [one, oneKey, timeMs]);
			if (queue.current.length === 0 && !changedSinceRender.current) {
				act(presses[0][0], presses[0][1], timeMs);
				presses = presses.slice(1);
			}

			if (presses.length > 0) {
				queue.current.push(...presses);
				setQueued((n) => n + 1);
			}
		},
		[act],
	);
	useEffect(() => {
		const next = queue.current.shift();
		if (next === undefined) return;
		act(next[0], next[1], next[2]);
		if (queue.current.length > 0) setQueued((n) => n + 1);
	}, [queued, act]);
	useInput(handler);
	// After `useInput` subscribed (effects run in order): take over the keys typed while loading.
	useEffect(() => {
		const typed = latest.current.typedAhead;
		if (typed === undefined) return;
		typed.taken = true;
		const timeMs = latest.current.now?.() ?? Date.now();
		const presses = typed.keys.flatMap(([input, key]) => splitKeyPresses(input, key).map(([one, oneKey]): [string, Key, number] => [one, oneKey, timeMs]));
		typed.keys = [];
		if (presses.length > 0) {
			queue.current.push(...presses);
			setQueued((n) => n + 1);
		}
	}, []);
}
