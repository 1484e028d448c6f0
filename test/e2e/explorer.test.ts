/**
 * The real binary (`dist/fcx.js`, which `npm test` builds before vitest runs) on the bundled sample tree,
 * driven through tmux as a person would: keys in with send-keys, screen out with capture-pane.
 */
import {execFile, spawn} from 'node:child_process';
import {closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import stringWidth from 'string-width';
import {afterEach, describe, expect, test} from 'vitest';
import {hasTmux, TmuxSession} from './tmux.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = path.join(root, 'dist/fcx.js');
const tree = path.join(root, 'fixtures/sample-tree');
const built = existsSync(cli);
const run = promisify(execFile);

if (!hasTmux) console.warn('[e2e] tmux is not installed: the interactive walk-through of the real binary is SKIPPED');
if (!built) console.warn('[e2e] dist/fcx.js is missing (run `npm run build`): end-to-end tests are SKIPPED');

// `--min-age 0`: a fresh clone gives every fixture file the checkout time as mtime.
const command = `node ${cli} --min-age 0 ${tree}`;

describe.skipIf(!hasTmux || !built)('explorer in a real terminal (tmux)', () => {
	let session: TmuxSession | undefined;
	afterEach(() => session?.close());

	test('walks jobs → checkpoints → dependencies → files, then orphans, help and quit', async () => {
		session = new TmuxSession(command, {columns: 140, rows: 40});
		const jobs = await session.waitFor('6 jobs');
		expect(jobs).toMatch(/⊘ 5 orphans/);
		expect(jobs).toContain('✗ 1 missing');

		// Job B (restored from job A in CLAIM mode) is the second job by name.
		session.send('j', 'Enter');
		const checkpoints = await session.waitFor('Jobs › 7b2e4d6f');
		expect(checkpoints).toContain('chk-7');
		expect(checkpoints).toContain('missing-files');

		// chk-7: its dependencies, with A's shared/ marked cross-job.
		session.send('j', 'Enter');
		const checkpoint = await session.waitFor('› chk-7');
		expect(checkpoint).toMatch(/↗.*shared/);
		expect(checkpoint).toMatch(/✗.*shared/);

		// Open the dependency with the missing file (the third row: chk, A's shared, B's shared).
		// Arrow keys and Enter in one send-keys arrive together, as over a laggy SSH session: Enter
		// must open the row the moves reached.
		session.send('Down', 'Down', 'Enter');
		const files = await session.waitFor('31167833-92ab');
		expect(files).toMatch(/✗.*31167833-92ab/);

		// Back to the top, then the orphans view from anywhere.
		session.send('h', 'h', 'h');
		await session.waitFor(/^Jobs\s+2\/7/m);
		session.send('o');
		const orphans = await session.waitFor('› Orphans');
		expect(orphans).toMatch(/⊘.*dead job/);
		expect(orphans).toContain('chk-6');

		session.send('?');
		const help = await session.waitFor(/help/i);
		expect(help).toMatch(/quit/);
		session.send('?');

		session.send('q');
		expect(await session.waitFor('[exit 0]')).toContain('[exit 0]');
	});

	test('a terminal too small says so, and resizing lays the screen out again', async () => {
		session = new TmuxSession(command, {columns: 50, rows: 12});
		await session.waitFor(/too small/i);
		session.resize(120, 30);
		await session.waitFor('6 jobs');
		session.send('C-c');
		await session.waitFor('[exit');
	});

	test('names with wide characters or escape sequences: aligned within the terminal, never sent to it raw', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fcx-names-'));
		try {
			const job = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
			cpSync(path.join(tree, 'checkpoints', job), path.join(dir, job), {recursive: true});
			const wide = 'チェックポイントの共有ファイル名がとても長い場合の表示-🚀.sst';
			const escape = 'evil\u001B]0;pwned\u0007\u001B[2Jname';
			for (const name of [wide, escape]) closeSync(openSync(path.join(dir, job, 'shared', name), 'w'));

			session = new TmuxSession(`node ${cli} --min-age 0 ${dir}`, {columns: 100, rows: 30});
			await session.waitFor('1 job');
			session.send('o');
			const orphans = await session.waitFor('.sst');
			const rows = orphans.split('\n').filter((line) => / file /.test(line));
			expect(rows.length).toBeGreaterThanOrEqual(4);
			// Each row as wide as the terminal draws it, the type column at one place in all of them.
			for (const line of rows) expect(stringWidth(line)).toBeLessThanOrEqual(100);
			expect(new Set(rows.map((line) => stringWidth(line.slice(0, line.indexOf(' file ')))))).toHaveProperty('size', 1);
			expect(orphans).toContain('\\x1b]0;pwned\\x07\\x1b[2Jname');

			const {stdout} = await run('node', [cli, 'report', '--min-age', '0', dir]);
			expect(stdout).toContain(`${job}/shared/evil\\x1b]0;pwned\\x07\\x1b[2Jname`);
			expect(stdout).not.toContain('\u001B');
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

describe.skipIf(!built)('printed modes (not a TTY)', () => {
	test('without a terminal, fcx prints the text report and exits 1 because a file is missing', async () => {
		const error = await run('node', [cli, '--min-age', '0', tree]).catch((failure: unknown) => failure as {code: number; stdout: string});
		expect(error).toHaveProperty('code', 1);
		const {stdout} = error as {stdout: string};
		expect(stdout).toContain('ORPHANS');
		expect(stdout).toContain('MISSING');
		expect(stdout).toContain('31167833-92ab');
	});

	test('report --json is parseable and lists checkpoints, orphans and the missing file', async () => {
		const result = await run('node', [cli, 'report', '--json', '--min-age', '0', tree]).catch((failure: unknown) => failure as {stdout: string});
		const report = JSON.parse(result.stdout) as {checkpoints: unknown[]; orphans: {path: string}[]; missing: {path: string}[]};
		expect(report.checkpoints.length).toBeGreaterThan(5);
		expect(report.orphans.some((orphan) => orphan.path.includes('d00dfee'))).toBe(true);
		expect(report.missing).toHaveLength(1);
		expect(report.checkpoints.some((checkpoint) => 'files' in (checkpoint as object))).toBe(false);
		const withFiles = await run('node', [cli, 'report', '--json', '--files', '--min-age', '0', tree]).catch((failure: unknown) => failure as {stdout: string});
		const listed = JSON.parse(withFiles.stdout) as {checkpoints: {files?: {exists: boolean | null; uri: string}[]}[]};
		expect(listed.checkpoints.flatMap((checkpoint) => checkpoint.files ?? []).some((file) => file.exists === false && file.uri.includes('31167833-92ab'))).toBe(
			true,
		);
	});

	test('report: a truncated shared file two checkpoints reference makes both damaged, exit 1, listed in damaged[] (#21.4)', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fcx-truncated-'));
		try {
			cpSync(tree, dir, {recursive: true});
			type Json = {
				checkpoints: {path: string; status: string; files?: {path: string | null; size: number; handle: string}[]}[];
				damaged: {path: string; expectedBytes: number; actualBytes: number; referencedBy: string[]}[];
				jobs: {newestRestorableCheckpoint: {path: string; id: number} | null}[];
			};
			const before = JSON.parse(
				(await run('node', [cli, 'report', '--json', '--files', '--min-age', '0', dir]).catch((failure: unknown) => failure as {stdout: string})).stdout,
			) as Json;
			expect(before.damaged).toEqual([]);
			const users = new Map<string, {size: number; checkpoints: string[]}>();
			for (const checkpoint of before.checkpoints) {
				for (const file of checkpoint.files ?? []) {
					if (file.path === null || file.handle !== 'file' || file.size < 2 || !file.path.includes('/shared/') || checkpoint.status !== 'complete') continue;
					const entry = users.get(file.path) ?? {size: file.size, checkpoints: []};
					entry.checkpoints.push(checkpoint.path);
					users.set(file.path, entry);
				}
			}

			const [sst, {size, checkpoints}] = [...users].find(([, entry]) => entry.checkpoints.length >= 2)!;
			truncateSync(sst, 1);
			const failure = await run('node', [cli, 'report', '--json', '--min-age', '0', dir]).then(
				() => ({code: 0, stdout: ''}),
				(error: unknown) => error as {code: number; stdout: string},
			);
			expect(failure.code).toBe(1);
			const after = JSON.parse(failure.stdout) as Json;
			expect(after.damaged).toEqual([{path: sst, uri: expect.any(String) as string, expectedBytes: size, actualBytes: 1, referencedBy: checkpoints.sort()}]);
			for (const checkpoint of checkpoints) expect(after.checkpoints.find((entry) => entry.path === checkpoint)?.status).toBe('damaged');
			for (const job of after.jobs) expect(checkpoints).not.toContain(job.newestRestorableCheckpoint?.path);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('inspect --json prints an array with the file references', async () => {
		const metadata = path.join(tree, 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-7/_metadata');
		const {stdout} = await run('node', [cli, 'inspect', '--json', metadata]);
		const parsed = JSON.parse(stdout) as unknown[];
		expect(parsed).toHaveLength(1);
		expect(JSON.stringify(parsed[0])).toContain('31167833-92ab');
	});

	test('inspect takes a checkpoint directory for its _metadata, and says so of a directory without one', async () => {
		const checkpoint = path.join(tree, 'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-7');
		const {stdout} = await run('node', [cli, 'inspect', checkpoint]);
		expect(stdout).toContain(`_metadata: ${checkpoint}/_metadata`);
		expect(stdout).toMatch(/Checkpoint id: +7/);
		const failed = await run('node', [cli, 'inspect', tree]).catch((failure: unknown) => failure as {code: number; stderr: string});
		expect(failed).toMatchObject({code: 3});
		expect((failed as {stderr: string}).stderr).toBe(
			`fcx: ${tree}: a directory without a _metadata file; inspect takes _metadata files, or the checkpoint and savepoint directories that hold them\n`,
		);
	});

	test('bad usage exits 2 and an unreadable path exits 3, with one line and no stack trace', async () => {
		const usage = await run('node', [cli, 'report', '--min-age', 'soon', tree]).catch((failure: unknown) => failure as {code: number; stderr: string});
		expect(usage).toMatchObject({code: 2});
		expect((usage as {stderr: string}).stderr).toMatch(/^fcx: --min-age/);
		const missing = await run('node', [cli, 'report', '/nonexistent/path']).catch((failure: unknown) => failure as {code: number; stderr: string});
		expect(missing).toMatchObject({code: 3});
		expect((missing as {stderr: string}).stderr).not.toMatch(/\bat .*\.js:\d+/);
		// A path holding an escape sequence is named with it shown, not sent to the terminal.
		const escaped = await run('node', [cli, 'report', '/nonexistent/\u001B[2Jevil']).catch((failure: unknown) => failure as {code: number; stderr: string});
		expect(escaped).toMatchObject({code: 3, stderr: 'fcx: /nonexistent/\\x1b[2Jevil: no such file or directory\n'});
		// inspect names a path it cannot read the same way (not Node's `ENOENT: …, open '…'`).
		const inspectMissing = await run('node', [cli, 'inspect', '/nonexistent/_metadata']).catch((failure: unknown) => failure as {code: number; stderr: string});
		expect(inspectMissing).toMatchObject({code: 3, stderr: 'fcx: /nonexistent/_metadata: no such file or directory\n'});
		const notMetadata = await run('node', [cli, 'inspect', path.join(root, 'package.json')]).catch(
			(failure: unknown) => failure as {code: number; stderr: string},
		);
		expect(notMetadata).toMatchObject({code: 3});
		expect((notMetadata as {stderr: string}).stderr.trim().split('\n')).toHaveLength(1);
	});

	test('a slow reader gets the whole report before fcx exits, with the exit status of the analysis', async () => {
		// fcx exits as soon as its output is written (not when Node has freed its heap): nothing of a
		// big output may be lost on the way to a reader that starts late.
		const script = '{ node "$0" report --json --files --min-age 0 "$1"; echo "exit $?" >&2; } | { sleep 0.3; cat; }';
		const {stdout, stderr} = await run('sh', ['-c', script, cli, tree], {maxBuffer: 64 * 1024 * 1024});
		expect(stdout.length).toBeGreaterThan(100_000);
		const report = JSON.parse(stdout) as {missing: unknown[]};
		// The sample tree has a missing file: status 1.
		expect(report.missing).toHaveLength(1);
		expect(stderr).toBe('exit 1\n');
	});

	test('a reader that stops early (`| head`) ends fcx quietly with status 141, like a Unix tool; an unwritable output is one line and 74', async () => {
		// The reading end is closed before fcx writes anything.
		const child = spawn('node', [cli, 'report', '--json', '--files', '--min-age', '0', tree], {stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		expect(stderr).toBe('');
		expect(code).toBe(141);
		if (existsSync('/dev/full')) {
			const full = openSync('/dev/full', 'w');
			try {
				const writer = spawn('node', [cli, 'report', '--json', '--min-age', '0', tree], {stdio: ['ignore', full, 'pipe']});
				let fullStderr = '';
				writer.stderr?.on('data', (chunk: Buffer) => (fullStderr += chunk.toString()));
				expect(await new Promise<number | null>((resolve) => writer.on('close', resolve))).toBe(74);
				expect(fullStderr).toMatch(/^fcx: cannot write the output: ENOSPC[^\n]*\n$/);
			} finally {
				closeSync(full);
			}
		}
	});

	test('a damaged _metadata: one-line error, an approximate (not authoritative) path list, and no orphans called in its job', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'fcx-damaged-'));
		try {
			const job = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
			cpSync(path.join(tree, 'checkpoints', job), path.join(dir, job), {recursive: true});
			const metadata = path.join(dir, job, 'chk-5/_metadata');
			writeFileSync(metadata, readFileSync(metadata).subarray(0, 2000));

			const inspected = await run('node', [cli, 'inspect', metadata]).catch((failure: unknown) => failure as {code: number; stdout: string; stderr: string});
			expect(inspected).toMatchObject({code: 3});
			const {stdout, stderr} = inspected;
			expect(stderr.trim().split('\n')).toHaveLength(1);
			expect(stderr).toMatch(/at byte \d+: expected/);
			expect(stdout).toMatch(/approximate, NOT authoritative/);
			expect(stdout).toContain(`/${job}/shared/`);

			const reported = await run('node', [cli, 'report', '--json', '--min-age', '0', dir]).catch((failure: unknown) => failure as {stdout: string});
			const report = JSON.parse(reported.stdout) as {
				checkpoints: {status: string; approximate?: {notAuthoritative: boolean; strings: unknown[]}}[];
				orphans: {reason: string}[];
			};
			const unreadable = report.checkpoints.find((checkpoint) => checkpoint.status === 'unreadable');
			expect(unreadable?.approximate?.notAuthoritative).toBe(true);
			expect(unreadable?.approximate?.strings.length).toBeGreaterThan(0);
			expect(report.orphans.filter((orphan) => orphan.reason === 'unreferenced-file')).toEqual([]);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
