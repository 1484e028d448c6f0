/**
 * Attacks on `what-if` and `plan --target` (issue #21 case 11, "what cannot be known is not
 * safe"): a target that a snapshot the scan did not see may reference.
 *
 * Found and fixed in source/analysis/what-if.ts (`unreadableReferrers`, the decision `plan`
 * refuses targets by and `clean` recomputes):
 * - It counted only `unreadable-directory` warnings as unseen snapshots. A `chk-<n>/_metadata`
 *   that is a symlink (Flink restores through it) or a FIFO was not counted: targeting the shared
 *   file only that checkpoint references was "breaks nothing" and planned. Now every warning
 *   `isUnseenByScan` names counts (a symlink, a FIFO, a vanished entry, a pending upload).
 * - A root below a job directory (`fcx plan --target <job>/shared/s1 <job>/shared`) leaves the
 *   job's `_metadata` files unread: targeting the shared file of the newest checkpoint was planned.
 *   Now the job directory is an unknown referrer: what-if says so (exit 5), plan refuses (exit 2).
 */
import {symlinkSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, planned, REMOTE} from './helpers.js';

/** J1 with a complete chk-4 (shared/s1) and chk-5, whose `_metadata` is a symlink to a copy that references shared/s5. */
function symlinkedMetadataTree() {
	const t = attackTree(
		{
			[`cp/${J1}/chk-4`]: [4, [`${REMOTE}/${J1}/chk-4/x4`, `${REMOTE}/${J1}/shared/s1`]],
			[`elsewhere/chk-5`]: [5, [{relative: 'x5'}, `${REMOTE}/${J1}/shared/s1`, `${REMOTE}/${J1}/shared/s5`]],
		},
		[`cp/${J1}/chk-4/x4`, `cp/${J1}/shared/s1`, `cp/${J1}/chk-5/x5`, `cp/${J1}/shared/s5`],
	);
	symlinkSync(t.abs('elsewhere/chk-5/_metadata'), t.abs(`cp/${J1}/chk-5/_metadata`));
	return t;
}

describe.skipIf(!built)('targets a snapshot the scan did not see may reference', () => {
	test('a chk-<n>/_metadata that is a symlink: what-if says it could not be read (exit 5), plan --target of the shared file it references is refused', () => {
		const t = symlinkedMetadataTree();
		const s5 = t.abs(`cp/${J1}/shared/s5`);
		const whatIf = fcx(['what-if', s5, '--root', t.abs('cp')]);
		expect(whatIf.status).toBe(5);
		expect(whatIf.stdout).toContain(`${t.abs(`cp/${J1}/chk-5/_metadata`)} could not be read`);
		const plan = fcx(['plan', '--min-age', '0', '--target', s5, t.abs('cp')]);
		expect(plan.status).toBe(2);
		expect(plan.stderr).toContain('--accept-unreadable');
		expect(planned(plan.stdout)).toEqual([]);
	});

	test('a root below the job directory: targeting the shared file of its newest checkpoint is refused, what-if says the job directory was not scanned', () => {
		const t = attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared/s1`]]}, [`cp/${J1}/chk-5/x1`, `cp/${J1}/shared/s1`]);
		const shared = t.abs(`cp/${J1}/shared`);
		const whatIf = fcx(['what-if', `${shared}/s1`, '--root', shared]);
		expect(whatIf.status).toBe(5);
		expect(whatIf.stdout).toContain(`${t.abs(`cp/${J1}`)} could not be read`);
		const plan = fcx(['plan', '--min-age', '0', '--target', `${shared}/s1`, shared]);
		expect(plan.status).toBe(2);
		expect(planned(plan.stdout)).toEqual([]);
	});

	test('held: the same targets with the whole tree scanned and readable are decided as before', () => {
		const t = attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared/s1`]]}, [
			`cp/${J1}/chk-5/x1`,
			`cp/${J1}/shared/s1`,
			`cp/${J1}/shared/u1`,
		]);
		const whatIf = fcx(['what-if', t.abs(`cp/${J1}/shared/u1`), '--root', t.abs('cp')]);
		expect(whatIf.status).toBe(0);
		const plan = fcx(['plan', '--min-age', '0', '--target', t.abs(`cp/${J1}/shared/u1`), t.abs('cp')]);
		expect(plan.status).toBe(0);
		expect(planned(plan.stdout)).toEqual([t.abs(`cp/${J1}/shared/u1`)]);
	});
});
