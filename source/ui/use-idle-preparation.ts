/**
 * Work the explorer does between keys, so that the next key finds it done: the filter texts of the
 * shown rows, and the views Enter and `o` open next, built and sorted ahead.
 */
import {useEffect, useLayoutEffect} from 'react';
import type {FrameCounter} from './frames.js';
import {DEFAULT_SORT} from './use-explorer-state.js';
import {prepareFilter} from './views/arrange.js';
import type {AnalysisIndex} from './views/build.js';
import {prepareAhead, type Preparation} from './views/prepare.js';
import type {Section} from './views/types.js';

/**
 * Makes the filter texts of the shown rows in the background (a few thousand rows per turn of the
 * event loop, so keys are still handled at once), so that the first filter keystroke on a big
 * list only has to search.
 */
export function useIdleFilterPreparation(sections: readonly Section[]): void {
	useEffect(() => {
		let handle: NodeJS.Immediate | undefined;
		const step = () => {
			handle = prepareFilter(sections) ? undefined : setImmediate(step);
		};

		handle = setImmediate(step);
		return () => {
			if (handle !== undefined) {
				clearImmediate(handle);
			}
		};
	}, [sections]);
}

/** The orphans view: `o`, the view most often opened next, is prepared once what Enter opens is. */
export const ORPHANS: Preparation = {view: {type: 'orphans'}, walkDown: false};

/** Longest slice of preparation between two turns of the event loop, ms (a key waits at most this long for it). */
export const PREPARE_SLICE_MS = 4;

/**
 * Builds and sorts `preparations` ahead (see `prepareAhead`) in slices of {@link PREPARE_SLICE_MS}
 * between turns of the event loop, from the turn after the commit of the frame in which they
 * change (a layout effect: a passive one would wait for the next render): a big view (100,000
 * orphans or files) then opens at once, made while the user reads the screen or types ahead.
 * With `frames` (Ink's, see `renderExplorer`), not before that commit's frame is drawn: a slice
 * can take longer than its time (a checkpoint's files resolved when first read), and the frame
 * must show first.
 */
export function useIdlePreparation(index: AnalysisIndex, preparations: readonly Preparation[], frames?: FrameCounter): void {
	const key = JSON.stringify(preparations);
	// Frames drawn before this render: when the count has moved by the layout effect, Ink drew this commit's frame at once.
	const framesBefore = frames?.count;
	useLayoutEffect(() => {
		let handle: NodeJS.Immediate | undefined;
		const step = () => {
			let ready = true;
			try {
				ready = prepareAhead(index, preparations, DEFAULT_SORT, performance.now() + PREPARE_SLICE_MS);
			} catch {
				// Not expected (a view that throws is skipped), and only a preparation: never stops the explorer.
			}

			handle = ready ? undefined : setImmediate(step);
		};

		const start = () => {
			handle = setImmediate(step);
		};

		let stopWaiting: (() => void) | undefined;
		if (frames === undefined || frames.count !== framesBefore) {
			start();
		} else {
			stopWaiting = frames.afterNext(start);
		}

		return () => {
			stopWaiting?.();
			if (handle !== undefined) {
				clearImmediate(handle);
			}
		};
		// `key` stands for `preparations` (a new array each render); `framesBefore` is read for this commit only.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [index, key, frames]);
}
