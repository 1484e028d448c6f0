/**
 * Attack: a root below a job directory (issue #21: "what it calls an orphan can go"). Someone
 * looking at where the bytes are runs `fcx plan /data/flink/<job>/shared` (the big directory);
 * the job's `_metadata` files are in `chk-<n>` directories beside it, outside the root.
 *
 * Found: every file of `shared/` was an orphan, planned with `rm -r`, and `clean` (which re-scans
 * the same root) deleted them, breaking the job's newest complete checkpoint. Nothing says that
 * the snapshots that reference a job's shared, task-owned or file-merging files lie outside the
 * roots. Cause (fixed) in source/analysis/build/withheld.ts: a root that lies below a job directory (its layout has a
 * `jobDir` that is not itself scanned) must withhold that job like an unreadable `_metadata` does
 * (`job-orphans-withheld`, saying that the job directory is not scanned and to scan it whole):
 * its unreferenced files are not orphans, and no `chk-<n>` of it is the job's newest complete one
 * by omission. A root that is a `chk-<n>` directory keeps what it has today (its own `_metadata`
 * decides; one without `_metadata` is an aborted checkpoint).
 */
import {existsSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, planned, REMOTE, report} from './helpers.js';

/** A job whose only complete checkpoint, chk-5, references shared/s1; shared/u1 is unreferenced. */
function jobTree() {
	return attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared/s1`]]}, [
		`cp/${J1}/chk-5/x1`,
		`cp/${J1}/shared/s1`,
		`cp/${J1}/shared/u1`,
	]);
}

describe.skipIf(!built)('a root below a job directory', () => {
	test("fcx report / plan <job>/shared: the newest checkpoint's shared file is no orphan and not planned", () => {
		const t = jobTree();
		const shared = t.abs(`cp/${J1}/shared`);
		const r = report([shared]);
		expect(r.orphans.map((o) => o.path)).not.toContain(`${shared}/s1`);
		expect(r.warnings.map((w) => w.code)).toContain('job-orphans-withheld');
		expect(planned(fcx(['plan', '--min-age', '0', shared]).stdout)).toEqual([]);
	});

	test('fcx clean of a plan made for <job>/shared keeps shared/s1', () => {
		const t = jobTree();
		const planFile = t.abs('plan.json');
		expect(fcx(['plan', '--json', '--min-age', '0', '--out', planFile, t.abs(`cp/${J1}/shared`)]).status).toBe(0);
		fcx(['clean', '--plan', planFile, '--yes']);
		expect(existsSync(t.abs(`cp/${J1}/shared/s1`))).toBe(true);
	});

	test('held: the job directory, or the base, as the root: only shared/u1 is planned; the checkpoint directory alone: nothing', () => {
		const t = jobTree();
		for (const root of [t.abs('cp'), t.abs(`cp/${J1}`)]) expect(planned(fcx(['plan', '--min-age', '0', root]).stdout)).toEqual([t.abs(`cp/${J1}/shared/u1`)]);
		expect(planned(fcx(['plan', '--min-age', '0', t.abs(`cp/${J1}/chk-5`)]).stdout)).toEqual([]);
		// Nested and repeated roots (cp, cp/<job>, cp/): each file once, the same plan.
		expect(planned(fcx(['plan', '--min-age', '0', t.abs('cp'), t.abs(`cp/${J1}`), `${t.abs('cp')}/`]).stdout)).toEqual([t.abs(`cp/${J1}/shared/u1`)]);
	});
});
