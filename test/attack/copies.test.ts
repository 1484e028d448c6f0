/**
 * Attacks with more than one local copy of what a reference names (issue #21: "two copies of one
 * job in one scan", "a savepoint relocated beside others", `--map`). The rule the project chose
 * (attack F1, `analysis/build/`): a written path that maps to several local copies is unknown to
 * the snapshots that need it; no copy is called complete by another copy's files, and no copy of
 * a needed file may be planned.
 *
 * Found, with the cause in source/analysis/resolve.ts, and fixed as each "Fix:" says (the what-if
 * of a held copy in analysis/what-if.ts, `AmbiguousCopies`):
 * - Two local copies of one savepoint (`sp/<name>` and a backup `old/sp/<name>`): a checkpoint's
 *   reference `…/savepoints/<name>/f1` maps to one of them, silently (the first in path order),
 *   not to both. `what-if sp/<name>` says it breaks nothing and `plan --target sp/<name>` plans
 *   `rm -r` of it, although which copy the checkpoint's remote is, is unknown. Fix: the savepoint
 *   directory name, like a job id, maps to every local directory of that name; with more than one,
 *   the reference is ambiguous (unknown to the checkpoint, held in each copy, and a target holding
 *   one copy is refused like one a remaining checkpoint references).
 * - `--map REMOTE=DIR` naming a directory outside the scanned roots (a backup, a mistyped path)
 *   wins over the `_metadata`'s own anchor for the job's `shared/`: the checkpoint in the scanned
 *   tree is complete by the files in DIR, and its own `shared/s1` is an orphan (planned `rm -r`).
 *   The fix of the mistyped `--map` (the anchor wins for the snapshot's own `chk-<n>`) does not
 *   cover the job directory above it. Fix: a written path that the anchor maps into the scanned
 *   tree and `--map` maps elsewhere has two copies (ambiguous), or the anchor wins, as for `chk-<n>`.
 */
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, planned, REMOTE, report, SP, SP_REMOTE, touches} from './helpers.js';

describe.skipIf(!built)('several local copies of what a reference names', () => {
	for (const [how, spRef] of [
		['relative handles (self-contained)', {relative: 'f1'}],
		['absolute handles', `${SP_REMOTE}/${SP}/f1`],
	] as const) {
		test(`two copies of one savepoint (${how}) that a checkpoint references: neither copy can be targeted, what-if does not say "breaks nothing"`, () => {
			const t = attackTree(
				{
					[`sp/${SP}`]: [3, [spRef], true],
					[`old/sp/${SP}`]: [3, [spRef], true],
					[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${SP_REMOTE}/${SP}/f1`]],
				},
				[`sp/${SP}/f1`, `old/sp/${SP}/f1`, `cp/${J1}/chk-5/x1`],
			);
			for (const copy of [`sp/${SP}`, `old/sp/${SP}`]) {
				const whatIf = fcx(['what-if', t.abs(copy), '--root', t.dir]);
				expect(whatIf.stdout).not.toContain('nothing: no remaining checkpoint references a file under the targets');
				const plan = fcx(['plan', '--min-age', '0', '--target', t.abs(copy), t.dir]);
				expect(plan.status).toBe(2);
				expect(planned(plan.stdout).filter((p) => touches(p, t.abs(copy)))).toEqual([]);
			}
		});
	}

	test("--map to a directory outside the scanned roots: the scanned checkpoint's own shared file is no orphan and not planned", () => {
		const t = attackTree({[`cp/${J1}/chk-5`]: [5, [{relative: 'x1'}, `hdfs://nn/cp/${J1}/shared/s1`]]}, [
			`cp/${J1}/chk-5/x1`,
			`cp/${J1}/shared/s1`,
			`backup/${J1}/shared/s1`,
		]);
		const map = ['--map', `hdfs://nn/cp=${t.abs('backup')}`];
		expect(report([...map, t.abs('cp')]).orphans).toEqual([]);
		expect(planned(fcx(['plan', '--min-age', '0', ...map, t.abs('cp')]).stdout)).toEqual([]);
	});

	test('held: two copies of one job, the newer copy with one more checkpoint: nothing either copy may need is planned, what-if --keep-last 1 frees only the _metadata of the subsumed checkpoint', () => {
		const refs5 = [`${REMOTE}/${J1}/chk-5/x5`, `${REMOTE}/${J1}/shared/s1`];
		const refs6 = [`${REMOTE}/${J1}/chk-6/x6`, `${REMOTE}/${J1}/shared/s1`, `${REMOTE}/${J1}/shared/s6`];
		const t = attackTree({[`a/${J1}/chk-5`]: [5, refs5], [`a/${J1}/chk-6`]: [6, refs6], [`b/${J1}/chk-5`]: [5, refs5]}, [
			...['chk-5/x5', 'chk-6/x6', 'shared/s1', 'shared/s6'].map((f) => `a/${J1}/${f}`),
			...['chk-5/x5', 'shared/s1', 'shared/s6', 'chk-4/x4'].map((f) => `b/${J1}/${f}`),
		]);
		const r = report([t.dir]);
		expect(r.checkpoints.filter((c) => c.status === 'complete')).toEqual([]);
		// Only b's chk-4 (no _metadata: an aborted checkpoint) may go.
		expect(planned(fcx(['plan', '--min-age', '0', t.dir]).stdout)).toEqual([t.abs(`b/${J1}/chk-4`)]);
		const keep = fcx(['what-if', '--keep-last', '1', '--json', t.dir]);
		// a's chk-5 is subsumed; only its _metadata is freed: x5 and s1 may be what b's chk-5 needs.
		expect(JSON.parse(keep.stdout)).toMatchObject({subsumed: [t.abs(`a/${J1}/chk-5`)], freedFiles: 1});
	});
});
