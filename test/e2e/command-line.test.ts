/**
 * The command line of the real binary (`dist/fcx.js`): what it refuses and how (one line, exit 2,
 * "did you mean"), the help written from the command and flag tables, and the exit status of
 * `what-if` when something would break.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {JOBS} from '../../fixtures/generate.js';
import {FLAG_NAMES, FLAGS, flagText} from '../../source/cli/flags.js';
import {tempDir} from '../support/temp.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const tree = path.join(root, 'fixtures/sample-tree');
const built = existsSync(cli);

if (!built) console.warn('[e2e] dist/fcx.js is missing (run `npm run build`): the command-line tests are SKIPPED');

/** Run `fcx args…` (not on a terminal) and return its status and output. */
function fcx(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync('node', [cli, ...args], {cwd, encoding: 'utf8', env});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe.skipIf(!built)('the command line', () => {
	test('a mistyped command is refused with the command it resembles; an existing path of that name is explored', () => {
		expect(fcx(['reprot', tree])).toEqual({status: 2, stdout: '', stderr: "fcx: unknown command 'reprot' (did you mean 'report'?)\n"});
		expect(fcx(['whatif', tree]).stderr).toBe("fcx: unknown command 'whatif' (did you mean 'what-if'?)\n");
		// Not close to a command: a path, which does not exist (exit 3, as before).
		expect(fcx(['no-such-tree'])).toMatchObject({status: 3, stderr: `fcx: ${path.join(root, 'no-such-tree')}: no such file or directory\n`});
		const cwd = tempDir('fcx-typo-');
		mkdirSync(path.join(cwd, 'reprot'));
		const explored = fcx(['--min-age', '0', 'reprot'], cwd);
		expect(explored.status).toBe(0);
		expect(explored.stdout).toContain(`Root:     ${path.join(cwd, 'reprot')}`);
	});

	test('an unknown flag is one line, with the flag it resembles', () => {
		expect(fcx(['--bogus', tree])).toEqual({status: 2, stdout: '', stderr: 'fcx: unknown flag --bogus (see fcx --help)\n'});
		expect(fcx(['report', '--jsn', tree])).toEqual({status: 2, stdout: '', stderr: 'fcx: unknown flag --jsn (did you mean --json?)\n'});
		expect(fcx(['what-if', '--keep-lats=2', tree]).stderr).toBe('fcx: unknown flag --keep-lats (did you mean --keep-last?)\n');
		// A value that looks like a negative number is not a flag.
		expect(fcx(['what-if', '--keep-last', '-1', tree]).stderr).toBe('fcx: --keep-last: expected a positive whole number, got "-1"\n');
	});

	test('a count that is not a number names the value as typed', () => {
		expect(fcx(['what-if', '--keep-last', 'x', tree])).toEqual({
			status: 2,
			stdout: '',
			stderr: 'fcx: --keep-last: expected a positive whole number, got "x"\n',
		});
		expect(fcx(['what-if', '--keep-last', '0', tree]).stderr).toBe('fcx: --keep-last: expected a positive whole number, got "0"\n');
	});

	test('a flag given to a command it does not apply to is refused, naming where it applies', () => {
		expect(fcx(['report', '--files', tree])).toEqual({status: 2, stdout: '', stderr: 'fcx: --files applies to report --json, not to report without --json\n'});
		expect(fcx(['report', '--keep-last', '2', tree])).toEqual({status: 2, stdout: '', stderr: 'fcx: --keep-last applies to what-if, not to report\n'});
		expect(fcx(['--target', tree, tree]).stderr).toBe('fcx: --target applies to plan, not to the explorer (fcx <paths…>)\n');
		expect(fcx(['inspect', '--allow-delete', tree]).stderr).toBe('fcx: --allow-delete applies to the explorer (fcx <paths…>), not to inspect\n');
		expect(fcx(['report'])).toEqual({status: 2, stdout: '', stderr: 'fcx: report needs paths (see fcx report --help)\n'});
		// Where it applies, it is taken.
		expect(fcx(['report', '--json', '--files', '--min-age', '0', tree]).status).toBe(1);
	});

	test('clean --plan names a plan file it cannot read and why, in one line', () => {
		expect(fcx(['clean', '--plan', '/nonexistent/plan.json'])).toEqual({
			status: 3,
			stdout: '',
			stderr: 'fcx: /nonexistent/plan.json: no such file or directory\n',
		});
		const notJson = fcx(['clean', '--plan', path.join(root, 'readme.md')]);
		expect(notJson.status).toBe(3);
		expect(notJson.stderr).toMatch(/^fcx: \S+readme\.md: not a plan: not JSON \([^\n]*\n$/);
	});

	test('what-if exits 5 when deleting the targets would break a checkpoint, 0 when nothing would', () => {
		const savepoint = path.join(tree, 'savepoints', 'savepoint-3f9a1c-5e0b7d2a9c41');
		const breaking = fcx(['what-if', '--min-age', '0', savepoint]);
		expect(breaking.stdout).toContain('Would break (2)');
		expect(breaking.status).toBe(5);
		const json = fcx(['what-if', '--json', '--min-age', '0', savepoint]);
		expect(json.status).toBe(5);
		expect((JSON.parse(json.stdout) as {broken: unknown[]}).broken).toHaveLength(2);
		const harmless = fcx(['what-if', '--min-age', '0', path.join(tree, 'checkpoints', JOBS.A, 'chk-6')]);
		expect(harmless.stdout).toContain('Would break (0)');
		expect(harmless.status).toBe(0);
	});

	test('--help lists every command and flag; <command> --help only the flags that command takes', () => {
		const global = fcx(['--help']);
		expect(global.status).toBe(0);
		for (const command of ['fcx [paths…]', 'fcx report', 'fcx inspect', 'fcx what-if', 'fcx plan', 'fcx clean']) {
			expect(global.stdout).toContain(`$ ${command}`);
		}
		for (const name of FLAG_NAMES) {
			expect(global.stdout).toContain(FLAGS[name].type === 'boolean' && 'negated' in FLAGS[name] ? `--no-${flagText(name).slice(2)}` : flagText(name));
		}
		expect(global.stdout).toMatch(/^ {2}5 what-if: /m);

		const report = fcx(['report', '--help']);
		expect(report.status).toBe(0);
		expect(report.stdout).toContain('$ fcx report <paths…>');
		expect(report.stdout).toMatch(/--files +with --json: /);
		expect(report.stdout).not.toContain('--keep-last');
		expect(report.stdout).not.toContain('$ fcx plan');
		expect(fcx(['what-if', '-h']).stdout).toContain('--keep-last N');
		// Nothing at all: the help, on stderr, as bad usage.
		expect(fcx([])).toMatchObject({status: 2, stdout: '', stderr: global.stdout});
	});

	test("the binary's stat worker processes start, and find what the main thread finds", () => {
		// The bundle once rewrote the worker's `require`: every worker failed at start, and big
		// trees were `lstat`ed on the main thread (1.4 s of 200,000 files), unnoticed.
		const args = ['report', '--json', '--min-age', '0', tree];
		const inWorkers = fcx(args, root, {...process.env, FCX_PARALLEL_STAT_MIN_FILES: '1', FCX_DEBUG: '1'});
		expect(inWorkers.stderr).toBe('');
		const here = fcx(args);
		const analysed = (out: string): unknown => ({...(JSON.parse(out) as object), generatedAt: undefined});
		expect(analysed(inWorkers.stdout)).toEqual(analysed(here.stdout));
		expect(inWorkers.status).toBe(here.status);
	});
});
