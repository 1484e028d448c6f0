/**
 * Deletion plans: what could go (orphans, and what a what-if target frees), with the size and
 * newest mtime of every entry so that execution can detect changes. Making a plan changes nothing.
 */
import {newestCompleteCheckpoints, normaliseTarget, ReferenceSet, scannedAtOrBelow, whatIfDelete} from '../analysis/what-if.js';
import type {UnreadableReferrer} from '../analysis/types.js';
import type {Analysis, CheckpointAnalysis} from '../analysis/types.js';
import {DirectorySet, isInside, parentPath, PathIndex} from '../tree/layout.js';
import {FileTable, type ScannedFiles} from '../tree/file-table.js';
import {visibleControls} from '../text/index.js';
import type {Plan, PlanEntry} from './types.js';

/** Size, newest mtime and number of the regular files at or under a path. */
export interface Fingerprint {
	size: number;
	mtimeMs: number;
	files: number;
}

/**
 * The ids of those of `paths` that are files of `files`, found directory by directory (one pass
 * over the names of each directory asked): a plan's 4,000 orphans in 200 `shared/` directories of
 * 5,000 files each made the table's maps of a million names when looked up one by one (0.5 s).
 */
export function scannedIdsOf(files: FileTable, paths: Iterable<string>): Map<string, number> {
	const byDirectory = new Map<string, Map<string, string>>();
	for (const p of paths) {
		const slash = p.lastIndexOf('/');
		if (slash < 0) continue;
		// As `FileTable.idOf` splits a path.
		const dir = p.slice(0, slash);
		let names = byDirectory.get(dir);
		if (names === undefined) byDirectory.set(dir, (names = new Map()));
		names.set(p.slice(slash + 1), p);
	}
	const out = new Map<string, number>();
	for (const [dir, names] of byDirectory) {
		files.forEachFile(dir, (name, id) => {
			const p = names.get(name);
			if (p !== undefined) out.set(p, id);
		});
	}
	return out;
}

/**
 * Fingerprints of `paths` (files or directories) from scanned files: total size, newest mtime and
 * number of files at or under each path. A {@link FileTable} is summed directory by directory
 * (each directory's files once, added to each of its directories that is asked for); other
 * scanned files in one pass over them. `known`: {@link scannedIdsOf} a superset of `paths`, when
 * the caller has it.
 */
export function fingerprints(scannedFiles: ScannedFiles, paths: Iterable<string>, known?: ReadonlyMap<string, number>): Map<string, Fingerprint> {
	const out = new Map<string, Fingerprint>();
	for (const p of paths) out.set(p, {size: 0, mtimeMs: 0, files: 0});
	if (out.size === 0) return out;
	const add = (fp: Fingerprint, size: number, mtimeMs: number, files: number): void => {
		fp.size += size;
		fp.files += files;
		if (mtimeMs > fp.mtimeMs) fp.mtimeMs = mtimeMs;
	};
	if (scannedFiles instanceof FileTable) {
		for (const [p, id] of known ?? scannedIdsOf(scannedFiles, out.keys())) {
			const fp = out.get(p);
			if (fp !== undefined) add(fp, scannedFiles.sizeOf(id), scannedFiles.mtimeOf(id), 1);
		}
		for (const dir of scannedFiles.directories()) {
			const asked: Fingerprint[] = [];
			for (let cur = dir; ; cur = parentPath(cur)) {
				const fp = out.get(cur);
				if (fp !== undefined) asked.push(fp);
				if (cur === '/') break;
			}
			if (asked.length === 0) continue;
			let size = 0;
			let mtimeMs = 0;
			let files = 0;
			scannedFiles.forEachFile(dir, (_, id) => {
				size += scannedFiles.sizeOf(id);
				mtimeMs = Math.max(mtimeMs, scannedFiles.mtimeOf(id));
				files++;
			});
			for (const fp of asked) add(fp, size, mtimeMs, files);
		}
		return out;
	}
	for (const [file, st] of scannedFiles) {
		for (let cur = file; ; cur = parentPath(cur)) {
			const fp = out.get(cur);
			if (fp !== undefined) add(fp, st.size, st.mtimeMs, 1);
			if (cur === '/') break;
		}
	}
	return out;
}

/** Options of {@link makePlan}. */
export interface MakePlanOptions {
	/** What-if targets (checkpoint / savepoint / job directories, files) to add with what they free. */
	targets?: string[];
	/** Restrict the orphan entries to these paths (e.g. orphans marked in the explorer). */
	only?: string[];
	/** Plan creation time, ms (for tests; default now). */
	nowMs?: number;
	/**
	 * Plan targets even when snapshots that may reference them could not be read (`--accept-unreadable`):
	 * the user takes the risk that those snapshots need files under the targets.
	 */
	acceptUnreadable?: boolean;
}

/**
 * Why a target must not be planned because snapshots that may reference it could not be read
 * (one line, without the target's path), or `null`. `referrers`: {@link unreadableReferrers} of the targets.
 */
export function unreadableRefusal(target: string, referrers: readonly UnreadableReferrer[]): string | null {
	const mine = referrers.filter((u) => u.targets.includes(target));
	if (mine.length === 0) return null;
	const first = mine[0];
	const more = mine.length > 1 ? ` and ${mine.length - 1} more` : '';
	const where = first.metadataPath ?? first.checkpointPath;
	// A parse error names the file already.
	const detail = first.error === null ? where : first.error.includes(where) ? first.error : `${where}: ${first.error}`;
	return `${mine.length} snapshot(s) that may reference it could not be read, so what its deletion breaks is unknown (${detail}${more}); give --accept-unreadable to plan it anyway`;
}

/**
 * Why candidate paths must not be in a plan: a path holds or is a referenced file (of a snapshot
 * not in `removed`), lies in a referenced directory, holds a `_metadata` of a snapshot not in
 * `removed`, or is / holds / lies in the newest complete checkpoint of a job. Made once for all the
 * candidates of a plan: each is then answered in time that grows with its depth, not with the
 * number of checkpoints and referenced files (a plan of the 1M-file bench tree's 4,000 orphans took
 * 64 s comparing each with all of them).
 */
export class PlanSafety {
	/** The newest complete checkpoints, by directory, in the order of `newest`. */
	private readonly newest = new PathIndex<CheckpointAnalysis>();
	/** The snapshots not in `removed`, by `_metadata` path, in the analysis's order. */
	private readonly metadata = new PathIndex<CheckpointAnalysis>();

	constructor(
		analysis: Analysis,
		private readonly references: ReferenceSet,
		newest: ReadonlyMap<string, CheckpointAnalysis>,
		removed: ReadonlySet<string> = new Set(),
	) {
		for (const cp of newest.values()) this.newest.add(cp.path, cp);
		for (const cp of analysis.checkpoints) if (cp.metadataPath !== null && !removed.has(cp.path)) this.metadata.add(cp.metadataPath, cp);
	}

	/** Why `path` must not be in the plan, or `null` when it may. `scanned`: as for `ReferenceSet.has`. */
	reason(path: string, scanned?: {files: FileTable; id: number}): string | null {
		const newest = this.newest.touching(path);
		if (newest !== undefined) return `touches ${newest.path}, the newest complete checkpoint of its job`;
		const holder = this.metadata.atOrBelow(path);
		if (holder !== undefined) return `holds the _metadata of ${holder.path}`;
		if (this.references.touches(path, scanned)) return 'referenced by a _metadata';
		return null;
	}
}

/**
 * Make a deletion plan (nothing is deleted):
 * - one entry per orphan that is not possibly in progress (and, with `only`, is listed there);
 *   orphans that hold or lie in anything referenced, or touch the newest complete checkpoint of a
 *   job, are left out (`excluded`, with the reason);
 * - with `targets`: each target, and every file outside the targets that only the removed snapshots
 *   referenced ({@link whatIfDelete}).
 * Entries inside another entry are dropped. Every entry has its size, newest mtime and file count
 * for change detection.
 *
 * @throws Error when a target would break a remaining checkpoint, is (or holds) the newest
 * complete checkpoint of a job, lies outside the analysed roots, is unknown to the scan, or may be
 * referenced by a snapshot that could not be read ({@link unreadableRefusal}; not with
 * `acceptUnreadable`). The message is one line when there is one problem.
 */
export function makePlan(analysis: Analysis, options: MakePlanOptions = {}): Plan {
	const newest = newestCompleteCheckpoints(analysis);
	const excluded: {path: string; reason: string}[] = [];
	const candidates: Omit<PlanEntry, 'size' | 'mtimeMs'>[] = [];
	let removed = new Set<string>();

	const targets = [...new Set((options.targets ?? []).map(normaliseTarget))];
	if (targets.length > 0) {
		const impact = whatIfDelete(analysis, targets);
		const problems: string[] = [];
		for (const t of targets) {
			if (!analysis.roots.some((r) => isInside(t, r) && t !== r)) problems.push(`${t} is not inside the analysed roots (${analysis.roots.join(', ')})`);
			else if (!scannedAtOrBelow(analysis.scannedFiles, t)) problems.push(`${t}: nothing was found there by the scan`);
		}
		const removedCheckpoints = new Set(impact.removedCheckpoints);
		for (const [jobPath, cp] of newest) {
			if (removedCheckpoints.has(cp.path)) problems.push(`${cp.path} is the newest complete checkpoint of ${jobPath}`);
		}
		for (const b of impact.broken) {
			problems.push(`${b.checkpointPath} would break: it references ${b.lostFiles.length} file(s) under the targets, e.g. ${b.lostFiles[0]}`);
		}
		if (options.acceptUnreadable !== true) {
			for (const t of targets) {
				const refusal = unreadableRefusal(t, impact.unreadable);
				if (refusal !== null) problems.push(targets.length > 1 ? `${t}: ${refusal}` : refusal);
			}
		}
		if (problems.length === 1) throw new Error(`refusing to plan the deletion of ${targets.join(', ')}: ${problems[0]}`);
		if (problems.length > 0) throw new Error(`refusing to plan the deletion of ${targets.join(', ')}:\n  ${problems.join('\n  ')}`);
		removed = removedCheckpoints;
		/** `path NUL metadataPath` of every snapshot. */
		const snapshotKeys = new Set(analysis.checkpoints.map((c) => `${c.path}\u0000${c.metadataPath ?? ''}`));
		for (const t of targets) {
			const inside = impact.removedCheckpoints.filter((cp) => isInside(cp, t) || snapshotKeys.has(`${cp}\u0000${t}`));
			candidates.push({
				path: t,
				type: analysis.scannedFiles.has(t) ? 'file' : 'directory',
				bytes: 0,
				reason: 'what-if-target',
				evidence: `${inside.length > 0 ? `removes ${inside.length} snapshot(s); ` : ''}no remaining checkpoint references a file under it${unknownNote(t, impact.unreadable)}`,
				target: t,
				...(inside.length > 0 ? {removesCheckpoints: inside} : {}),
			});
		}
		// The first target whose removed snapshots reference each file.
		const targetOf = new Map<string, string>();
		for (const t of targets) {
			for (const cp of analysis.checkpoints) {
				if (!removedCheckpoints.has(cp.path) || !isInside(cp.path, t)) continue;
				for (const x of cp.files) if (x.path !== null && !targetOf.has(x.path)) targetOf.set(x.path, t);
			}
		}
		const targetSet = new DirectorySet(targets);
		for (const f of impact.freedFiles) {
			if (targetSet.contains(f)) continue;
			const target = targetOf.get(f) ?? targets[0];
			candidates.push({
				path: f,
				type: 'file',
				bytes: 0,
				reason: 'freed-by-target',
				evidence: `referenced only by snapshots removed with ${target}`,
				target,
			});
		}
	}

	const only = options.only === undefined ? null : new Set(options.only.map(normaliseTarget));
	for (const o of analysis.orphans) {
		if (only !== null && !only.has(o.path)) continue;
		if (o.possiblyInProgress) {
			excluded.push({path: o.path, reason: 'possibly in progress (younger than --min-age)'});
			continue;
		}
		candidates.push({path: o.path, type: o.type, bytes: 0, reason: o.reason, evidence: `${o.description}; no _metadata under the roots references it`});
	}
	if (only !== null) {
		const orphanPaths = new Set(analysis.orphans.map((o) => o.path));
		for (const p of only) if (!orphanPaths.has(p)) excluded.push({path: p, reason: 'not an orphan'});
	}

	// Safety net: nothing referenced by a remaining snapshot, no foreign _metadata, not the newest checkpoint.
	const references = new ReferenceSet(analysis.checkpoints.filter((cp) => cp.metadataPath !== null && !removed.has(cp.path)));
	const safety = new PlanSafety(analysis, references, newest, removed);
	const files = analysis.scannedFiles;
	const scanIds =
		files instanceof FileTable
			? scannedIdsOf(
					files,
					candidates.map((c) => c.path),
				)
			: undefined;
	const safe = candidates.filter((c) => {
		const reason = safety.reason(c.path, scanIds === undefined ? undefined : {files: files as FileTable, id: scanIds.get(c.path) ?? -1});
		if (reason !== null) excluded.push({path: c.path, reason});
		return reason === null;
	});
	// Drop entries inside other entries.
	const sorted = safe.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	const kept: typeof sorted = [];
	const keptPaths = new PathIndex<true>();
	for (const c of sorted) {
		if (keptPaths.atOrAbove(c.path) !== undefined) continue;
		kept.push(c);
		keptPaths.add(c.path, true);
	}
	const fps = fingerprints(
		analysis.scannedFiles,
		kept.map((c) => c.path),
		scanIds,
	);
	const entries: PlanEntry[] = kept.map((c) => {
		const fp = fps.get(c.path)!;
		return {...c, bytes: fp.size, size: fp.size, mtimeMs: fp.mtimeMs, files: fp.files};
	});
	const plan: Plan = {
		version: 1,
		createdAt: new Date(options.nowMs ?? Date.now()).toISOString(),
		roots: [...analysis.roots],
		minAgeMs: analysis.minAgeMs,
		entries,
		totalBytes: entries.reduce((n, e) => n + e.bytes, 0),
	};
	const mappings = analysis.mappings.filter((m) => !m.inferred).map((m) => ({remote: m.remote, local: m.local}));
	if (mappings.length > 0) plan.mappings = mappings;
	if (options.acceptUnreadable === true && targets.length > 0) plan.acceptUnreadable = true;
	if (excluded.length > 0) plan.excluded = excluded.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return plan;
}

/** The evidence note of a target accepted with `acceptUnreadable` although unreadable snapshots may reference it. */
function unknownNote(target: string, referrers: readonly UnreadableReferrer[]): string {
	const n = referrers.filter((u) => u.targets.includes(target)).length;
	return n === 0 ? '' : ` that could be read; ${n} unreadable snapshot(s) may (accepted with --accept-unreadable)`;
}

/** Quote a string for POSIX sh: `'…'`, with `'` written as `'\''`. */
export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * A reviewable shell script for a plan: `set -eu`, then one commented `rm -r -- 'path'` per entry.
 * Running it does not re-check anything; `fcx clean --plan FILE` is the safer way. The comments
 * write control characters (C0, DEL, C1) as `\xHH`, so that neither `cat` nor a pager acts on an
 * escape sequence in a name; the quoted paths are exact.
 */
export function planToShellScript(plan: Plan): string {
	const lines = [
		'#!/bin/sh',
		`# fcx deletion plan, created ${plan.createdAt}`,
		...plan.roots.map((r) => `# root: ${visibleControls(r)}`),
		`# ${plan.entries.length} entr${plan.entries.length === 1 ? 'y' : 'ies'}, ${plan.totalBytes} bytes. Review every line before running this.`,
		'#',
		'# This script deletes blindly. The safer way is `fcx plan --json --out plan.json` then',
		'# `fcx clean --plan plan.json`: it re-scans and re-checks every entry just before acting',
		'# (now referenced, changed since the plan, too young, symlink, outside the roots) and moves',
		'# entries into a quarantine directory with a restore command instead of deleting them.',
		'set -eu',
		'',
	];
	for (const e of plan.entries) {
		lines.push(
			`# ${visibleControls(e.reason)}, ${e.type}, ${e.bytes} bytes${e.files !== undefined && e.type === 'directory' ? `, ${e.files} files` : ''}: ${visibleControls(e.evidence)}`,
		);
		lines.push(`rm -r -- ${shellQuote(e.path)}`);
	}
	if (plan.entries.length === 0) lines.push('# nothing to delete');
	for (const x of plan.excluded ?? []) lines.push(`# not planned: ${visibleControls(x.path)}: ${visibleControls(x.reason)}`);
	return `${lines.join('\n')}\n`;
}
