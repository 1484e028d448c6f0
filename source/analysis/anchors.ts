/**
 * Rule 1b of the resolver (`resolve.ts`): each snapshot's own location anchors the remote
 * directory its exclusive state was written to, and a checkpoint's remote job directory, to the
 * local directories they are in, whatever those are called.
 */
import type {FileReference} from '../metadata/types.js';
import {baseName, parentPath, parseUri, type ParsedUri, type PathLayout} from '../tree/layout.js';
import {joinLocal, matchKey, prefixRest} from './resolution.js';

/** A remote directory anchored by snapshots' own locations (see {@link Anchors.anchor}). */
export interface Anchor {
	/** How it was written (for display), and its path. */
	uri: ParsedUri;
	remotePath: string;
	/** The local directories it is anchored to, first one first. */
	locals: string[];
	/** `true`: a snapshot directory (its files exist next to `_metadata`); `false`: a job directory. */
	own: boolean;
}

/** The anchored remote directories, by match key. */
export class Anchors {
	private readonly anchors = new Map<string, Anchor>();
	/** The match keys of the directories above anchored ones (is an anchor below a key: one lookup). */
	private readonly aboveAnchors = new Set<string>();

	/** Number of anchored remote directories. */
	get size(): number {
		return this.anchors.size;
	}

	/** The anchor of the remote directory with match key `key`. */
	get(key: string): Anchor | undefined {
		return this.anchors.get(key);
	}

	/** Whether an anchored directory lies below the one with match key `key`. */
	isAbove(key: string): boolean {
		return this.aboveAnchors.has(key);
	}

	/**
	 * Anchor a snapshot's own location: the remote directory its exclusive state was written to
	 * (a `chk-<checkpointId>` directory for a checkpoint, a savepoint directory for a savepoint, as
	 * its absolute references name it) is its local directory `snapshotDir`, whatever that is called
	 * (`hdfs dfs -get …/<job-id> ./jobB`, one `chk-<n>` downloaded alone), and for a checkpoint the
	 * remote job directory above it is the local directory above `snapshotDir`. When the references
	 * name several such directories and none has the local directory's name, nothing is anchored.
	 */
	anchor(
		snapshotDir: string,
		kind: 'checkpoint' | 'savepoint',
		checkpointId: number | null,
		references: readonly FileReference[],
		layoutOf: (dir: string) => PathLayout,
	): void {
		const found = new Map<string, {uri: ParsedUri; dir: string; jobDir: string | null}>();
		for (const ref of references) {
			if (ref.handle === 'relative') continue;
			const uri = parseUri(ref.path);
			if (uri === null) continue;
			const layout = layoutOf(parentPath(uri.path));
			if (layout.storageDir === null) continue;
			const own = kind === 'checkpoint' ? layout.storageKind === 'chk' && layout.checkpointId === checkpointId : layout.storageKind === 'savepoint';
			if (own) found.set(matchKey(uri, layout.storageDir), {uri, dir: layout.storageDir, jobDir: layout.jobDir});
		}
		const all = [...found.values()];
		const pick = all.length === 1 ? all[0] : all.find((f) => baseName(f.dir) === baseName(snapshotDir));
		if (pick === undefined) return;
		this.add(pick.uri, pick.dir, snapshotDir, true);
		if (kind === 'checkpoint' && pick.jobDir !== null && pick.jobDir === parentPath(pick.dir)) {
			this.add(pick.uri, pick.jobDir, parentPath(snapshotDir), false);
		}
	}

	private add(uri: ParsedUri, remotePath: string, local: string, own: boolean): void {
		const key = matchKey(uri, remotePath);
		const known = this.anchors.get(key);
		if (known === undefined) {
			this.anchors.set(key, {uri, remotePath, locals: [local], own});
			for (let dir = remotePath; dir !== '/';) {
				dir = parentPath(dir);
				const above = matchKey(uri, dir);
				if (this.aboveAnchors.has(above)) break;
				this.aboveAnchors.add(above);
			}
		} else if (!known.locals.includes(local)) {
			known.locals.push(local);
		}
	}

	/** The longest anchored remote directory holding `uri` (match key `key`), `'ambiguous'` when it is anchored to several local ones. */
	longest(uri: ParsedUri, key: string): {anchor: Anchor; rest: string} | 'ambiguous' | undefined {
		for (let dir: string | null = parentPath(uri.path); dir !== null; dir = dir === '/' ? null : parentPath(dir)) {
			const k = matchKey(uri, dir);
			const a = this.anchors.get(k);
			if (a === undefined) continue;
			const rest = prefixRest(key, k);
			if (rest === null) continue;
			return a.locals.length > 1 ? 'ambiguous' : {anchor: a, rest};
		}
		return undefined;
	}

	/** Where the anchors alone put `uri` (no side effects): a local path, `'ambiguous'`, or `undefined` when no anchor holds it. */
	anchoredPath(uri: ParsedUri, key: string): string | 'ambiguous' | undefined {
		const best = this.longest(uri, key);
		return best === undefined || best === 'ambiguous' ? best : joinLocal(best.anchor.locals[0], best.rest);
	}
}
