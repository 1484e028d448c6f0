/**
 * Write errors of the user's environment (#21.13): `plan --out` into a missing or unwritable
 * directory, and a log or restore script that cannot be written during `clean` (a full disk,
 * simulated with `/dev/full` and with an injected journal that fails after some writes), are exit
 * 74 with one line naming the path and the cause; `clean` stops before its next action, and its
 * log and restore script still name every entry it moved.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {runCommand, type Flags} from '../../source/cli/run.js';
import {CleanWriteError, executePlan, makePlan, openJournalFile, type OpenJournal} from '../../source/cleanup/index.js';
import {EXIT_OUTPUT} from '../../source/report/index.js';
import {tempDir} from '../support/temp.js';
import {J1, NOW, tree} from './helpers.js';
import {io} from '../support/io.js';

const flags: Flags = {json: true, map: [], color: false, minAge: '0'};

/** A tree with four orphan files and its plan. */
async function fourOrphans(prefix: string) {
	const t = tree(prefix);
	t.metadata(`${J1}/chk-2`, 2, []);
	for (const name of ['a', 'b', 'c', 'd']) t.file(`${J1}/shared/${name}`);
	const plan = makePlan(await analyse([t.dir], {nowMs: NOW}), {nowMs: NOW});
	expect(plan.entries).toHaveLength(4);
	return {t, plan};
}

describe('write errors are the environment’s, exit 74 (#21.13)', () => {
	test('plan --out into a missing directory: one line naming the file and the cause, exit 74', async () => {
		const t = tree('fcx-werr-plan-');
		t.metadata(`${J1}/chk-2`, 2, []);
		const out = join(t.dir, 'no-such-dir', 'plan.json');
		const s = io();
		expect(await runCommand('plan', [t.dir], {...flags, out}, {interactive: false, stdout: s.stdout, stderr: s.stderr})).toBe(EXIT_OUTPUT);
		expect(s.err()).toBe(`fcx: plan: cannot write ${out}: no such file or directory (ENOENT)\n`);
	});

	test('plan --out under a path component that is a file: exit 74', async () => {
		const t = tree('fcx-werr-notdir-');
		t.metadata(`${J1}/chk-2`, 2, []);
		const file = join(tempDir('fcx-werr-file-'), 'a-file');
		writeFileSync(file, '');
		const s = io();
		expect(await runCommand('plan', [t.dir], {...flags, out: join(file, 'plan.json')}, {interactive: false, stdout: s.stdout, stderr: s.stderr})).toBe(
			EXIT_OUTPUT,
		);
		expect(s.err()).toBe(`fcx: plan: cannot write ${join(file, 'plan.json')}: a path component is not a directory (ENOTDIR)\n`);
	});

	test('a log on a full disk (/dev/full): refused before anything is done', async () => {
		const {t, plan} = await fourOrphans('fcx-werr-full-');
		const error = await executePlan(plan, {nowMs: NOW, logPath: '/dev/full'}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CleanWriteError);
		expect((error as Error).message).toBe('cannot write /dev/full: no space left on device (ENOSPC); nothing was changed');
		for (const name of ['a', 'b', 'c', 'd']) expect(existsSync(t.abs(`${J1}/shared/${name}`))).toBe(true);
	});

	test('the disk fills up in the middle of clean: it stops before the next move; log and restore script name every moved entry', async () => {
		const {t, plan} = await fourOrphans('fcx-werr-mid-');
		let writes = 0;
		// Fails on the 7th durable write: start, restore header, restore-script line, then per entry a
		// `moving` line and its restore line and the `entry` line.
		const failing: OpenJournal = (path, flag, mode) => {
			const file = openJournalFile(path, flag, mode);
			return {
				append(text) {
					if (++writes >= 7) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'});
					file.append(text);
				},
				close: () => file.close(),
			};
		};
		const error = await executePlan(plan, {nowMs: NOW, openJournal: failing}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CleanWriteError);
		expect((error as Error).message).toMatch(
			/^cannot write .*\.fcx-quarantine\/.*: no space left on device \(ENOSPC\); stopped after 1 of 4 entries \(1 acted on\); the log and restore script name every entry moved$/,
		);
		const gone = ['a', 'b', 'c', 'd'].filter((name) => !existsSync(t.abs(`${J1}/shared/${name}`)));
		expect(gone).toEqual(['a']);
		const q = join(t.dir, '.fcx-quarantine');
		const script = readFileSync(join(q, `${new Date(NOW).toISOString().replace(/[:.]/g, '-')}.restore.sh`), 'utf8');
		expect(script).toContain(`${J1}/shared/a`);
		expect(spawnSync('sh', ['-c', script]).status).toBe(0);
		expect(existsSync(t.abs(`${J1}/shared/a`))).toBe(true);
	});
});
