/**
 * Preparing views ahead of their use, in slices: what Enter on the selected row opens (and, down
 * the jobs → checkpoints → checkpoint → files walk, the views Enter opens next) is built and
 * sorted while the user reads the screen or types ahead, a few milliseconds at a time
 * so that keys are still handled at once. Work left when the cursor moves on is kept (see
 * `prepareView`, `prepareSort`) and finished by whoever needs it first.
 */
import {measureSection} from '../columns.js';
import {flatten, prepareSort, sortSection} from './arrange.js';
import {prepareView, VIEWS_KEPT_AHEAD, type AnalysisIndex} from './build.js';
import type {Section, SortKey, ViewRef} from './types.js';

/** Most directories of a checkpoint prepared by the walk down (it has a few: its own, `shared/`, those of the jobs it was restored from). */
const CHECKPOINT_DIRECTORIES = 3;

/**
 * Where the walk down goes on from a prepared view (sorted by `sort`): from a job's checkpoints,
 * the first (where the cursor lands); from a checkpoint, each of its directories (the user picks
 * one); from anything else, nowhere.
 */
function walkOn(view: ViewRef, sections: readonly Section[], sort: SortKey): ViewRef[] {
	const opens = (section: Section, limit: number): ViewRef[] => {
		const found: ViewRef[] = [];
		for (const row of sortSection(section, sort).rows) {
			if (found.length === limit) {
				break;
			}

			if (row.open !== undefined) {
				found.push(row.open);
			}
		}

		return found;
	};

	switch (view.type) {
		case 'checkpoints':
			return sections.flatMap((section) => opens(section, 1)).slice(0, 1);
		case 'checkpoint':
			return sections.flatMap((section) => opens(section, CHECKPOINT_DIRECTORIES)).slice(0, CHECKPOINT_DIRECTORIES);
		default:
			return [];
	}
}

/** Views whose preparation threw, by analysis index (as `JSON.stringify(view)`). */
const failed = new WeakMap<AnalysisIndex, Set<string>>();

/** What to prepare: a view, and whether to follow the walk down from it. */
export interface Preparation {
	view: ViewRef;
	/** Also prepare where the walk down goes on from the view (see {@link walkOn}). */
	walkDown: boolean;
}

/**
 * Builds and sorts (by `sort`) the views of `preparations`, in order, until `deadline` (a
 * `performance.now()` time, ms): `true` once all are ready, `false` when the deadline passed
 * first (call again to go on: what is done is cached). At least one step is made per call.
 * At most `VIEWS_KEPT_AHEAD` views are prepared (more would push the first ones out of the
 * cache, to be built again on the next call). A view whose build or sort throws is left
 * unprepared (and not tried again for `index`); the others are still prepared.
 */
export function prepareAhead(index: AnalysisIndex, preparations: readonly Preparation[], sort: SortKey, deadline: number): boolean {
	let budget = VIEWS_KEPT_AHEAD;
	const prepare = (view: ViewRef, walkDown: boolean): boolean => {
		if (budget === 0) {
			return true;
		}

		budget--;

		const key = JSON.stringify(view);
		if (failed.get(index)?.has(key) === true) {
			return true;
		}

		let model;
		try {
			model = prepareView(index, view, deadline);
			if (model === undefined) {
				return false;
			}

			for (const section of model.sections) {
				if (!prepareSort(section, sort, deadline)) {
					return false;
				}

				// What its columns hold (a sample of up to 1,000 rows' cells): the first frame's widths.
				measureSection(sortSection(section, sort));
			}

			// A single section's keys (100,000: 5-15 ms), cached with it (`flatten`): the first frame finds them.
			if (model.sections.length === 1) {
				flatten([sortSection(model.sections[0], sort)]);
			}
		} catch {
			// Only a preparation: opening the view for real shows what went wrong. The other
			// views are still prepared, and this one is not tried again (it would throw again).
			const views = failed.get(index) ?? new Set<string>();
			views.add(key);
			failed.set(index, views);
			return true;
		}

		return !walkDown || walkOn(view, model.sections, sort).every((next) => prepare(next, true));
	};

	return preparations.every(({view, walkDown}) => prepare(view, walkDown));
}
