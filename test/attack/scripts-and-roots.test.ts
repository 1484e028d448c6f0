/**
 * Attacks on what `plan` and `clean` act on (issue #21: "`clean` removes nothing else"), all held:
 * - file names that are shell code (quotes, a line feed, `$(…)`, backticks, a leading `-`, a
 *   control character) in the plan's shell script and in the restore script `clean` writes;
 * - a plan made with a relative root (`fcx plan cp` in one directory) executed from another
 *   directory holding a look-alike tree;
 * - a root reached through a symlink (the root is followed: you named it).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {attackTree, built, fcx, J1, REMOTE} from './helpers.js';

const HOSTILE = [`a'; rm -rf victim; echo '`, `b\n'; touch pwned1; '`, 'c$(touch pwned2)', 'd`touch pwned3`', "e\\'", '-rf', 'f\u0001g'];

/** A job whose chk-5 references shared/s1; shared/ also holds `extra` unreferenced, old files. */
function jobTree(extra: readonly string[] = ['u1', 'u2']) {
	const t = attackTree({[`cp/${J1}/chk-5`]: [5, [`${REMOTE}/${J1}/chk-5/x1`, `${REMOTE}/${J1}/shared/s1`]]}, [`cp/${J1}/chk-5/x1`, `cp/${J1}/shared/s1`]);
	const shared = t.abs(`cp/${J1}/shared`);
	for (const n of extra) writeFileSync(`${shared}/${n}`, 'y'.repeat(16));
	execFileSync('touch', ['-d', '2026-01-01', ...extra.map((n) => `${shared}/${n}`)]);
	return {...t, shared};
}

describe.skipIf(!built)('what plan and clean act on', () => {
	test('file names that are shell code: the plan script removes exactly them, the restore script brings exactly them back, nothing else runs', () => {
		const t = jobTree(HOSTILE);
		mkdirSync(t.abs('victim'));
		writeFileSync(t.abs('victim/keep'), 'x');
		const plan = fcx(['plan', '--min-age', '0', t.abs('cp')]);
		writeFileSync(t.abs('plan.sh'), plan.stdout);
		expect(spawnSync('sh', [t.abs('plan.sh')], {cwd: t.dir}).status).toBe(0);
		expect(readdirSync(t.shared)).toEqual(['s1']);
		for (const n of HOSTILE) writeFileSync(`${t.shared}/${n}`, 'y'.repeat(16));
		execFileSync('touch', ['-d', '2026-01-01', ...HOSTILE.map((n) => `${t.shared}/${n}`)]);
		expect(fcx(['plan', '--json', '--min-age', '0', '--out', t.abs('plan.json'), t.abs('cp')]).status).toBe(0);
		const clean = fcx(['clean', '--plan', t.abs('plan.json'), '--yes']);
		expect(readdirSync(t.shared)).toEqual(['s1']);
		const restore = /Restore:\s+sh '(.*)'/.exec(clean.stdout)![1];
		expect(spawnSync('sh', [restore], {cwd: t.dir}).status).toBe(0);
		expect(readdirSync(t.shared).sort()).toEqual([...HOSTILE, 's1'].sort());
		expect(existsSync(t.abs('victim/keep'))).toBe(true);
		expect(readdirSync(t.dir).filter((n) => n.startsWith('pwned'))).toEqual([]);
	});

	test('a plan made with a relative root, executed from a directory holding a look-alike tree: clean acts on the planned tree only', () => {
		const a = jobTree();
		const b = jobTree();
		expect(fcx(['plan', '--json', '--min-age', '0', '--out', a.abs('plan.json'), 'cp'], {cwd: a.dir}).status).toBe(0);
		expect(fcx(['clean', '--plan', a.abs('plan.json'), '--yes'], {cwd: b.dir}).status).toBe(0);
		expect(readdirSync(a.shared)).toEqual(['s1']);
		expect(readdirSync(b.shared).sort()).toEqual(['s1', 'u1', 'u2']);
	});

	test('a root reached through a symlink: plan and clean act below it, the referenced file stays', () => {
		const t = jobTree();
		symlinkSync(t.dir, `${t.dir}-link`);
		try {
			expect(fcx(['plan', '--json', '--min-age', '0', '--out', t.abs('plan.json'), `${t.dir}-link/cp`]).status).toBe(0);
			expect(fcx(['clean', '--plan', t.abs('plan.json'), '--yes']).status).toBe(0);
			expect(readdirSync(t.shared)).toEqual(['s1']);
		} finally {
			execFileSync('rm', [`${t.dir}-link`]);
		}
	});
});
