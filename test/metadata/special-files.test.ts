/**
 * Input that is not a regular file (issue #21.12): a FIFO named `_metadata` hung `inspect` and
 * `report` (and could hang a scan if swapped in after the crawl), `fcx report /dev/zero` grew past
 * 3 GB. Every read opens without blocking, requires a regular file and is capped: each case ends
 * at once with one line naming the path and what it is.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {MetadataFileReader, ParseError, readMetadataBytes, readMetadataFile, readRegularFileBytes} from '../../source/metadata/index.js';
import {projectRoot} from '../support/corpus.js';
import {tempDir} from '../support/temp.js';

const cli = path.join(projectRoot, 'dist/fcx.js');
const built = existsSync(cli);
const hasMkfifo = spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;
const hasDevZero = existsSync('/dev/zero');
if (!built) console.warn('[metadata special-files] dist/fcx.js is missing (run `npm run build`): the CLI cases are SKIPPED');
/** Every case must end well within this (a hang is what is tested against). */
const BOUND_MS = 20_000;

const dir = tempDir('fcx-special-');
const fifo = path.join(dir, 'job', 'chk-1', '_metadata');
if (hasMkfifo) {
	mkdirSync(path.dirname(fifo), {recursive: true});
	execFileSync('mkfifo', [fifo]);
}

/** Run the CLI with a time limit; stdout, stderr, exit status and how long it took. */
function fcx(...args: string[]): {stdout: string; stderr: string; status: number | null; ms: number} {
	const start = performance.now();
	const r = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', timeout: BOUND_MS, maxBuffer: 16 * 1024 * 1024});
	return {stdout: r.stdout, stderr: r.stderr, status: r.status, ms: performance.now() - start};
}

async function rejection(promise: Promise<unknown>): Promise<ParseError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ParseError);
	return error as ParseError;
}

describe.skipIf(!hasMkfifo)('a FIFO named _metadata', () => {
	it('every reader refuses it at once, naming it a FIFO', async () => {
		const expected = `${fifo}: at byte 0: expected a regular file, found a FIFO (named pipe)`;
		expect((await rejection(readMetadataFile(fifo))).message).toBe(expected);
		expect((await rejection(readMetadataBytes(fifo))).message).toBe(expected);
		expect((await rejection(readRegularFileBytes(fifo))).message).toBe(expected);
		expect(() => new MetadataFileReader().read(fifo)).toThrow(expected);
	});

	it.skipIf(!built)('inspect: one line, exit 3', () => {
		for (const named of [fifo, path.dirname(fifo)]) {
			const {stdout, stderr, status, ms} = fcx('inspect', named);
			expect(status).toBe(3);
			expect(stdout).toBe('');
			expect(stderr).toBe(`fcx: ${fifo}: at byte 0: expected a regular file, found a FIFO (named pipe)\n`);
			expect(ms).toBeLessThan(BOUND_MS);
		}
	});

	it.skipIf(!built)('report --json naming it: an unreadable snapshot, exit 3 (a FIFO swapped in after the crawl is read the same way)', () => {
		const {stdout, status} = fcx('report', '--json', fifo);
		expect(status).toBe(3);
		const report = JSON.parse(stdout) as {checkpoints: {status: string; error?: string}[]};
		expect(report.checkpoints).toHaveLength(1);
		expect(report.checkpoints[0].status).toBe('unreadable');
		expect(report.checkpoints[0].error).toContain('expected a regular file, found a FIFO');
	});

	it.skipIf(!built)('report of the tree holding it ends (the crawl never takes it for a snapshot)', () => {
		const {status} = fcx('report', '--json', dir);
		expect(status).toBe(0);
	});
});

describe.skipIf(!hasDevZero)('/dev/zero', () => {
	it('every reader refuses it at once instead of reading forever', async () => {
		const expected = '/dev/zero: at byte 0: expected a regular file, found a character device';
		expect((await rejection(readMetadataFile('/dev/zero'))).message).toBe(expected);
		expect((await rejection(readRegularFileBytes('/dev/zero'))).message).toBe(expected);
		expect(() => new MetadataFileReader().read('/dev/zero')).toThrow(expected);
	});

	it.skipIf(!built)('report /dev/zero ends with the line that says why, exit 3', () => {
		const {stdout, status, ms} = fcx('report', '/dev/zero');
		expect(status).toBe(3);
		expect(stdout).toContain('/dev/zero: at byte 0: expected a regular file, found a character device');
		expect(ms).toBeLessThan(BOUND_MS);
	});

	it.skipIf(!built)('inspect /dev/zero: one line, exit 3', () => {
		const {stderr, status} = fcx('inspect', '/dev/zero');
		expect(status).toBe(3);
		expect(stderr).toBe('fcx: /dev/zero: at byte 0: expected a regular file, found a character device\n');
	});
});

describe('a directory and an oversized file', () => {
	it('a directory is not a regular file', async () => {
		expect((await rejection(readMetadataFile(dir))).message).toBe(`${dir}: at byte 0: expected a regular file, found a directory`);
	});

	it('readRegularFileBytes caps at maxBytes before reading', async () => {
		const file = path.join(dir, 'big');
		writeFileSync(file, new Uint8Array(100));
		expect((await rejection(readRegularFileBytes(file, 99))).message).toBe(
			`${file}: at byte 0: expected a _metadata file of at most 99 bytes, found 100 bytes`,
		);
		expect((await readRegularFileBytes(file, 100)).length).toBe(100);
	});
});
