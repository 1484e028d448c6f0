/**
 * The storage directory of a referenced file, its {@link Place}: the dependency of the snapshot
 * the file counts in (a `chk-<n>`, `shared/`, `taskowned/`, file-merging, changelog or savepoint
 * directory, or the file's directory), made once per local directory (files) or path (file-merging
 * directories).
 */
import type {ReferenceHandle} from '../../metadata/types.js';
import {baseName, classifyPath, isPlainFileName, parentPath, parseUri} from '../../tree/layout.js';
import {EXISTS, MISSING, UNKNOWN} from '../entries.js';
import {matchKey} from '../resolution.js';
import type {BuildContext, Place} from './context.js';

/** The places of a build's referenced files. */
export class Places {
	private readonly places = new Map<string, Place>();

	constructor(private readonly ctx: BuildContext) {}

	/** Storage directory of entry `id` (`handle`: its first reference's, `uri`: as written). */
	of(id: number, handle: ReferenceHandle, uri: string): Place {
		const {entries, resolver} = this.ctx;
		const local = entries.local[id];
		const state = entries.state[id];
		if (state === EXISTS || state === MISSING || state === UNKNOWN) {
			const directory = handle === 'directory';
			// A file's place is its local directory's (its path is `${local.path}/${name}`).
			if (!directory && local!.place !== null) return local!.place;
			const path = entries.localPath(id);
			const at = directory ? path : local!.path;
			const memoKey = directory ? `d:${at}` : at;
			let place = this.places.get(memoKey);
			if (place === undefined) {
				const layout = directory ? classifyPath(path) : resolver.layoutOf(at);
				const depPath = layout.storageDir ?? at;
				const kind = layout.storageKind ?? 'other';
				place = {
					depPath,
					kind,
					jobId: layout.jobId,
					local: this.ctx.inside(depPath),
					savepointName: kind === 'savepoint' ? baseName(depPath) : null,
					mapped: true,
					snap: -1,
					depSnap: -1,
					dep: -1,
				};
				this.places.set(memoKey, place);
			}
			if (!directory) local!.place = place;
			return place;
		}
		if (handle === 'directory') return unmappedPlace(uri);
		// A file noted with its written directory, written as when noted (the same string: `===`
		// reads neither): by that directory, without reading the path.
		const {outsideDirOf} = this.ctx;
		const dirIndex = id < outsideDirOf.length ? outsideDirOf[id] : 0;
		if (dirIndex > 0 && uri === entries.uri[id]) return this.outsideIn(this.ctx.outsideDirs[dirIndex - 1], uri);
		return this.outside(uri);
	}

	/** The places of files outside the tree with plain names, by their written directory (the last one first). */
	private readonly outsidePlaces = new Map<string, Place>();
	private lastOutside: {dir: string; place: Place} | null = null;

	/**
	 * The place of a file outside the tree written as `uri`: a plain file name's is its written
	 * directory's (its name changes neither its layout nor its directory's key), made once per
	 * directory; a big `_metadata` outside the scan has 100,000 files in a few directories.
	 */
	private outside(uri: string): Place {
		const last = this.lastOutside;
		if (last !== null && uri.length > last.dir.length + 1 && uri.startsWith(last.dir) && uri.charCodeAt(last.dir.length) === 47) {
			const name = uri.slice(last.dir.length + 1);
			if (isPlainFileName(name)) return last.place;
		}
		const slash = uri.lastIndexOf('/');
		const dir = uri.slice(0, slash);
		if (slash <= 0 || !isPlainFileName(uri.slice(slash + 1)) || dir.includes('?') || dir.includes('#') || dir.endsWith(':/')) return unmappedPlace(uri);
		return this.outsideIn(dir, uri);
	}

	/** The place of `uri`, a plain file name in directory `dir` (not empty, no `?` or `#`, not ending in `:/`), made once per directory. */
	private outsideIn(dir: string, uri: string): Place {
		const last = this.lastOutside;
		if (last !== null && last.dir === dir) return last.place;
		let place = this.outsidePlaces.get(dir);
		if (place === undefined) {
			place = unmappedPlace(uri);
			this.outsidePlaces.set(dir, place);
		}
		this.lastOutside = {dir, place};
		return place;
	}
}

/** The place of a file outside the tree, by its written URI. */
function unmappedPlace(uri: string): Place {
	const parsed = parseUri(uri);
	if (parsed === null) return {depPath: uri, kind: 'other', jobId: null, local: false, savepointName: null, mapped: false, snap: -1, depSnap: -1, dep: -1};
	const layout = classifyPath(parsed.path);
	const dirPath = layout.storageDir !== null && layout.storageDir !== parsed.path ? layout.storageDir : parentPath(parsed.path);
	return {
		depPath: matchKey(parsed, dirPath) === matchKey(parsed) ? uri : formatRemote(uri, parsed, dirPath),
		kind: layout.storageKind ?? 'other',
		jobId: layout.jobId,
		local: false,
		savepointName: layout.storageKind === 'savepoint' && layout.storageDir !== null ? baseName(layout.storageDir) : null,
		mapped: false,
		snap: -1,
		depSnap: -1,
		dep: -1,
	};
}

/** Format a remote directory in the style the reference was written in (`hdfs://nn/x`, `hdfs:/x`). */
function formatRemote(written: string, parsed: NonNullable<ReturnType<typeof parseUri>>, dirPath: string): string {
	if (parsed.scheme === null) return dirPath;
	const schemeEnd = written.indexOf(':') + 1;
	if (parsed.slashes) return `${written.slice(0, schemeEnd)}//${parsed.authority ?? ''}${dirPath}`;
	return `${written.slice(0, schemeEnd)}${dirPath}`;
}
