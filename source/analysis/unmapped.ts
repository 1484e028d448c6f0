/**
 * References that may name scanned files fcx could not tie to them: a path that maps nowhere in the
 * tree (outside it), or one whose remote directory has several local copies (ambiguous). A scanned
 * file with the name of such a reference may be what a loaded snapshot needs: its directory is
 * *held* (no unreferenced-file orphans there, nor in anything that holds it), and a warning names
 * the reference and the `--map REMOTE=LOCAL` that would map it.
 */
import {baseName, formatUri, METADATA_FILE, parentPath, parseUri} from '../tree/layout.js';
import type {FileTable} from '../tree/file-table.js';
import type {Warning} from '../tree/warnings.js';

/** Why a reference may name a file elsewhere: it maps nowhere, or to one of several local copies. */
export type UnsureKind = 'unmapped' | 'ambiguous';

/** A held directory: how many of its files may be referenced, and one such reference. */
export interface HeldDirectory {
	files: number;
	uri: string;
	kind: UnsureKind;
}

/** In {@link holdDirectories}' `referenced`: a file held (may be referenced), not known to be. */
export const HELD = 2;

/** Note `uri` under `name` in `map` unless the name is empty, `_metadata` or noted already. */
function note(map: Map<string, {uri: string; kind: UnsureKind}>, name: string, uri: string, kind: UnsureKind): void {
	if (name !== '' && name !== METADATA_FILE && !map.has(name)) map.set(name, {uri, kind});
}

/** The file names of references that may name scanned files fcx could not tie to them. */
export class UnsureReferences {
	/** The noted references in order, until {@link byName} is first needed (a scan without files never needs it). */
	private readonly names: (string | undefined)[] = [];
	private readonly uris: string[] = [];
	private readonly kinds: UnsureKind[] = [];
	private map: Map<string, {uri: string; kind: UnsureKind}> | null = null;

	/** Note a reference `uri` with file name `name`, by default its last segment (the first one per name is kept). */
	add(name: string | undefined, uri: string, kind: UnsureKind): void {
		if (this.map !== null) {
			note(this.map, name ?? baseName(uri), uri, kind);
			return;
		}
		this.names.push(name);
		this.uris.push(uri);
		this.kinds.push(kind);
	}

	/** The first noted reference of each name. */
	private get byName(): Map<string, {uri: string; kind: UnsureKind}> {
		if (this.map === null) {
			const map = new Map<string, {uri: string; kind: UnsureKind}>();
			for (let i = 0; i < this.names.length; i++) note(map, this.names[i] ?? baseName(this.uris[i]), this.uris[i], this.kinds[i]);
			this.map = map;
			this.names.length = this.uris.length = this.kinds.length = 0;
		}
		return this.map;
	}

	get size(): number {
		return this.byName.size;
	}

	/**
	 * Hold the directories of `files` that hold a file with a noted name which no snapshot
	 * references (`referenced[id]` 0; set to {@link HELD}). One pass over the scanned names, only
	 * when something was noted.
	 */
	holdDirectories(files: FileTable, referenced: Uint8Array): Map<string, HeldDirectory> {
		const held = new Map<string, HeldDirectory>();
		if (files.size === 0 || this.byName.size === 0) return held;
		for (const dir of files.directories()) {
			files.forEachFile(dir, (name, id) => {
				if (referenced[id] !== 0) return;
				const unsure = this.byName.get(name);
				if (unsure === undefined) return;
				referenced[id] = HELD;
				const h = held.get(dir);
				if (h === undefined) held.set(dir, {files: 1, uri: unsure.uri, kind: unsure.kind});
				else h.files++;
			});
		}
		return held;
	}
}

/**
 * The `--map REMOTE=LOCAL` that maps the directory of `uri` (as written in `_metadata`) onto
 * `localDir`: the trailing directory names they share are dropped from both (`hdfs://nn/cp/<job>/shared`
 * and `/data/jobB/shared` → `hdfs://nn/cp/<job>=/data/jobB`). `null` for a relative path.
 */
export function suggestMapping(uri: string, localDir: string): {remote: string; local: string} | null {
	const parsed = parseUri(uri);
	if (parsed === null) return null;
	let remote = parentPath(parsed.path);
	let local = localDir;
	while (remote !== '/' && local !== '/' && baseName(remote) === baseName(local) && parentPath(remote) !== '/' && parentPath(local) !== '/') {
		remote = parentPath(remote);
		local = parentPath(local);
	}
	return {remote: formatUri(parsed, remote), local};
}

/** The warnings of held directories, one per directory, sorted by path. */
export function heldWarnings(held: ReadonlyMap<string, HeldDirectory>): Warning[] {
	const out: Warning[] = [];
	for (const [dir, h] of [...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
		const files = h.files === 1 ? '1 file here has' : `${h.files} files here have`;
		const why = h.kind === 'unmapped' ? 'which fcx could not map to this tree' : 'which maps to more than one local copy';
		const map = suggestMapping(h.uri, dir);
		const fix = map === null ? '' : `; --map '${map.remote}=${map.local}' would map it`;
		out.push({
			code: 'unmapped-references',
			path: dir,
			message: `${files} the name of a file a loaded snapshot references as ${h.uri}, ${why}: not reported as orphans${fix}`,
		});
	}
	return out;
}
