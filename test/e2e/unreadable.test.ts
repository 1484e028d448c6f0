/**
 * Directories that could not be listed are unknown, not empty (issue #21.2), through the real binary
 * (`dist/fcx.js`) run as an unprivileged user with `setpriv` (we run as root, who reads everything).
 */
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {J1, J2, tree} from '../cleanup/helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/fcx.js');
const built = existsSync(cli);
const SETPRIV = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const unprivileged = built && process.getuid?.() === 0 && spawnSync(SETPRIV[0], [...SETPRIV.slice(1), 'true']).status === 0;
if (!built) console.warn('[e2e] dist/fcx.js is missing (run `npm run build`): the unreadable-directory tests are SKIPPED');
else if (!unprivileged) console.warn('[e2e] not root or no setpriv: the unprivileged unreadable-directory tests are SKIPPED');

/** Run fcx as nobody (`setpriv`), or as we are with `privileged`. */
function fcx(args: string[], privileged = false): {status: number | null; stdout: string; stderr: string} {
	const command = privileged ? [process.execPath, cli, ...args] : [...SETPRIV, process.execPath, cli, ...args];
	const run = spawnSync(command[0], command.slice(1), {encoding: 'utf8', timeout: 60_000});
	return {status: run.status, stdout: run.stdout, stderr: run.stderr};
}

interface JsonReport {
	checkpoints: {path: string; status: string}[];
	orphans: {path: string}[];
	missing: {path: string}[];
	warnings: {code: string; path: string}[];
}

/** Job J1: chk-41 (complete, two exclusive files, one shared), shared/ with its file; readable by everyone. */
function jobTree() {
	const t = tree('fcx-unreadable-');
	const chk = `${J1}/chk-41`;
	t.metadata(chk, 41, [`${chk}/x1`, `${chk}/x2`, `${J1}/shared/s1`]);
	for (const f of [`${chk}/x1`, `${chk}/x2`, `${J1}/shared/s1`]) t.file(f);
	chmodSync(t.dir, 0o755);
	return t;
}

const covered = (paths: readonly string[], inside: string): boolean =>
	paths.some((p) => inside === p || inside.startsWith(`${p}/`) || p.startsWith(`${inside}/`));

describe.skipIf(!unprivileged)('unreadable directories are unknown, never orphans, never missing (as nobody)', () => {
	it('a complete chk-<n> with mode 000 is not incomplete, not an orphan, not planned', () => {
		const t = jobTree();
		chmodSync(t.abs(`${J1}/chk-41`), 0o000);
		const report = fcx(['report', '--json', t.dir]);
		expect(report.status).toBe(0);
		const json = JSON.parse(report.stdout) as JsonReport;
		expect(json.checkpoints.map((cp) => [cp.path, cp.status])).toEqual([[t.abs(`${J1}/chk-41`), 'unreadable']]);
		expect(json.orphans.filter((o) => covered([o.path], t.abs(`${J1}/chk-41`)) || covered([o.path], t.abs(`${J1}/shared/s1`)))).toEqual([]);
		const plan = fcx(['plan', '--min-age', '0', t.dir]);
		expect(plan.stdout).not.toContain(`${J1}/chk-41`);
		expect(plan.stdout).not.toContain('shared/s1');
	});

	it('an unreadable shared/ makes its files unknown, not missing (exit 0), and the checkpoint not complete', () => {
		const t = jobTree();
		chmodSync(t.abs(`${J1}/shared`), 0o000);
		const report = fcx(['report', '--json', t.dir]);
		expect(report.status).toBe(0);
		const json = JSON.parse(report.stdout) as JsonReport;
		expect(json.missing).toEqual([]);
		expect(json.checkpoints.map((cp) => cp.status)).toEqual(['unknown-files']);
		expect(json.warnings).toContainEqual(expect.objectContaining({code: 'unreadable-directory', path: t.abs(`${J1}/shared`)}));
		expect(json.orphans.filter((o) => covered([o.path], t.abs(`${J1}/shared`)))).toEqual([]);
		const text = fcx(['report', t.dir]);
		expect(text.stdout).toContain('files could not be read');
	});

	it('a named _metadata whose shared/ (outside the roots, stat-ed file by file) is unreadable: its files are unknown, not missing', () => {
		const t = jobTree();
		chmodSync(t.abs(`${J1}/shared`), 0o000);
		const report = fcx(['report', '--json', t.abs(`${J1}/chk-41/_metadata`)]);
		expect(report.status).toBe(0);
		const json = JSON.parse(report.stdout) as JsonReport;
		expect(json.missing).toEqual([]);
		expect(json.checkpoints.map((cp) => cp.status)).toEqual(['unknown-files']);
		expect(json.orphans).toEqual([]);
	});

	it('a job directory with an unreadable directory is not a dead job', () => {
		const t = jobTree();
		t.file(`${J2}/shared/old`);
		mkdirSync(t.abs(`${J2}/chk-9`));
		chmodSync(t.abs(`${J2}/chk-9`), 0o000);
		const json = JSON.parse(fcx(['report', '--json', t.dir]).stdout) as JsonReport;
		expect(json.orphans.filter((o) => covered([o.path], t.abs(J2)))).toEqual([]);
		expect(json.warnings).toContainEqual(expect.objectContaining({code: 'job-orphans-withheld', path: t.abs(J2)}));
	});

	it('a root that cannot be read at all exits non-zero', () => {
		const t = jobTree();
		chmodSync(t.abs(J1), 0o000);
		expect(fcx(['report', t.abs(J1)]).status).toBe(3);
		expect(fcx(['report', t.dir]).status).toBe(0);
	});
});

describe.skipIf(!built)('a root fdir cannot crawl', () => {
	it('a root path with a backslash exits non-zero instead of scanning another directory', () => {
		const t = jobTree();
		const odd = t.abs('a\\b');
		mkdirSync(odd);
		const result = fcx(['report', odd], true);
		expect(result.status).toBe(3);
		expect(result.stdout).toContain('backslash');
	});
});
