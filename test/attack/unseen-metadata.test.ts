/**
 * Attacks with a `_metadata` the scan sees but does not read as a file (issue #21, "what cannot be
 * known is not safe"): a symlink named `_metadata` (Flink follows it and restores the checkpoint),
 * a FIFO or a directory of that name (what was there is unknown: a FIFO may have been swapped in
 * for the real file, an object store can hold both `chk-5/_metadata` and `chk-5/_metadata/…`),
 * and a subdirectory the scan could not list below a `chk-<n>` without `_metadata`.
 *
 * Found, with their causes (fixed) in source/analysis/build/:
 * - `directories.ts` counts an unlisted path as referenced from the path itself upwards, but only
 *   while `scan.directories.has(cur)`: a symlink, a FIFO or a path that could not be `lstat`ed
 *   (ENAMETOOLONG) is no scanned directory, so the loop never starts and the `chk-<n>` above it
 *   becomes an `incomplete-checkpoint` orphan (`rm -r`). Fix: start at the nearest scanned
 *   directory at or above the path.
 * - `settle.ts` (`unlistedOf`) takes `unreadable-directory` warnings and symlinks, not the other
 *   codes `isUnseenByScan` names (`not-regular-file`, `vanished`, `unreadable-symlink`). Fix: take
 *   every code `isUnseenByScan` accepts.
 * - `withheld.ts` skips an unlisted path inside a storage directory unless it is a `chk-<n>`: an
 *   unseen `_metadata` (or an in-progress metadata file) inside a `chk-<n>` or savepoint directory
 *   is a snapshot whose references are unknown, so its job must be withheld (else the shared files
 *   only it references are orphans: `clean --delete` deleted `shared/s5`, which the checkpoint
 *   behind the symlink needs). Fix: count an unlisted path whose name is `_metadata` like an
 *   unlisted `chk-<n>`, and give its `chk-<n>` the status `unreadable` (as `orphans.ts` does for
 *   an unlisted `chk-<n>`); in `orphans.ts`, a `chk-<n>` holding a directory named `_metadata` is
 *   `unreadable`, not incomplete.
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, planned, REMOTE, report, touches, unprivileged} from './helpers.js';

/** A job with a complete chk-4 and a chk-5 whose `_metadata` is set up by the test; shared/s5 is what chk-5 references. */
function jobWithChk5() {
	return attackTree(
		{
			[`cp/${J1}/chk-4`]: [4, [`${REMOTE}/${J1}/chk-4/x4`, `${REMOTE}/${J1}/shared/s1`]],
			[`elsewhere/chk-5`]: [5, [{relative: 'x5'}, `${REMOTE}/${J1}/shared/s1`, `${REMOTE}/${J1}/shared/s5`]],
		},
		[`cp/${J1}/chk-4/x4`, `cp/${J1}/shared/s1`, `cp/${J1}/chk-5/x5`, `cp/${J1}/shared/s5`],
	);
}

/** What the plan of `root` removes that touches chk-5 or its shared file s5. */
function plannedOfChk5(t: ReturnType<typeof jobWithChk5>): string[] {
	const plan = fcx(['plan', '--min-age', '0', t.abs('cp')]);
	expect(plan.status).toBe(0);
	return planned(plan.stdout).filter((p) => touches(p, t.abs(`cp/${J1}/chk-5`)) || p === t.abs(`cp/${J1}/shared/s5`));
}

describe.skipIf(!built)('a _metadata the scan did not read as a file', () => {
	test('a symlink named _metadata (Flink restores through it): chk-5 is not incomplete, neither it nor shared/s5 is planned, clean --delete keeps s5', () => {
		const t = jobWithChk5();
		symlinkSync(t.abs('elsewhere/chk-5/_metadata'), t.abs(`cp/${J1}/chk-5/_metadata`));
		const r = report([t.abs('cp')]);
		expect(r.checkpoints.find((c) => c.path === t.abs(`cp/${J1}/chk-5`))?.status).not.toBe('incomplete');
		expect(r.orphans.map((o) => o.path)).toEqual([]);
		expect(plannedOfChk5(t)).toEqual([]);
		// Found: clean skipped chk-5 ("contains a symlink") but deleted shared/s5.
		const planFile = t.abs('plan.json');
		expect(fcx(['plan', '--json', '--min-age', '0', '--out', planFile, t.abs('cp')]).status).toBe(0);
		fcx(['clean', '--plan', planFile, '--yes', '--delete']);
		expect(existsSync(t.abs(`cp/${J1}/shared/s5`))).toBe(true);
	});

	test('a FIFO named _metadata: chk-5 is unreadable, not incomplete; neither it nor shared/s5 is planned', () => {
		const t = jobWithChk5();
		execFileSync('mkfifo', [t.abs(`cp/${J1}/chk-5/_metadata`)]);
		const r = report([t.abs('cp')]);
		expect(r.warnings.map((w) => w.code)).toContain('not-regular-file');
		expect(r.checkpoints.find((c) => c.path === t.abs(`cp/${J1}/chk-5`))?.status).not.toBe('incomplete');
		expect(plannedOfChk5(t)).toEqual([]);
	});

	test('a directory named _metadata: chk-5 is not "incomplete (no _metadata)" and is not planned', () => {
		const t = jobWithChk5();
		mkdirSync(t.abs(`cp/${J1}/chk-5/_metadata`));
		writeFileSync(t.abs(`cp/${J1}/chk-5/_metadata/part-0`), 'x');
		const r = report([t.abs('cp')]);
		expect(r.checkpoints.find((c) => c.path === t.abs(`cp/${J1}/chk-5`))?.status).not.toBe('incomplete');
		expect(plannedOfChk5(t)).toEqual([]);
	});

	test('a subdirectory below a chk-<n> without _metadata that could not be listed (its path is longer than PATH_MAX): the chk-<n> is not planned', () => {
		const t = jobWithChk5();
		// 25 levels of 200 characters below chk-3, made by relative mkdir and chdir: the deepest
		// cannot be named by one path (ENAMETOOLONG).
		const chk3 = t.abs(`cp/${J1}/chk-3`);
		mkdirSync(chk3);
		const deepen = `for (let i = 0; i < 25; i++) { fs.mkdirSync('${'d'.repeat(200)}'); process.chdir('${'d'.repeat(200)}'); } fs.writeFileSync('deepfile', 'x');`;
		execFileSync(process.execPath, ['-e', deepen], {cwd: chk3});
		const r = report([t.abs('cp')]);
		expect(r.warnings.map((w) => w.code)).toContain('unreadable-directory');
		const plan = fcx(['plan', '--min-age', '0', t.abs('cp')]);
		execFileSync('rm', ['-rf', 'chk-3'], {cwd: t.abs(`cp/${J1}`)}); // GNU rm descends by name; the temp directory's removal cannot
		expect(planned(plan.stdout).filter((p) => touches(p, chk3))).toEqual([]);
	});

	test.skipIf(!unprivileged)(
		'held: a chk-<n> without _metadata holding a subdirectory nobody may list: the chk-<n> is not planned, only its readable files',
		() => {
			const t = jobWithChk5();
			mkdirSync(t.abs(`cp/${J1}/chk-3/sub`), {recursive: true});
			writeFileSync(t.abs(`cp/${J1}/chk-3/x3`), 'x');
			chmodSync(t.dir, 0o755);
			chmodSync(t.abs(`cp/${J1}/chk-3/sub`), 0);
			const plan = fcx(['plan', '--min-age', '0', t.abs('cp')], {asNobody: true});
			chmodSync(t.abs(`cp/${J1}/chk-3/sub`), 0o755);
			expect(planned(plan.stdout).filter((p) => touches(p, t.abs(`cp/${J1}/chk-3`)))).toEqual([t.abs(`cp/${J1}/chk-3/x3`)]);
		},
	);
});
