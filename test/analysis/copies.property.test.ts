/**
 * Property (issues #21.1-4): over random checkpoint trees written as Flink writes them (remote
 * `hdfs://` paths), copied down renamed or in part, with referenced files deleted or truncated,
 * damaged `_metadata` files (zero padding, cut, bit flips, trailing bytes) and directories that
 * cannot be listed, the analysis never calls a file that some `_metadata` references (also one it
 * cannot read) an orphan, never plans it (with or without a what-if target, unless the target
 * removes every snapshot that references it), and never calls a snapshot complete whose files are
 * missing, damaged or unknown. A damaged `_metadata` is `unreadable` and its job gets no
 * unreferenced-file orphans. Fixed seed (`test/property-seed.ts`); `FCX_FUZZ_RUNS` runs more.
 */
import {readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {buildAnalysis, type LoadedSnapshot} from '../../source/analysis/build.js';
import {makePlan} from '../../source/cleanup/plan.js';
import {readMetadata, readMetadataFile} from '../../source/metadata/index.js';
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
	checkpoints: fc.array(
		fc.record({exclusive: fc.integer({min: 1, max: 2}), refs: fc.array(fc.boolean(), {minLength: 4, maxLength: 4}), leftover: fc.boolean()}),
		{minLength: 1, maxLength: 3},
	),
	unreferencedShared: fc.boolean(),
	incomplete: fc.boolean(),
	savepoint: fc.boolean(),
	/** How the job directory is copied: as is, renamed, under another job id, or one checkpoint alone (renamed or not). */
	copy: fc.constantFrom('same', 'renamed', 'other-id', 'one-chk', 'one-chk-renamed'),
	savepointName: fc.constantFrom('same', 'renamed'),
});

/** One way a `_metadata` gets damaged: a prefix then zeros, cut short, one bit flipped, bytes appended. */
const damage = fc.record({
	metadata: fc.nat(),
	kind: fc.constantFrom('zero-padding', 'cut', 'bit-flip', 'trailing-bytes'),
	at: fc.nat(),
	bit: fc.integer({min: 0, max: 7}),
	extra: fc.uint8Array({minLength: 1, maxLength: 4096}),
});

const spec = fc.record({
	jobs: fc.array(jobSpec, {minLength: 1, maxLength: 2}),
	base: fc.constantFrom('checkpoints', 'renamed-base'),
	/** Referenced files to delete (indices into all of them). */
	deletions: fc.array(fc.nat(), {maxLength: 2}),
	/** Directories to make unlistable (indices into the copy's directories). */
	unlisted: fc.array(fc.nat(), {maxLength: 2}),
	/** Referenced files to truncate below the 16 bytes their handles record (indices into all of them). */
	truncations: fc.array(fc.record({file: fc.nat(), length: fc.integer({min: 0, max: 15})}), {maxLength: 2}),
	/** `_metadata` files to damage (indices into all of them). */
	damaged: fc.array(damage, {maxLength: 2}),
	/** A what-if target for a second plan (index into the snapshot, job and referenced-file paths), or none. */
	target: fc.option(fc.nat(), {nil: undefined}),
});

/** A referenced file: its local path in the copy (`null`: not copied) and the snapshot directories (local) that reference it. */
interface Referenced {
	local: string | null;
	users: string[];
}

/** The local paths a `_metadata`'s references name, sorted, or `null` when it does not parse. */
function referencedPaths(bytes: Uint8Array): string[] | null {
	try {
		return readMetadata(bytes)
			.references.map((r) => r.path)
			.sort();
	} catch {
		return null;
	}
}

/**
 * Damage the `_metadata` at `path` as `d` says. Returns whether it is now damaged: `false` when the
 * damage left the same bytes, or (a bit flip, zero padding) bytes that still parse, to the same or
 * other references: a file without checksum cannot tell, so the original is kept. (An enum constant
 * zeroed so, which Flink cannot read, is `test/attack/damaged-trailer.test.ts`.)
 */
function damageMetadata(path: string, d: {kind: string; at: number; bit: number; extra: Uint8Array}): boolean {
	const original = readFileSync(path);
	const at = d.at % original.length;
	const damaged =
		d.kind === 'zero-padding'
			? Buffer.concat([original.subarray(0, at), Buffer.alloc(d.extra.length)])
			: d.kind === 'cut'
				? original.subarray(0, at)
				: d.kind === 'trailing-bytes'
					? Buffer.concat([original, d.extra])
					: Buffer.from(original.map((b, i) => (i === at ? b ^ (1 << d.bit) : b)));
	if (damaged.equals(original)) return false;
	// A flipped bit, or zeros over the end (e.g. over the trailer's booleans), can leave a file that
	// Flink reads too (no checksum): not damage. A cut or trailing bytes never parse (the format's end is exact).
	if ((d.kind === 'bit-flip' || d.kind === 'zero-padding') && referencedPaths(damaged) !== null) return false;
	writeFileSync(path, damaged);
	return true;
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
		try {
			out.push({metadataPath, result: await readMetadataFile(metadataPath), mtimeMs: st.mtimeMs, size: st.size});
		} catch (error) {
			// As `analyse` loads it: an unreadable snapshot with the parse error.
			out.push({metadataPath, error: (error as Error).message, mtimeMs: st.mtimeMs, size: st.size});
		}
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
					/** Every `_metadata`: its path, its snapshot directory and the directory of its job (a savepoint's own). */
					const metadataFiles: {path: string; snapshot: string; owner: string}[] = [];
					const jobDirs: string[] = [];
					let unique = 0;
					s.jobs.forEach((job, j) => {
						const id = [J1, J2][j];
						const remoteJob = `${REMOTE_CP}/${id}`;
						const localJob = {
							same: `${s.base}/${id}`,
							renamed: `${s.base}/job-copy-${j}`,
							'other-id': `${s.base}/${'e'.repeat(31)}${j}`,
							'one-chk': `download-${j}`,
							'one-chk-renamed': `download-${j}`,
						}[job.copy];
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
							metadataFiles.push({path: t.abs(`${localChk}/_metadata`), snapshot, owner: t.abs(localJob)});
							snapshotFiles.set(snapshot, files);
						});
						jobDirs.push(t.abs(localJob));
						if (!partial && job.incomplete) t.file(`${localJob}/chk-99/partial-${unique++}`);
						if (job.savepoint) {
							const name = `savepoint-${id.slice(0, 6)}-${'0123456789a'}${j}`;
							const local = job.savepointName === 'same' ? `savepoints/${name}` : `savepoints/sp-copy-${j}`;
							const files = [`f-${unique++}`, `f-${unique++}`];
							t.put(
								`${local}/_metadata`,
								metadataBytes(
									50 + j,
									files.map((f) => `${REMOTE_SP}/${name}/${f}`),
									{savepoint: true},
								),
							);
							for (const f of files) t.file(`${local}/${f}`);
							const snapshot = t.abs(local);
							const paths = [t.abs(`${local}/_metadata`), ...files.map((f) => t.abs(`${local}/${f}`))];
							for (const path of paths) referenced.set(path, {local: path, users: [snapshot]});
							metadataFiles.push({path: paths[0], snapshot, owner: snapshot});
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

					// Truncated referenced files (not deleted ones): their snapshots are damaged, not complete.
					const truncated = new Set<string>();
					const present = deletable.filter((r) => !deleted.has(r.local!));
					for (const {file, length} of s.truncations) {
						if (present.length === 0) break;
						const victim = present[file % present.length].local!;
						truncateSync(victim, length);
						truncated.add(victim);
					}
					// Damaged `_metadata` files: their snapshots are unreadable.
					const damagedMetadata = new Set<string>();
					for (const d of s.damaged) {
						const m = metadataFiles[d.metadata % metadataFiles.length];
						if (!damagedMetadata.has(m.path) && damageMetadata(m.path, d)) damagedMetadata.add(m.path);
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
						expect(cp.metadataPath !== null && damagedMetadata.has(cp.metadataPath), `${cp.path} complete, but its _metadata is damaged`).toBe(false);
						for (const path of snapshotFiles.get(cp.path) ?? []) {
							expect(deleted.has(path), `${cp.path} complete, but ${path} was deleted`).toBe(false);
							expect(truncated.has(path), `${cp.path} complete, but ${path} was truncated`).toBe(false);
							expect(unknown(path), `${cp.path} complete, but ${path} lies in an unlisted directory`).toBe(false);
						}
					}
					for (const m of metadataFiles) {
						if (!damagedMetadata.has(m.path) || unknown(m.path)) continue;
						const cp = analysis.checkpoints.find((c) => c.metadataPath === m.path);
						// `legacy`: a cut left the magic and format version 0 or 1, whose body fcx does not read; unknown all the same.
						expect(['unreadable', 'legacy'], `${m.path} is damaged, status ${cp?.status}`).toContain(cp?.status);
						for (const o of analysis.orphans) {
							if (o.reason !== 'unreferenced-file') continue;
							// Another chk-<n> of the job holds only what its own (readable) `_metadata` references
							// (Flink writes a checkpoint's exclusive files into its own directory): that rule
							// stays, as build.ts documents. Its shared/, taskowned/ and own directory get none.
							const top = o.path.slice(m.owner.length + 1).split('/')[0];
							if (/^chk-\d+$/.test(top) && `${m.owner}/${top}` !== m.snapshot) continue;
							expect(isInside(o.path, m.owner), `${o.path}: unreferenced-file orphan in ${m.owner}, whose ${m.path} is damaged`).toBe(false);
						}
					}

					// A plan for a what-if target: nothing a snapshot outside the target references.
					if (s.target === undefined) return;
					const candidates = [...snapshotFiles.keys(), ...jobDirs, ...[...referenced.values()].flatMap((r) => (r.local === null ? [] : [r.local]))];
					const target = candidates[s.target % candidates.length];
					let targetPlan: ReturnType<typeof makePlan>;
					try {
						targetPlan = makePlan(analysis, {nowMs: NOW, targets: [target]});
					} catch (error) {
						expect((error as Error).message).toMatch(/^refusing to plan/);
						return;
					}
					for (const [path, r] of referenced) {
						if (r.local === null || deleted.has(path)) continue;
						// A snapshot is removed with its directory, or with its `_metadata` (as whatIfDelete says).
						const outside = r.users.filter((u) => !isInside(u, target) && target !== `${u}/_metadata`);
						if (outside.length === 0) continue;
						for (const e of targetPlan.entries) {
							expect(isInside(path, e.path), `target ${target}: ${path} (used by ${outside.join(', ')}) in planned ${e.path}`).toBe(false);
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
