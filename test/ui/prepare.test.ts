/**
 * Views and sorts prepared ahead in steps (`prepareView`, `prepareSort`, `prepareAhead`) give what
 * building and sorting at once gives, are finished by whoever needs them first, and never push
 * an opened view out of the cache.
 */
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {prepareSort, sortSection} from '../../source/ui/views/arrange.js';
import {buildView, cachedView, indexAnalysis, prepareView} from '../../source/ui/views/build.js';
import {prepareAhead} from '../../source/ui/views/prepare.js';
import type {Row, Section, SortKey, ViewRef} from '../../source/ui/views/types.js';
import {makeAnalysis, withManyFiles} from './fixture.js';

/** A past deadline: each call makes one step. */
const AT_ONCE = Number.NEGATIVE_INFINITY;

const keysOf = (section: Section): string[] => section.rows.map((row) => row.key);

/** Rows with random names (hex, digits, some equal) and sizes. */
function manyRows(count: number, seed: number): Row[] {
	const rows: Row[] = [];
	for (let index = 0; index < count; index++) {
		const hash = ((index + seed) * 2_654_435_761) >>> 0;
		const name = hash % 5 === 0 ? `chk-${hash % 300}` : hash.toString(16).slice(0, 2 + (hash % 7));
		rows.push({key: `k${index}`, cells: [name], marks: [], sortName: name, sortSize: hash % 1000, sortTime: hash % 13, details: () => []});
	}

	return rows;
}

describe('preparing ahead', () => {
	test('a sort made in steps, then finished by sortSection, equals the sort made at once', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 8193, max: 30_000}),
				fc.nat(1000),
				fc.constantFrom<SortKey>('name', 'size', 'time'),
				fc.nat(6),
				(count, seed, sort, steps) => {
					const rows = manyRows(count, seed);
					const stepped: Section = {id: 's', columns: [], rows, empty: ''};
					// More than one step's rows: not sorted after the first step.
					expect(prepareSort(stepped, sort, AT_ONCE)).toBe(false);
					for (let step = 0; step < steps; step++) {
						prepareSort(stepped, sort, AT_ONCE);
					}

					const atOnce = sortSection({...stepped, rows: [...rows]}, sort);
					expect(keysOf(sortSection(stepped, sort))).toEqual(keysOf(atOnce));
					// Done now, and cached.
					expect(prepareSort(stepped, sort, AT_ONCE)).toBe(true);
					expect(sortSection(stepped, sort)).toBe(sortSection(stepped, sort));
				},
			),
			{numRuns: 12},
		);
	});

	test('a big view is built in steps; cachedView finishes it with the rows buildView makes', () => {
		const index = indexAnalysis(withManyFiles(20_000));
		const checkpoint = index.analysis.checkpoints[0];
		const view: ViewRef = {type: 'files', checkpointPath: checkpoint.path, dependencyPath: checkpoint.dependencies[0].path};
		expect(prepareView(index, view, AT_ONCE)).toBeUndefined();
		expect(prepareView(index, view, AT_ONCE)).toBeUndefined();
		const model = cachedView(index, view);
		expect(keysOf(model.sections[0])).toEqual(keysOf(buildView(index, view).sections[0]));
		expect(model.sections[0].rows).toHaveLength(20_001);
		expect(prepareView(index, view, AT_ONCE)).toBe(model);
		expect(cachedView(index, view)).toBe(model);
	});

	test('views built ahead never push an opened view out of the cache', () => {
		const index = indexAnalysis(makeAnalysis());
		const [jobA, jobB] = index.analysis.jobs;
		const opened: ViewRef[] = [
			{type: 'jobs'},
			{type: 'orphans'},
			{type: 'missing'},
			{type: 'warnings'},
			{type: 'lineage'},
			{type: 'checkpoints', jobPath: jobA.path},
			{type: 'checkpoints', jobPath: jobB.path},
			{type: 'checkpoint', checkpointPath: jobA.checkpoints[0].path},
		];
		const models = opened.map((view) => cachedView(index, view));
		for (const checkpoint of index.analysis.checkpoints) {
			prepareView(index, {type: 'referencedBy', path: checkpoint.path});
			prepareView(index, {type: 'checkpoint', checkpointPath: checkpoint.path});
		}

		for (const [position, view] of opened.entries()) {
			expect(cachedView(index, view)).toBe(models[position]);
		}
	});

	test("from a job, its first checkpoint and that checkpoint's directories (with their files) are built and sorted ahead", () => {
		const analysis = withManyFiles(20_000);
		const [checkpoint] = analysis.checkpoints;
		const job = analysis.jobs.find((candidate) => candidate.checkpoints.includes(checkpoint))!;
		const index = indexAnalysis(analysis);
		const checkpoints: ViewRef = {type: 'checkpoints', jobPath: job.path};
		// The job's first checkpoint by name, and its directories (its own, and `shared/` with 20,001 files).
		expect(sortSection(cachedView(index, checkpoints).sections[0], 'name').rows[0].open).toEqual({type: 'checkpoint', checkpointPath: checkpoint.path});
		const walk: ViewRef[] = [
			{type: 'checkpoint', checkpointPath: checkpoint.path},
			...checkpoint.dependencies.map((dependency): ViewRef => ({type: 'files', checkpointPath: checkpoint.path, dependencyPath: dependency.path})),
		];
		let calls = 0;
		while (!prepareAhead(index, [{view: checkpoints, walkDown: true}], 'name', AT_ONCE)) {
			calls++;
		}

		expect(calls).toBeGreaterThan(3);
		for (const view of walk) {
			const model = prepareView(index, view, AT_ONCE);
			expect(model).toBeDefined();
			for (const section of model!.sections) {
				expect(prepareSort(section, 'name', AT_ONCE)).toBe(true);
			}
		}

		// Without the walk down, only the view itself.
		const fresh = indexAnalysis(withManyFiles(20_000));
		while (!prepareAhead(fresh, [{view: checkpoints, walkDown: false}], 'name', AT_ONCE)) {
			// One step per call.
		}

		expect(prepareView(fresh, walk[1], AT_ONCE)).toBeUndefined();
	});

	test('a size sort resumes after the name sort it waits on was finished elsewhere', () => {
		const rows = manyRows(20_000, 7);
		const section: Section = {id: 's', columns: [], rows, empty: ''};
		// The size sort starts, and with it the name sort it ranks ties by.
		expect(prepareSort(section, 'size', AT_ONCE)).toBe(false);
		// Opening the view sorted by name finishes that name sort at once.
		sortSection(section, 'name');
		while (!prepareSort(section, 'size', AT_ONCE)) {
			// One step per call.
		}

		expect(keysOf(sortSection(section, 'size'))).toEqual(keysOf(sortSection({...section, rows: [...rows]}, 'size')));
	});

	/** An analysis whose first checkpoint has `count` directories of 8,200 files (a files view of each is built and sorted in a few steps). */
	function withBigDirectories(count: number): {index: ReturnType<typeof indexAnalysis>; views: ViewRef[]} {
		const analysis = withManyFiles(8200);
		const [checkpoint] = analysis.checkpoints;
		const [big] = checkpoint.dependencies;
		for (let copy = 1; copy < count; copy++) {
			checkpoint.dependencies.push({...big, path: `${big.path}-${copy}`});
		}

		const views = checkpoint.dependencies
			.slice(0, count)
			.map((dependency): ViewRef => ({type: 'files', checkpointPath: checkpoint.path, dependencyPath: dependency.path}));
		expect(new Set(views.map((view) => JSON.stringify(view))).size).toBe(count);
		return {index: indexAnalysis(analysis), views};
	}

	test('more views than are kept ahead: the first ones are prepared, once, and preparing ends', () => {
		const {index, views} = withBigDirectories(11);
		let calls = 0;
		while (
			!prepareAhead(
				index,
				views.map((view) => ({view, walkDown: false})),
				'name',
				AT_ONCE,
			)
		) {
			calls++;
			// Without the limit, the views past it push the first ones out, to be built again: forever.
			expect(calls).toBeLessThan(1000);
		}

		const prepared = views.map((view) => prepareView(index, view, AT_ONCE) !== undefined);
		expect(prepared).toEqual([...views.map(() => true).slice(0, 8), false, false, false]);
	});

	test('opening a view not built ahead keeps the views built ahead', () => {
		const {index, views} = withBigDirectories(9);
		while (
			!prepareAhead(
				index,
				views.slice(0, 8).map((view) => ({view, walkDown: false})),
				'name',
				AT_ONCE,
			)
		) {
			// One step per call.
		}

		cachedView(index, views[8]);
		for (const view of views.slice(0, 8)) {
			expect(prepareView(index, view, AT_ONCE)).toBeDefined();
		}
	});

	test('a view whose build throws is skipped, not tried again, and the others are still prepared', () => {
		const analysis = withManyFiles(10);
		const [checkpoint] = analysis.checkpoints;
		const [dependency] = checkpoint.dependencies;
		const broken = {...dependency, path: `${dependency.path}-broken`, fileList: [...dependency.fileList]};
		let throws = 0;
		Object.defineProperty(broken.fileList, 3, {
			get() {
				throws++;
				throw new Error('unreadable');
			},
		});
		checkpoint.dependencies.push(broken);
		const index = indexAnalysis(analysis);
		const brokenView: ViewRef = {type: 'files', checkpointPath: checkpoint.path, dependencyPath: broken.path};
		const preparations = [
			{view: brokenView, walkDown: false},
			{view: {type: 'orphans'} as const, walkDown: false},
		];
		while (!prepareAhead(index, preparations, 'name', AT_ONCE)) {
			// One step per call.
		}

		expect(prepareAhead(index, preparations, 'name', AT_ONCE)).toBe(true);
		expect(throws).toBe(1);
		expect(prepareView(index, {type: 'orphans'}, AT_ONCE)).toBeDefined();
		// Opening it for real still says what went wrong.
		expect(() => cachedView(index, brokenView)).toThrow('unreadable');
	});
});
