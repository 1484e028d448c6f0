/**
 * End to end through the built CLI (`dist/fcx.js`): a damaged `_metadata` that is the newest of its
 * job (Flink's header, then 4 KiB of zeros, as a crash or a bad copy leaves it) is not a checkpoint
 * (issue #21.3). Before the strict reader it parsed as a complete empty checkpoint, became the job's
 * newest complete one, and `what-if --keep-last 1` / `plan --target` gave away the only real one.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ByteWriter} from '../../source/metadata/byte-writer.js';
import {J1, tree} from '../cleanup/helpers.js';
import {projectRoot} from '../support/corpus.js';

const cli = path.join(projectRoot, 'dist/fcx.js');
const built = existsSync(cli);
if (!built) console.warn('[metadata damaged-cli] dist/fcx.js is missing (run `npm run build`): SKIPPED');

/** Run the CLI; stdout, stderr and the exit status. */
function fcx(...args: string[]): {stdout: string; stderr: string; status: number | null} {
	const r = spawnSync(process.execPath, [cli, ...args], {encoding: 'utf8', timeout: 30_000});
	return {stdout: r.stdout, stderr: r.stderr, status: r.status};
}

/** Flink's magic, version 5, checkpoint id `id`, then 4 KiB of zeros. */
function zeroPadded(id: number): Uint8Array {
	const w = new ByteWriter();
	w.i32(0x4960672d);
	w.i32(5);
	w.i64(id);
	w.raw(new Uint8Array(4096));
	return w.toBytes();
}

interface JsonCheckpoint {
	path: string;
	status: string;
}

describe.skipIf(!built)('a zero-padded _metadata that is the newest of its job', () => {
	const t = tree('fcx-damaged-');
	const job = `checkpoints/${J1}`;
	t.file(`${job}/shared/a.sst`);
	t.file(`${job}/chk-1/exclusive`);
	t.metadata(`${job}/chk-1`, 1, [`${job}/shared/a.sst`, `${job}/chk-1/exclusive`]);
	mkdirSync(t.abs(`${job}/chk-2`));
	writeFileSync(t.abs(`${job}/chk-2/_metadata`), zeroPadded(2));
	const chk1 = t.abs(`${job}/chk-1`);
	const chk2 = t.abs(`${job}/chk-2`);

	it('report --json: the damaged one is unreadable, the real one complete, nothing of the job is an orphan', () => {
		const {stdout, status} = fcx('report', '--json', '--min-age', '0', t.dir);
		expect(status).toBe(0);
		const report = JSON.parse(stdout) as {checkpoints: JsonCheckpoint[]; orphans: {path: string}[]; warnings: {code: string; message: string}[]};
		const byPath = new Map(report.checkpoints.map((c) => [c.path, c.status]));
		expect(byPath.get(chk2)).toBe('unreadable');
		expect(byPath.get(chk1)).toBe('complete');
		expect(report.orphans.map((o) => o.path)).toEqual([]);
		expect(report.warnings.some((w) => w.message.includes('at byte 24'))).toBe(true);
	});

	it('what-if --keep-last 1 keeps the real checkpoint', () => {
		const {stdout, status} = fcx('what-if', '--keep-last', '1', '--json', t.dir);
		expect(status).toBe(0);
		expect(stdout).not.toContain(chk1);
	});

	it('plan --target of the real checkpoint is refused: it is the newest complete one', () => {
		const {status, stderr} = fcx('plan', '--json', '--min-age', '0', '--target', chk1, t.dir);
		expect(status).toBe(2);
		expect(stderr).toContain('newest complete');
	});
});
