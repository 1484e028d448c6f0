/**
 * Property (issues #21.1, #21.2): over random checkpoint trees written as Flink writes them (remote
 * `hdfs://` paths), copied down renamed or in part, with referenced files deleted and directories
 * that cannot be listed, the analysis never calls a file that some `_metadata` references (also one
 * it cannot read) an orphan, never plans it, and never calls a snapshot complete whose files are
 * missing or unknown. Fixed seed (`test/property-seed.ts`); `FCX_FUZZ_RUNS` runs more.
 */
import {rmSync, statSync, unlinkSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {buildAnalysis, type LoadedSnapshot} from '../../source/analysis/build.js';
import {makePlan} from '../../source/cleanup/plan.js';
import {readMetadataFile} from '../../source/metadata/index.js';
import {FileTable} from '../../source/tree/file-table.js';
import {baseName, isInside, parentPath} from '../../source/tree/layout.js';
import {scanTree, type ScanResult} from '../../source/tree/scan.js';
import {J1, J2, NOW, metadataBytes, tree} from '../cleanup/helpers.js';

const RUNS = Number(process.env.FCX_FUZZ_RUNS ?? 40);
const REMOTE_CP = 'hdfs://namenode:8020/flink/checkpoints';
const REMOTE_SP = 'hdfs://namenode:8020/flink/savepoints';

/** One job: shared files, checkpoints (exclusive files, which shared files), a savepoint, and how it is copied down. */
const jobSpec = fc.record({
	shared: fc.integer({min: 0, max: 4}),
	checkpoints: fc.array(fc.record({exclusive: fc.integer({min: 1, max: 2}), refs: fc.array(fc.boolean(), {minLength: 4, maxLength: 4}), leftover: fc.boolean()}), {minLength: 1, maxLength: 3}),
	unreferencedShared: fc.boolean(),
	incomplete: fc.boolean(),
	savepoint: fc.boolean(),
	/** How the job directory is copied: as is, renamed, under another job id, or one checkpoint alone (renamed or not). */
	copy: fc.constantFrom('same', 'renamed', 'other-id', 'one-chk', 'one-chk-renamed'),
	savepointName: fc.constantFrom('same', 'renamed'),
});

const spec = fc.record({
	jobs: fc.array(jobSpec, {minLength: 1, maxLength: 2}),
	base: fc.constantFrom('checkpoints', 'renamed-base'),
	/** Referenced files to delete (indices into all of them). */
	deletions: fc.array(fc.nat(), {maxLength: 2}),
	/** Directories to make unlistable (indices into the copy's directories). */
	unlisted: fc.array(fc.nat(), {maxLength: 2}),
});

/** A referenced file: its local path in the copy (`null`: not copied) and the snapshot directories (local) that reference it. */
interface Referenced {
	local: string | null;
	users: string[];
}

/** `scan` as if the directories `hidden` could not be listed: nothing below them, a warning each (as `crawlTree` gives). */
function withUnlisted(scan: ScanResult, hidden: readonly string[]): ScanResult {
	const below = (path: string): boolean => hidden.some((dir) => path !== dir && isInside(path, dir));
	const files = new FileTable();
	for (const [path, stat] of scan.files) if (!below(path)) files.add(parentPath(path), baseName(path), stat);
	return {
		...scan,
		files,
		directories: new Map([...scan.directories].filter(([dir]) => !below(dir))),
		metadataFiles: scan.metadataFiles.filter((path) => !below(path)),
		warnings: [...scan.warnings, ...hidden.map((path) => ({code: 'unreadable-directory' as const, path, message: 'unreadable directory: EACCES (simulated)'}))],
	};
}

async function load(paths: readonly string[]): Promise<LoadedSnapshot[]> {
	const out: LoadedSnapshot[] = [];
	for (const metadataPath of paths) {
		const st = statSync(metadataPath);
		out.push({metadataPath, result: await readMetadataFile(metadataPath), mtimeMs: st.mtimeMs, size: st.size});
	}
	return out;
}

describe('property: renamed and partial copies, deleted files and unreadable directories', () => {
	test('no referenced file is an orphan or planned; no snapshot with missing or unknown files is complete', async () => {
		await fc.assert(
			fc.asyncProperty(spec, async (s) => {
				const t = tree('fcx-copies-');
				try {
					const referenced = new Map<string, Referenced>();
					const snapshotFiles = new Map<string, string[]>();
					let unique = 0;
					s.jobs.forEach((job, j) => {
						const id = [J1, J2][j];
						const remoteJob = `${REMOTE_CP}/${id}`;
						const localJob = {same: `${s.base}/${id}`, renamed: `${s.base}/job-copy-${j}`, 'other-id': `${s.base}/${'e'.repeat(31)}${j}`, 'one-chk': `download-${j}`, 'one-chk-renamed': `download-${j}`}[job.copy];
						const partial = job.copy === 'one-chk' || job.copy === 'one-chk-renamed';
						const shared = Array.from({length: job.shared}, () => `s-${unique++}`);
						if (!partial) for (const name of shared) t.file(`${localJob}/shared/${name}`);
						if (!partial && job.unreferencedShared) t.file(`${localJob}/shared/unreferenced-${unique++}`);
						job.checkpoints.forEach((cp, k) => {
							const n = 10 * j + k + 1;
							const copied = !partial || k === job.checkpoints.length - 1;
							const localChk = partial ? `${localJob}/${job.copy === 'one-chk' ? `chk-${n}` : `my-chk`}` : `${localJob}/chk-${n}`;
							const exclusive = Array.from({length: cp.exclusive}, () => `x-${unique++}`);
							const refs = shared.filter((_, i) => cp.refs[i]);
							const written = [...exclusive.map((x) => `${remoteJob}/chk-${n}/${x}`), ...refs.map((x) => `${remoteJob}/shared/${x}`)];
							if (!copied) return;
							t.put(`${localChk}/_metadata`, metadataBytes(n, written));
							const snapshot = t.abs(localChk);
							const locals = [...exclusive.map((x) => `${localChk}/${x}`), ...refs.map((x) => (partial ? null : `${localJob}/shared/${x}`))];
							for (const x of exclusive) t.file(`${localChk}/${x}`);
							if (cp.leftover) t.file(`${localChk}/leftover-${unique++}`);
							const files: string[] = [t.abs(`${localChk}/_metadata`)];
							for (const local of locals) {
								const path = local === null ? `?${unique++}` : t.abs(local);
								const entry = referenced.get(path) ?? {local: local === null ? null : path, users: []};
								entry.users.push(snapshot);
								referenced.set(path, entry);
								if (local !== null) files.push(path);
							}
							referenced.set(t.abs(`${localChk}/_metadata`), {local: t.abs(`${localChk}/_metadata`), users: [snapshot]});
							snapshotFiles.set(snapshot, files);
						});
						if (!partial && job.incomplete) t.file(`${localJob}/chk-99/partial-${unique++}`);
						if (job.savepoint) {
							const name = `savepoint-${id.slice(0, 6)}-${'0123456789a'}${j}`;
							const local = job.savepointName === 'same' ? `savepoints/${name}` : `savepoints/sp-copy-${j}`;
							const files = [`f-${unique++}`, `f-${unique++}`];
							t.put(`${local}/_metadata`, metadataBytes(50 + j, files.map((f) => `${REMOTE_SP}/${name}/${f}`), {savepoint: true}));
							for (const f of files) t.file(`${local}/${f}`);
							const snapshot = t.abs(local);
							const paths = [t.abs(`${local}/_metadata`), ...files.map((f) => t.abs(`${local}/${f}`))];
							for (const path of paths) referenced.set(path, {local: path, users: [snapshot]});
							snapshotFiles.set(snapshot, paths);
						}
					});

					// Deleted referenced files (not _metadata): their snapshots are not complete.
					const deletable = [...referenced.values()].filter((r) => r.local !== null && baseName(r.local) !== '_metadata');
					const deleted = new Set<string>();
					for (const i of s.deletions) {
						if (deletable.length === 0) break;
						const victim = deletable[i % deletable.length].local!;
						if (!deleted.has(victim)) unlinkSync(victim);
						deleted.add(victim);
					}

					const scanned = await scanTree([t.dir]);
					const dirs = [...scanned.directories.keys()].filter((d) => d !== t.dir).sort();
					const hidden = [...new Set(s.unlisted.map((i) => dirs[i % dirs.length]))].filter((d) => d !== undefined);
					const scan = withUnlisted(scanned, hidden);
					const analysis = await buildAnalysis(scan, await load(scan.metadataFiles), {nowMs: NOW, minAgeMs: 0});
					const plan = makePlan(analysis, {nowMs: NOW});

					for (const [path, r] of referenced) {
						if (r.local === null || deleted.has(path)) continue;
						for (const o of analysis.orphans) expect(isInside(path, o.path), `${path} (used by ${r.users.join(', ')}) in orphan ${o.path}`).toBe(false);
						for (const e of plan.entries) expect(isInside(path, e.path), `${path} (used by ${r.users.join(', ')}) in planned ${e.path}`).toBe(false);
					}
					const unknown = (path: string): boolean => hidden.some((dir) => path !== dir && isInside(path, dir));
					for (const cp of analysis.checkpoints) {
						if (cp.status !== 'complete') continue;
						for (const path of snapshotFiles.get(cp.path) ?? []) {
							expect(deleted.has(path), `${cp.path} complete, but ${path} was deleted`).toBe(false);
							expect(unknown(path), `${cp.path} complete, but ${path} lies in an unlisted directory`).toBe(false);
						}
					}
				} finally {
					rmSync(t.dir, {recursive: true, force: true});
				}
			}),
			{numRuns: RUNS},
		);
	}, 600_000);
});
