import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {UsageError} from '../../source/cli/args.js';
import {defaultWhatIfRoots, runCommand, type Flags} from '../../source/cli/run.js';
import {EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_WOULD_BREAK} from '../../source/report/index.js';
import {tempDir} from '../support/temp.js';
import {io} from '../support/io.js';

const base: Flags = {json: false, map: [], color: false, minAge: '0'};

describe('fcx what-if / plan / clean', () => {
	test('what-if defaults its roots to above the base directory, so a savepoint sees the jobs restored from it', async () => {
		const dir = tempDir('fcx-cli-');
		await generateSampleTree(dir);
		const savepoint = join(dir, 'savepoints', 'savepoint-3f9a1c-5e0b7d2a9c41');
		expect(defaultWhatIfRoots([savepoint])).toEqual([dir]);
		const s = io();
		// chk-8 and chk-9 of job C would break: a script is told so by the exit status.
		expect(await runCommand('what-if', [savepoint], {...base, json: true}, {interactive: false, stdout: s.stdout, stderr: s.stderr})).toBe(EXIT_WOULD_BREAK);
		const result = JSON.parse(s.out()) as {broken: {checkpointPath: string}[]};
		expect(result.broken.map((b) => b.checkpointPath)).toEqual([join(dir, 'checkpoints', JOBS.C, 'chk-8'), join(dir, 'checkpoints', JOBS.C, 'chk-9')]);

		const r = io();
		expect(await runCommand('what-if', [dir], {...base, keepLast: 1}, {interactive: false, stdout: r.stdout, stderr: r.stderr})).toBe(EXIT_OK);
		expect(r.out()).toMatch(/RETENTION keep-last 1/);
		expect(r.out()).toContain(`Warnings (1)\n  ! ${join(dir, 'checkpoints', JOBS.B, 'chk-6')} is the newest checkpoint of`);
	});

	test('plan --out writes JSON; clean asks, refuses without --yes off a terminal, then quarantines', async () => {
		const dir = tempDir('fcx-cli-');
		await generateSampleTree(dir);
		// Outside the tree: not scanned.
		const planFile = join(tempDir('fcx-cli-plan-'), 'plan.json');
		const p = io();
		expect(await runCommand('plan', [dir], {...base, minAge: '1h', out: planFile}, {interactive: false, stdout: p.stdout, stderr: p.stderr})).toBe(EXIT_OK);
		expect(JSON.parse(readFileSync(planFile, 'utf8'))).toMatchObject({version: 1, roots: [dir]});
		await expect(runCommand('plan', [dir], {...base, out: planFile}, {interactive: false, stdout: p.stdout, stderr: p.stderr})).rejects.toThrow(
			/already exists/,
		);

		const refused = io();
		expect(
			await runCommand(
				'plan',
				[dir],
				{...base, target: [join(dir, 'checkpoints', JOBS.A, 'chk-5')]},
				{interactive: false, stdout: refused.stdout, stderr: refused.stderr},
			),
		).toBe(EXIT_USAGE);
		expect(refused.err()).toMatch(/newest complete checkpoint/);

		const quiet = io();
		await expect(
			runCommand('clean', [], {...base, minAge: undefined, plan: planFile}, {interactive: false, stdout: quiet.stdout, stderr: quiet.stderr}),
		).rejects.toThrow(UsageError);
		const no = io();
		expect(
			await runCommand(
				'clean',
				[],
				{...base, minAge: undefined, plan: planFile},
				{interactive: true, stdout: no.stdout, stderr: no.stderr, ask: async () => 'no'},
			),
		).toBe(EXIT_OK);
		expect(no.out()).toMatch(/Cancelled/);
		expect(existsSync(join(dir, 'checkpoints', JOBS.D))).toBe(true);

		const yes = io();
		const code = await runCommand(
			'clean',
			[],
			{...base, minAge: undefined, plan: planFile},
			{interactive: true, stdout: yes.stdout, stderr: yes.stderr, ask: async () => 'yes'},
		);
		// The sample tree's mtimes are fixed in the past: all five orphans are old enough.
		expect(code).toBe(EXIT_OK);
		expect(yes.out()).toMatch(/5 entries moved to the quarantine/);
		expect(yes.out()).toMatch(/Restore: {4}sh '/);
		expect(existsSync(join(dir, 'checkpoints', JOBS.D))).toBe(false);

		// Executing the same plan again: everything is missing now → skipped, exit 4.
		const again = io();
		expect(
			await runCommand('clean', [], {...base, minAge: undefined, plan: planFile, yes: true}, {interactive: false, stdout: again.stdout, stderr: again.stderr}),
		).toBe(EXIT_SKIPPED);
		expect(again.out()).toMatch(/missing/);
	});
});
