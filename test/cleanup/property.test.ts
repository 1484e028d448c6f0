import {rmSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import {makePlan} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {isInside} from '../../source/tree/layout.js';
import {J1, J2, tree} from './helpers.js';

/** Local files referenced by the `_metadata` of snapshots the plan does not remove, and those `_metadata` files. */
function protectedFiles(analysis: Analysis, plan: Plan): string[] {
	const removed = new Set(plan.entries.flatMap((e) => e.removesCheckpoints ?? []));
	return analysis.checkpoints
		.filter((cp) => cp.metadataPath !== null && !removed.has(cp.path))
		.flatMap((cp) => [cp.metadataPath!, ...cp.files.filter((f) => f.path !== null).map((f) => f.path!)]);
}

const treeSpec = fc.record({
	sharedFiles: fc.integer({min: 1, max: 6}),
	/** Per checkpoint: job index, which shared files of job 1 and job 2 it references, an extra unreferenced file in its directory. */
	checkpoints: fc.array(
		fc.record({
			job: fc.integer({min: 0, max: 1}),
			refs1: fc.array(fc.boolean(), {minLength: 6, maxLength: 6}),
			refs2: fc.array(fc.boolean(), {minLength: 6, maxLength: 6}),
			extra: fc.boolean(),
		}),
		{minLength: 1, maxLength: 5},
	),
	incomplete: fc.array(fc.integer({min: 0, max: 1}), {maxLength: 2}),
	target: fc.option(fc.nat(), {nil: undefined}),
});

describe('property: no file referenced by any _metadata is ever in a plan', () => {
	test('random trees, orphans only and with a random what-if target', async () => {
		await fc.assert(
			fc.asyncProperty(treeSpec, async (spec) => {
				const t = tree('fcx-prop-');
				try {
					const jobs = [J1, J2];
					for (const j of jobs) for (let i = 0; i < spec.sharedFiles; i++) t.file(`${j}/shared/f${i}`);
					const ids = [0, 0];
					spec.checkpoints.forEach((cp, k) => {
						const id = ++ids[cp.job] + 10 * k;
						const refs = [
							...cp.refs1.slice(0, spec.sharedFiles).flatMap((on, i) => (on ? [`${J1}/shared/f${i}`] : [])),
							...cp.refs2.slice(0, spec.sharedFiles).flatMap((on, i) => (on ? [`${J2}/shared/f${i}`] : [])),
						];
						t.metadata(`${jobs[cp.job]}/chk-${id}`, id, refs);
						if (cp.extra) t.file(`${jobs[cp.job]}/chk-${id}/leftover`);
					});
					spec.incomplete.forEach((j, k) => t.file(`${jobs[j]}/chk-${900 + k}/partial`));
					const analysis = await analyse([t.dir], {minAgeMs: 0});

					const plan = makePlan(analysis);
					const referenced = protectedFiles(analysis, plan);
					for (const e of plan.entries) {
						expect(e.removesCheckpoints).toBeUndefined();
						for (const f of referenced) expect(isInside(f, e.path), `${f} in planned ${e.path}`).toBe(false);
					}

					if (spec.target !== undefined) {
						const snapshots = analysis.checkpoints.filter((cp) => cp.metadataPath !== null);
						const target = snapshots[spec.target % snapshots.length].path;
						let withTarget: Plan | null = null;
						try {
							withTarget = makePlan(analysis, {targets: [target]});
						} catch (error) {
							expect(String(error)).toMatch(/refusing/);
						}
						if (withTarget !== null) {
							const stillReferenced = protectedFiles(analysis, withTarget);
							for (const e of withTarget.entries) for (const f of stillReferenced) expect(isInside(f, e.path), `${f} in planned ${e.path}`).toBe(false);
						}
					}
				} finally {
					rmSync(t.dir, {recursive: true, force: true});
				}
			}),
			{numRuns: Number(process.env.FCX_PROPERTY_RUNS ?? 60)},
		);
	});
});
