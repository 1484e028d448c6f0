/**
 * Map the paths written in `_metadata` files (docs/format.md#paths-in-the-metadata) to local paths of the scanned tree.
 *
 * Order of the rules for an absolute URI:
 * 1. explicit `--map REMOTE_PREFIX=LOCAL_DIR` mappings, longest prefix wins (ambiguous when an
 *    anchor, or rules 3-4 into the scanned tree, put the path elsewhere);
 * 1b. anchors: each snapshot's own location anchors the remote directory its exclusive state was
 *    written to (`…/chk-<id>` of its checkpoint id, or its savepoint directory) to its local
 *    directory, whatever that is called, and a checkpoint's remote job directory to the local
 *    directory above it (see {@link Resolver.anchor}); longest prefix wins. A remote directory
 *    anchored to more than one local directory is *ambiguous*: the rules below decide, and the
 *    resolution says `ambiguous` (the analysis then keeps every local copy);
 * 2. a local URI (`file:` or a plain path), or a store URI, whose path lies inside a scanned root
 *    in a scanned directory: itself (ambiguous when rule 3 finds other scanned copies of its job);
 *    in a directory that was not scanned (a tree moved below where it was written): rules 3 and 4
 *    first, itself (missing) when they find nothing else;
 * 3. a path containing `/<jobId>/(chk-<n>|shared|taskowned|dstl)/…` where a local job directory with
 *    that id is known (scanned, or the parent of a scanned checkpoint): into that job directory
 *    (ambiguous when several have the storage directory it names);
 * 4. a path containing `/savepoint-xxxxxx-yyyyyyyyyyyy/…` where a savepoint directory of that name
 *    was scanned: into it (ambiguous when several were);
 * 5. remote-base → local-base pairs learnt from each snapshot's own references (a reference into
 *    the snapshot's own `chk-<n>` or savepoint directory, inline names included, tells where the
 *    checkpoint base was remotely; for a snapshot directory outside the layout, a reference whose
 *    parent directory has the same name as the snapshot directory), longest prefix wins;
 * 6. a local URI outside the roots: itself.
 * Anything else cannot be mapped: it is outside the tree (path `null`).
 *
 * The resolution's types and URI keys are `resolution.ts`, rule 1b's anchors `anchors.ts`, rules 3
 * and 4's local copies `local-copies.ts`, and the existence checks of the mapped paths `probe.ts`.
 */
import type {FileReference} from '../metadata/types.js';
import {
	classifyPath,
	DirectorySet,
	formatUri,
	isInside,
	isLocalUri,
	isPlainFileName,
	parentPath,
	parseUri,
	baseName,
	type ParsedUri,
	type PathLayout,
} from '../tree/layout.js';
import {isRemoteRoot, normaliseStoreUri} from '../store/uri.js';
import type {ScanResult} from '../tree/scan.js';
import {Anchors} from './anchors.js';
import {LocalCopies} from './local-copies.js';
import {guessLocalDir as guessLocal} from './local-guess.js';
import {anchorOf, joinLocal, marked, matchKey, prefixRest, RESOLVE_EACH, type DirectoryResolution, type Mapping, type Resolution} from './resolution.js';

/**
 * Resolves reference paths to local paths. Build it with the scan, the explicit mappings and the
 * directories of the loaded snapshots; call {@link Resolver.learn} for every snapshot before
 * resolving anything.
 */
export class Resolver {
	private readonly explicit: Mapping[];
	private readonly learnt = new Map<string, Mapping>();
	/** The scan's roots (final when the resolver is made). */
	private readonly roots: DirectorySet;
	private readonly inferredByKey = new Map<string, Mapping>();
	/** The local job and savepoint directories by job id and savepoint name (rules 3 and 4). */
	private readonly copies: LocalCopies;
	/** Mappings that resolved at least one reference. */
	readonly used = new Set<Mapping>();
	private savepointFiles: Map<string, string> | null = null;
	/** The snapshots' own locations (rule 1b). */
	private readonly anchors = new Anchors();

	constructor(
		private readonly scan: ScanResult,
		mappings: readonly Mapping[],
		snapshotDirs: readonly string[],
	) {
		this.explicit = [...mappings].sort((a, b) => b.key.length - a.key.length);
		this.roots = new DirectorySet(scan.roots);
		this.copies = new LocalCopies(scan, snapshotDirs);
	}

	private readonly layoutMemo = new Map<string, PathLayout>();

	/** `classifyPath` of a directory, memoised. */
	layoutOf(dir: string): PathLayout {
		let l = this.layoutMemo.get(dir);
		if (l === undefined) {
			l = this.scan.directories.get(dir)?.layout ?? classifyPath(dir);
			this.layoutMemo.set(dir, l);
		}
		return l;
	}

	/** Whether a local path lies inside one of the scanned roots. */
	insideRoots(path: string): boolean {
		return this.roots.contains(path);
	}

	/** Every mapping that was used, explicit ones always included. */
	mappings(): Mapping[] {
		return [...this.explicit, ...[...this.used].filter((m) => m.inferred).sort((a, b) => (a.remote < b.remote ? -1 : 1))];
	}

	/**
	 * Learn remote-base → local-base pairs from a snapshot's own references: a reference into the
	 * snapshot's own `chk-<n>` (with its job id) or savepoint directory (inline names included) tells
	 * where the checkpoint / savepoint base directory was remotely.
	 */
	learn(snapshotDir: string, references: readonly FileReference[]): void {
		const own = classifyPath(snapshotDir);
		const ownName = baseName(snapshotDir);
		// Plain files of one directory teach the same thing: look at one of them.
		const seen = new Set<string>();
		const repeated = (ref: FileReference): boolean => {
			const slash = ref.path.lastIndexOf('/');
			if (ref.handle === 'directory' || slash <= 0 || !isPlainFileName(ref.path.slice(slash + 1))) return false;
			const dir = ref.path.slice(0, slash);
			if (seen.has(dir)) return true;
			seen.add(dir);
			return false;
		};
		if ((own.storageKind !== 'chk' && own.storageKind !== 'savepoint') || own.storageDir !== snapshotDir) {
			// A snapshot directory outside the layout (e.g. a copied `_metadata` with its files in a
			// test-resources folder): a reference whose parent directory has the snapshot directory's
			// name is taken to be next to `_metadata`.
			for (const ref of references) {
				if (ref.handle === 'relative' || repeated(ref)) continue;
				const uri = parseUri(ref.path);
				if (uri === null) continue;
				const remoteDir = parentPath(uri.path);
				if (baseName(remoteDir) !== ownName || (isLocalUri(uri) && remoteDir === snapshotDir)) continue;
				const key = matchKey(uri, remoteDir);
				if (!this.learnt.has(key)) this.learnt.set(key, {remote: formatUri(uri, remoteDir), key, local: snapshotDir, inferred: true});
			}
			return;
		}
		for (const ref of references) {
			if (ref.handle === 'relative' || repeated(ref)) continue;
			const uri = parseUri(ref.path);
			if (uri === null) continue;
			const layout = classifyPath(uri.path);
			if (layout.storageDir === null || baseName(layout.storageDir) !== ownName) continue;
			let remoteBase: string;
			let localBase: string;
			if (own.storageKind === 'chk' && own.jobDir !== null) {
				if (layout.jobId !== own.jobId || layout.jobDir === null) continue;
				remoteBase = parentPath(layout.jobDir);
				localBase = parentPath(own.jobDir);
			} else {
				if (layout.jobDir !== null || own.jobDir !== null) continue;
				remoteBase = parentPath(layout.storageDir);
				localBase = parentPath(snapshotDir);
			}
			const key = matchKey(uri, remoteBase);
			if (isLocalUri(uri) && remoteBase === localBase) continue; // identity
			if (!this.learnt.has(key)) this.learnt.set(key, {remote: formatUri(uri, remoteBase), key, local: localBase, inferred: true});
		}
	}

	/** Anchor a snapshot's own location (rule 1b, see {@link Anchors.anchor}); call it after {@link learn}. */
	anchor(snapshotDir: string, kind: 'checkpoint' | 'savepoint', checkpointId: number | null, references: readonly FileReference[]): void {
		this.anchors.anchor(snapshotDir, kind, checkpointId, references, (dir) => this.layoutOf(dir));
	}

	/**
	 * Rule 1b ({@link Anchors}) for `uri` (match key `key`): the resolution when one anchor decides,
	 * `'ambiguous'` when the longest matching remote directory is anchored to several local ones,
	 * `undefined` when no anchor matches.
	 */
	private resolveByAnchor(uri: ParsedUri, key: string): Resolution | 'ambiguous' | undefined {
		const best = this.anchors.longest(uri, key);
		if (best === undefined || best === 'ambiguous') return best;
		const {anchor: a, rest} = best;
		const path = joinLocal(a.locals[0], rest);
		const local = isLocalUri(uri);
		// A local copy at the written path that is not where the snapshot anchors it: either may be meant.
		const ambiguous = local && uri.path !== path && this.insideRoots(uri.path);
		// The job directory's mapping, when it gives the same path, is the one shown (one per job, not one per checkpoint).
		let shown = a;
		for (let dir: string | null = parentPath(a.remotePath); dir !== null; dir = dir === '/' ? null : parentPath(dir)) {
			const k = matchKey(uri, dir);
			const up = this.anchors.get(k);
			const upRest = up === undefined ? null : prefixRest(key, k);
			if (up !== undefined && up.locals.length === 1 && upRest !== null && joinLocal(up.locals[0], upRest) === path) {
				shown = up;
			}
		}
		// Files of a snapshot's own directory are missing when absent; below a job directory, the
		// storage directory they map into must exist (else: a partial copy, outside the tree).
		const firstSegment = rest.split('/')[1] ?? '';
		const anchorDir = a.own || firstSegment === '' ? null : joinLocal(a.locals[0], `/${firstSegment}`);
		if (local && uri.path === path) return {path, rule: 'identity', anchor: null};
		const mapping = this.use(this.inferred(uri, shown.remotePath, shown.locals[0]));
		return ambiguous ? {path, rule: 'anchor', mapping, anchor: anchorDir, ambiguous} : {path, rule: 'anchor', mapping, anchor: anchorDir};
	}

	private inferred(uri: ParsedUri, remotePath: string, local: string): Mapping {
		const key = matchKey(uri, remotePath);
		let m = this.inferredByKey.get(key);
		if (m === undefined) {
			m = {remote: formatUri(uri, remotePath), key, local, inferred: true};
			this.inferredByKey.set(key, m);
		}
		return m;
	}

	private use(m: Mapping): Mapping {
		this.used.add(m);
		return m;
	}

	/** Per written directory: how its plain file names resolve, `null` when they are not absolute. */
	private readonly directoryMemo = new Map<string, DirectoryResolution | null | typeof RESOLVE_EACH>();

	/**
	 * Map an absolute path / URI as written in `_metadata`; `null` when it is not absolute.
	 *
	 * A plain file name ({@link isPlainFileName}) resolves like its siblings: the first file of a
	 * written directory is resolved by the rules, the others by appending their name (a big tree has
	 * a million files in a few thousand directories). Not when a mapping ends inside the directory.
	 */
	resolveUri(written: string): Resolution | null {
		const slash = written.lastIndexOf('/');
		if (slash <= 0 || slash === written.length - 1) return this.resolveByRules(written);
		return this.resolveIn(written.slice(0, slash), written.slice(slash + 1), written);
	}

	/**
	 * {@link resolveUri} of `written`, split by the caller at its last `/` into `dir` (not empty)
	 * and `name` (not empty). Cheaper when the caller passes the same `dir` string for every file
	 * of a directory (its hash is computed once).
	 */
	resolveIn(dir: string, name: string, written: string): Resolution | null {
		if (!isPlainFileName(name)) return this.resolveByRules(written);
		const memo = this.directoryMemo.get(dir);
		if (memo === RESOLVE_EACH) return this.resolveByRules(written);
		if (memo === null) return null;
		if (memo !== undefined) {
			const path = memo.localDir === null ? null : `${memo.localDir}/${name}`;
			const out: Resolution =
				memo.mapping === undefined ? {path, rule: memo.rule, anchor: memo.anchor} : {path, rule: memo.rule, mapping: memo.mapping, anchor: memo.anchor};
			if (memo.ambiguous === true) out.ambiguous = true;
			return out;
		}
		const res = this.resolveByRules(written);
		this.directoryMemo.set(dir, this.directoryResolution(dir, name, res));
		return res;
	}

	/**
	 * Where every plain file name of written directory `dir` maps once {@link resolveIn} resolved
	 * one of them by the rules: `${localDir}/${name}` with this anchor (the same as `resolveIn`
	 * would return, without its work). `undefined` when the files of `dir` are resolved one by one,
	 * none was resolved yet, or they are outside the tree.
	 */
	directoryMapping(dir: string): {localDir: string; anchor: string | null; ambiguous: boolean} | undefined {
		const memo = this.directoryMemo.get(dir);
		return memo === undefined || memo === null || memo === RESOLVE_EACH || memo.localDir === null
			? undefined
			: {localDir: memo.localDir, anchor: memo.anchor, ambiguous: memo.ambiguous === true};
	}

	/** `local-guess.ts`'s {@link guessLocal} of `dir` by what the snapshots added so far taught (no side effects): for `stat`ing ahead. */
	guessLocalDir(dir: string): string | undefined {
		return guessLocal(dir, this.explicit, this.anchors, this.learnt.values());
	}

	/** What {@link resolveUri} remembers of `dir` after resolving its file `name` to `res`. */
	private directoryResolution(dir: string, name: string, res: Resolution | null): DirectoryResolution | null | typeof RESOLVE_EACH {
		if (res === null) return null;
		const parsed = parseUri(dir);
		if (parsed === null) return RESOLVE_EACH;
		const key = matchKey(parsed);
		for (const m of [...this.explicit, ...this.learnt.values()]) if (m.key.length > key.length && m.key.startsWith(key)) return RESOLVE_EACH;
		if (this.anchors.isAbove(key)) return RESOLVE_EACH;
		if (res.path === null) return {localDir: null, rule: res.rule, anchor: res.anchor};
		if (!res.path.endsWith(`/${name}`)) return RESOLVE_EACH;
		const localDir = res.path.slice(0, res.path.length - name.length - 1);
		if (res.anchor !== null && isInside(res.path, res.anchor) && res.anchor.length > localDir.length) return RESOLVE_EACH;
		const out: DirectoryResolution =
			res.mapping === undefined ? {localDir, rule: res.rule, anchor: res.anchor} : {localDir, rule: res.rule, mapping: res.mapping, anchor: res.anchor};
		if (res.ambiguous === true) out.ambiguous = true;
		return out;
	}

	/** {@link resolveUri} by the rules (see the module comment). */
	private resolveByRules(written: string): Resolution | null {
		const uri = parseUri(written);
		if (uri === null) return null;
		const key = matchKey(uri);
		// 1. explicit; a --map that sends a path elsewhere than a snapshot's own location anchors it
		// (a mistyped --map, or a copy the map does not mean) is ambiguous: both copies are kept.
		for (const m of this.explicit) {
			const rest = prefixRest(key, m.key);
			if (rest === null) continue;
			const path = joinLocal(m.local, rest);
			const anchored = this.anchors.size === 0 ? undefined : this.anchors.anchoredPath(uri, key);
			if ((anchored !== undefined && anchored !== path) || this.layoutElsewhere(uri, path)) {
				return {path, rule: 'explicit', mapping: this.use(m), anchor: null, ambiguous: true};
			}
			return {path, rule: 'explicit', mapping: this.use(m), anchor: null};
		}
		// 1b. anchors
		const anchored = this.anchors.size === 0 ? undefined : this.resolveByAnchor(uri, key);
		if (anchored !== undefined && anchored !== 'ambiguous') return anchored;
		const res = this.resolveByLayout(written, uri, key);
		return anchored === 'ambiguous' && res.path !== null ? {...res, ambiguous: true} : res;
	}

	/** Rule 2's path: a local URI inside the roots, or a store URI inside them in its one spelling (`s3a://b/x` is `s3://b/x`); else `null`. */
	private identityInRoots(written: string, uri: ParsedUri): string | null {
		if (isLocalUri(uri)) return this.insideRoots(uri.path) ? uri.path : null;
		if (!isRemoteRoot(written)) return null;
		const path = normaliseStoreUri(formatUri(uri));
		return this.insideRoots(path) ? path : null;
	}

	/**
	 * Whether rules 3 and 4 (job id, savepoint name) put `uri` into the scanned tree at another
	 * path than `path` (where `--map` sends it): a scanned copy of the job or savepoint the map does
	 * not mean, which may be the one the snapshot needs.
	 */
	private layoutElsewhere(uri: ParsedUri, path: string): boolean {
		const layout = this.layoutOf(parentPath(uri.path));
		const other = this.copies.byJob(uri, layout) ?? this.copies.bySavepoint(uri, layout);
		return other !== undefined && other.path !== path && this.insideRoots(other.path);
	}

	/**
	 * Rules 2-6 of {@link resolveByRules} (see the module comment). Rule 2 takes a path inside the
	 * roots literally when its directory was scanned; when not (a tree moved below where its
	 * `_metadata` were written, on a store or locally), rules 3 and 4 map it by job id or savepoint
	 * name if they find it elsewhere, and only then is it taken literally (missing).
	 */
	private resolveByLayout(written: string, uri: ParsedUri, key: string): Resolution {
		const local = isLocalUri(uri);
		// 2. identity inside the roots, where something was scanned
		const identity = this.identityInRoots(written, uri);
		// Storage facts of a file equal those of its directory: classify the directory, memoised.
		const layout = this.layoutOf(parentPath(uri.path));
		if (identity !== null && this.scan.directories.has(parentPath(identity))) {
			// Another scanned copy of the job (a tree copied below its old place) may be the one meant.
			return marked({path: identity, rule: 'identity', anchor: null}, this.copies.byJob(uri, layout)?.ambiguous === true);
		}
		// 3. job directory, else 4. savepoint directory
		const job = this.copies.byJob(uri, layout);
		const copy = job ?? this.copies.bySavepoint(uri, layout);
		if (copy !== undefined && (identity === null || copy.path !== identity)) {
			if (local && copy.remote === copy.local) return marked({path: copy.path, rule: 'identity', anchor: null}, copy.ambiguous);
			const mapping = this.use(this.inferred(uri, copy.remote, copy.local));
			return marked({path: copy.path, rule: job === undefined ? 'savepoint' : 'job', mapping, anchor: null}, copy.ambiguous);
		}
		// 2, where nothing was scanned: the file is missing there
		if (identity !== null) return marked({path: identity, rule: 'identity', anchor: null}, copy?.ambiguous === true);
		// 5. learnt bases
		let best: Mapping | null = null;
		let bestRest = '';
		for (const m of this.learnt.values()) {
			const rest = prefixRest(key, m.key);
			if (rest !== null && (best === null || m.key.length > best.key.length)) {
				best = m;
				bestRest = rest;
			}
		}
		if (best !== null) {
			const path = joinLocal(best.local, bestRest);
			return {path, rule: 'base', mapping: this.use(best), anchor: anchorOf(path)};
		}
		// 6. identity outside the roots
		if (local) return {path: uri.path, rule: 'identity', anchor: anchorOf(uri.path)};
		return {path: null, rule: 'none', anchor: null};
	}

	/**
	 * FLINK-39964 fallback: a relative handle whose file is not next to `_metadata` may be a file of
	 * the savepoint the job was restored from (CLAIM mode, native savepoint). Looks the file name up
	 * in every scanned savepoint directory; returns the local path or `null`.
	 */
	findInSavepoints(name: string, exclude: string): string | null {
		if (this.savepointFiles === null) {
			this.savepointFiles = new Map();
			for (const file of this.scan.files.keys()) {
				const dir = parentPath(file);
				const d = this.scan.directories.get(dir);
				if (d !== undefined && d.layout.kind === 'savepoint') {
					const b = baseName(file);
					if (!this.savepointFiles.has(b)) this.savepointFiles.set(b, file);
				}
			}
		}
		const found = this.savepointFiles.get(name);
		return found !== undefined && parentPath(found) !== exclude ? found : null;
	}
}
