/**
 * Row builders: each view turns the `Analysis` into sections of rows. Presentation only (labels,
 * cells, marks, details); every number comes from the analysis. Built views are cached per
 * analysis; the two that can hold 100,000 rows are built in steps that can run ahead of their use
 * ({@link prepareView}).
 */
import {shortJobId} from '../format.js';
import {baseName} from '../../tree/layout.js';
import {advanceSteps, finishSteps} from './steps.js';
import type {ListModel, ViewRef} from './types.js';
import {type AnalysisIndex, checkpointLabel} from './analysis-index.js';
import {buildCheckpoints} from './checkpoints-view.js';
import {buildJobs} from './jobs-view.js';
import {buildReferencedBy} from './referenced-by-view.js';
import {buildCheckpoint} from './checkpoint-view.js';
import {buildFiles} from './files-view.js';
import {buildOrphans, orphansCrumb} from './orphans-view.js';
import {buildOrphanDirs} from './orphan-dirs-view.js';
import {buildDirectory} from './directory-view.js';
import {buildMissing} from './missing-view.js';
import {buildWarnings} from './warnings-view.js';
import {buildLineage} from './lineage-view.js';
import {buildStorage} from './storage-view.js';
import {buildQuarantines} from './quarantines-view.js';

// The lookups every view uses, for the explorer and its components (one import for the views' entry points).
export {checkpointLabel, indexAnalysis, relativeToRoot, type AnalysisIndex, type LineageResult} from './analysis-index.js';

/** The breadcrumb label of a view, without building its rows. */
export function viewCrumb(index: AnalysisIndex, view: ViewRef): string {
	switch (view.type) {
		case 'jobs':
			return 'Jobs';
		case 'checkpoints': {
			const job = index.jobByPath.get(view.jobPath);
			return job ? shortJobId(job.jobId) : baseName(view.jobPath);
		}

		case 'checkpoint': {
			const checkpoint = index.checkpointByPath.get(view.checkpointPath);
			return checkpoint ? checkpointLabel(checkpoint) : baseName(view.checkpointPath);
		}

		case 'files':
			return `${baseName(view.dependencyPath) || view.dependencyPath}/`;
		case 'orphans':
			return orphansCrumb(index, view.dir);
		case 'orphanDirs':
			return 'Orphans by directory';
		case 'directory':
			return `${baseName(view.path) || view.path}/`;
		case 'missing':
			return 'Missing files';
		case 'warnings':
			return 'Warnings';
		case 'referencedBy':
			return `Referenced by ${baseName(view.path) || view.path}`;
		case 'lineage':
			return 'Lineage';
		case 'storage':
			return 'Storage';
		case 'quarantines':
			return 'Quarantines';
	}
}

/**
 * The steps of building the rows of a view: the two views that can hold 100,000 rows (a
 * directory's files, the orphans) yield every few thousand rows; the others are one step.
 */
function* buildSteps(index: AnalysisIndex, view: ViewRef): Generator<void, ListModel> {
	switch (view.type) {
		case 'jobs':
			return buildJobs(index);
		case 'checkpoints':
			return buildCheckpoints(index, view.jobPath);
		case 'checkpoint':
			return buildCheckpoint(index, view.checkpointPath);
		case 'files':
			return yield* buildFiles(index, view.checkpointPath, view.dependencyPath);
		case 'orphans':
			return yield* buildOrphans(index, view.dir);
		case 'orphanDirs':
			return buildOrphanDirs(index);
		case 'directory':
			return yield* buildDirectory(index, view.path);
		case 'missing':
			return buildMissing(index);
		case 'warnings':
			return buildWarnings(index);
		case 'referencedBy':
			return buildReferencedBy(index, view.path);
		case 'lineage':
			return buildLineage(index);
		case 'storage':
			return buildStorage(index, view.jobPath);
		case 'quarantines':
			return buildQuarantines(index);
	}
}

/** Builds the rows of a view. */
export function buildView(index: AnalysisIndex, view: ViewRef): ListModel {
	return finishSteps(buildSteps(index, view));
}

/** How many built views an analysis keeps (the big ones hold up to 100,000 rows). */
const VIEW_CACHE_SIZE = 8;

/** How many builds under way an analysis keeps (the oldest is dropped, its work lost). */
const PENDING_BUILDS = 4;

/** How many views built ahead and not opened yet an analysis keeps (apart: they never push out an opened view). */
export const VIEWS_KEPT_AHEAD = 8;

interface ViewCache {
	/** Opened views ({@link cachedView}) by `JSON.stringify(view)`, least recently used first. */
	built: Map<string, ListModel>;
	/** Views built ahead ({@link prepareView}) and not opened yet, oldest first. */
	ahead: Map<string, ListModel>;
	/** Builds under way, oldest first. */
	pending: Map<string, Generator<void, ListModel>>;
}

const viewCaches = new WeakMap<AnalysisIndex, ViewCache>();

function viewCache(index: AnalysisIndex): ViewCache {
	let cache = viewCaches.get(index);
	if (cache === undefined) {
		cache = {built: new Map(), ahead: new Map(), pending: new Map()};
		viewCaches.set(index, cache);
	}

	return cache;
}

/** Keeps `model` as the most recently used of `views` (the least recently used goes beyond `size`). */
function keep(views: Map<string, ListModel>, size: number, key: string, model: ListModel): void {
	views.delete(key);
	if (views.size >= size) {
		views.delete(views.keys().next().value!);
	}

	views.set(key, model);
}

/**
 * Advances the build of `view` (key `key`) until it ends or `deadline` passes: the built view
 * (not kept anywhere yet), or `undefined` with the build kept to go on with.
 */
function advanceBuild(index: AnalysisIndex, cache: ViewCache, key: string, view: ViewRef, deadline: number): ListModel | undefined {
	let steps = cache.pending.get(key);
	if (steps === undefined) {
		steps = buildSteps(index, view);
		if (cache.pending.size >= PENDING_BUILDS) {
			cache.pending.delete(cache.pending.keys().next().value!);
		}

		cache.pending.set(key, steps);
	}

	let done: {value: ListModel} | undefined;
	try {
		done = advanceSteps(steps, deadline);
	} catch (error) {
		// A build that threw is done: the next use starts over (and throws again).
		cache.pending.delete(key);
		throw error;
	}

	if (done !== undefined) {
		cache.pending.delete(key);
	}

	return done?.value;
}

/**
 * Advances the build of `view` until it is built or `deadline` (a `performance.now()` time, ms)
 * passes: the built view, or `undefined` with the build kept to go on with (by this or by
 * {@link cachedView}). A view built here is kept apart from the opened ones until it is opened
 * (the {@link VIEWS_KEPT_AHEAD} most recently prepared). Throws what the build throws.
 */
export function prepareView(index: AnalysisIndex, view: ViewRef, deadline = Number.POSITIVE_INFINITY): ListModel | undefined {
	const cache = viewCache(index);
	const key = JSON.stringify(view);
	const opened = cache.built.get(key);
	if (opened !== undefined) {
		return opened;
	}

	const model = cache.ahead.get(key) ?? advanceBuild(index, cache, key, view, deadline);
	if (model !== undefined) {
		// Kept, or refreshed as the most recently prepared.
		keep(cache.ahead, VIEWS_KEPT_AHEAD, key, model);
	}

	return model;
}

/**
 * `buildView`, memoised per analysis index and view: going back to a view, or opening it again,
 * reuses its rows (and so their computed cells and the sorts and filters made on them). Keeps
 * the {@link VIEW_CACHE_SIZE} most recently opened views; takes a view built ahead, and finishes
 * a build under way ({@link prepareView}).
 */
export function cachedView(index: AnalysisIndex, view: ViewRef): ListModel {
	const cache = viewCache(index);
	const key = JSON.stringify(view);
	// Taken from the views built ahead, not kept there first: that could push out another one.
	const model = cache.built.get(key) ?? cache.ahead.get(key) ?? advanceBuild(index, cache, key, view, Number.POSITIVE_INFINITY)!;
	cache.ahead.delete(key);
	keep(cache.built, VIEW_CACHE_SIZE, key, model);
	return model;
}

/** Whether the subject of a view is still in the analysis (a rescan after a quarantine may have removed a checkpoint). */
export function viewExists(index: AnalysisIndex, view: ViewRef): boolean {
	switch (view.type) {
		case 'checkpoints':
			return index.jobByPath.has(view.jobPath);
		case 'checkpoint':
			return index.checkpointByPath.has(view.checkpointPath);
		case 'files':
			return index.checkpointByPath.get(view.checkpointPath)?.dependencies.some((dependency) => dependency.path === view.dependencyPath) ?? false;
		default:
			return true;
	}
}
