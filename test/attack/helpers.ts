/**
 * Shared tools of the attack suites (`test/attack/*.test.ts`): the built binary (`dist/fcx.js`),
 * run as root or as `nobody`, hand-made `_metadata` files whose keyed state references any
 * string, temp trees of them, and readers of the report JSON and the plan script.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';
import {checkpointProperties, writeMetadata} from '../../source/metadata/index.js';
import type {IncrementalRemoteKeyedStateHandle, StreamStateHandle} from '../../source/metadata/types.js';
import {readResult, savepointProps} from '../analysis/helpers.js';
import {tree} from '../cleanup/helpers.js';

export {J1, J2, tree} from '../cleanup/helpers.js';

const root = path.resolve(import.meta.dirname, '../..');
/** The built binary. */
export const cli = path.join(root, 'dist/fcx.js');
/** Whether the binary is built (the binary's tests are skipped otherwise, with a warning). */
export const built = existsSync(cli);
export const SETPRIV = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
/** Whether the tests can run the binary as `nobody` (root with setpriv). */
export const unprivileged = built && process.getuid?.() === 0 && spawnSync(SETPRIV[0], [...SETPRIV.slice(1), 'true']).status === 0;
if (!built) console.warn('[attack] dist/fcx.js is missing (run `npm run build`): the attacks through the binary are SKIPPED');

export const REMOTE = 'hdfs://namenode:8020/flink/checkpoints';
export const SP_REMOTE = 'hdfs://namenode:8020/flink/savepoints';
export const SP = 'savepoint-aaaaaa-0123456789ab';

/** One run of the binary (60 s at most), its exit status and output. */
export function fcx(
	args: string[],
	options: {asNobody?: boolean; cwd?: string; env?: NodeJS.ProcessEnv} = {},
): {status: number | null; stdout: string; stderr: string} {
	const command = options.asNobody === true ? [...SETPRIV, process.execPath, cli, ...args] : [process.execPath, cli, ...args];
	const run = spawnSync(command[0], command.slice(1), {encoding: 'utf8', timeout: 60_000, cwd: options.cwd, env: options.env});
	return {status: run.status, stdout: run.stdout, stderr: run.stderr};
}

/** The parts of the report JSON the attacks read. */
export interface Report {
	checkpoints: {path: string; status: string; missing: number; outside: number}[];
	orphans: {path: string; reason: string}[];
	missing: {path: string}[];
	warnings: {code: string; path: string; message: string}[];
	jobs: {path: string; newestRestorableCheckpoint: {path: string; id: number} | null}[];
}

/** `fcx report --json --min-age 0 …args` (nothing on stderr), with its exit status. */
export function report(args: string[], options: {asNobody?: boolean} = {}): Report & {status: number | null} {
	const run = fcx(['report', '--json', '--min-age', '0', ...args], options);
	expect(run.stderr).toBe('');
	return {...(JSON.parse(run.stdout) as Report), status: run.status};
}

/** A reference of a hand-made `_metadata`: an absolute path / URI (tag 2) or `{relative}` (tag 6). */
export type Ref = string | {relative: string};

/** `_metadata` bytes of checkpoint (or savepoint) `id` whose keyed state references `refs`, 16 bytes each. */
export function metadataWith(id: number, refs: Ref[], savepoint = false): Uint8Array {
	const {metadata} = readResult(id, [], savepoint ? savepointProps : checkpointProperties('RETAIN_ON_CANCELLATION', false));
	const subtask = metadata.operators[0].subtasks[0];
	if (subtask.finished) throw new Error('unexpected finished subtask');
	const keyed = subtask.state.managedKeyedState as IncrementalRemoteKeyedStateHandle;
	keyed.sharedState = refs.map((r, i) => {
		const handle: StreamStateHandle = typeof r === 'string' ? {tag: 2, path: r, size: 16} : {tag: 6, relativePath: r.relative, size: 16};
		return {localPath: `${String(i).padStart(6, '0')}.sst`, handle};
	});
	keyed.checkpointedSize = 16 * refs.length;
	keyed.stateHandleId = `handle-${id}`;
	return writeMetadata(metadata);
}

/** A temp tree of snapshots (`meta`: directory → [id, references, savepoint?], `$T` = the tree) and 16-byte files. */
export function attackTree(meta: Record<string, [number, Ref[], boolean?]>, files: string[], prefix = 'fcx-attack-') {
	const t = tree(prefix);
	const sub = (s: string): string => s.replaceAll('$T', t.dir);
	for (const [dir, [id, refs, savepoint]] of Object.entries(meta)) {
		t.put(
			`${dir}/_metadata`,
			metadataWith(
				id,
				refs.map((r) => (typeof r === 'string' ? sub(r) : r)),
				savepoint,
			),
		);
	}
	for (const f of files) t.file(f);
	return t;
}

/** Whether `inside` is `p` or lies below it (or holds it). */
export const touches = (p: string, inside: string): boolean => inside === p || inside.startsWith(`${p}/`) || p.startsWith(`${inside}/`);

/** The paths a plan script would remove (its `rm -r -- '…'` lines). */
export function planned(script: string): string[] {
	return [...script.matchAll(/^rm -r -- '(.*)'$/gm)].map((m) => m[1]);
}
