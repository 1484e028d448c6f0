/**
 * The frames Ink has drawn, for work that must wait for one: Ink draws a commit at once when no
 * frame was drawn in the last 33 ms, else from a timer, and a timer waits for whatever the event
 * loop runs first. The explorer's preparations of views ahead run between turns of the event loop;
 * started before such a frame, one long step of theirs (a checkpoint's 102,400 files resolved
 * when first read) held the explorer's first frame on a 16 MB `_metadata` back by 0.3-0.4 s.
 */

/** Counts Ink's frames (see `renderExplorer`: Ink's `onRender` calls {@link FrameCounter.drawn}). */
export interface FrameCounter {
	/** Frames drawn so far. */
	readonly count: number;
	/** Calls `listener` once, after the next frame is drawn; returns a function that cancels it. */
	afterNext(listener: () => void): () => void;
	/** Ink drew a frame. */
	drawn(): void;
}

/** A {@link FrameCounter} at 0 frames. */
export function frameCounter(): FrameCounter {
	let count = 0;
	let listeners: Array<() => void> = [];
	return {
		get count() {
			return count;
		},
		afterNext(listener) {
			listeners.push(listener);
			return () => {
				listeners = listeners.filter((other) => other !== listener);
			};
		},
		drawn() {
			count++;
			const waiting = listeners;
			listeners = [];
			for (const listener of waiting) {
				listener();
			}
		},
	};
}
