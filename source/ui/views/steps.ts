/**
 * Work made in steps (generators that yield between steps), so that views can be built and
 * sorted ahead a few milliseconds at a time (see `prepare.ts`) and finished at once when needed.
 */
import type {Row} from './types.js';

/** Rows handled between two yields: a few milliseconds of work at 100,000 rows, and few yields. */
export const STEP_ROWS = 8192;

/** Whether to yield after the row at `index` (counted from 0) of a loop: after every {@link STEP_ROWS}-th. */
export function stepEnds(index: number): boolean {
	return (index + 1) % STEP_ROWS === 0;
}

/**
 * Advances `steps` until they end (`{value}`: their result) or `deadline` (a `performance.now()`
 * time, ms) passes (`undefined`: call again to go on). Makes at least one step.
 */
export function advanceSteps<T>(steps: Generator<void, T>, deadline: number): {value: T} | undefined {
	for (let step = steps.next(); ; step = steps.next()) {
		if (step.done === true) {
			return {value: step.value};
		}

		if (performance.now() >= deadline) {
			return undefined;
		}
	}
}

/** Runs `steps` to their end: their result. */
export function finishSteps<T>(steps: Generator<void, T>): T {
	return advanceSteps(steps, Number.POSITIVE_INFINITY)!.value;
}

/** `items.map(make)` in steps (see `stepEnds`). */
export function* mapInSteps<T>(items: readonly T[], make: (item: T, position: number) => Row): Generator<void, Row[]> {
	const rows = new Array<Row>(items.length);
	for (let position = 0; position < items.length; position++) {
		rows[position] = make(items[position], position);
		if (stepEnds(position)) {
			yield;
		}
	}

	return rows;
}
