/**
 * Rules 3 and 4 of the resolver (`resolve.ts`): the local directories of each job id and savepoint
 * directory name (scanned, or above a loaded snapshot), and where a written path maps into them.
 * Several local directories of one job (with the storage directory the path names) or of one
 * savepoint name are copies: the path is then ambiguous.
 */
import {baseName, classifyPath, SAVEPOINT_DIR_RE, type ParsedUri, type PathLayout} from '../tree/layout.js';
import type {ScanResult} from '../tree/scan.js';
import {joinLocal} from './resolution.js';

/** Where a written path maps into a local copy: `remote` (its job or savepoint directory as written) is `local`. */
export interface LocalCopy {
	path: string;
	local: string;
	remote: string;
	/** Several local copies: the files may be any one's. */
	ambiguous: boolean;
}

/** The local job and savepoint directories of a scan, by job id and savepoint name. */
export class LocalCopies {
	/** jobId → local job directories. */
	private readonly jobDirs = new Map<string, string[]>();
	/** savepoint directory name → local directories (several: copies of one savepoint). */
	private readonly savepointDirs = new Map<string, string[]>();

	/** From the scanned directories (in path order) and the loaded snapshots' directories. */
	constructor(
		private readonly scan: ScanResult,
		snapshotDirs: readonly string[],
	) {
		const addJob = (jobId: string, dir: string): void => {
			const list = this.jobDirs.get(jobId);
			if (list === undefined) this.jobDirs.set(jobId, [dir]);
			else if (!list.includes(dir)) list.push(dir);
		};
		const consider = (dir: string): void => {
			const layout = classifyPath(dir);
			if (layout.jobId !== null && layout.jobDir !== null) addJob(layout.jobId, layout.jobDir);
			if (layout.storageKind === 'savepoint' && layout.storageDir !== null) {
				const name = baseName(layout.storageDir);
				const list = this.savepointDirs.get(name);
				if (list === undefined) this.savepointDirs.set(name, [layout.storageDir]);
				else if (!list.includes(layout.storageDir)) list.push(layout.storageDir);
			}
		};
		for (const dir of [...scan.directories.keys()].sort()) consider(dir);
		for (const dir of snapshotDirs) consider(dir);
	}

	/**
	 * Rule 3 alone: the local job directory of `uri`'s job id (one whose storage directory `sub`
	 * was scanned, else the first), the path in it, and whether several local job directories have
	 * that storage directory (the files may be any one's); `undefined` when no job directory of that
	 * id is known. No side effects.
	 */
	byJob(uri: ParsedUri, layout: PathLayout): LocalCopy | undefined {
		if (layout.jobId === null || layout.jobDir === null || layout.storageDir === null || layout.storageKind === 'savepoint') return undefined;
		const candidates = this.jobDirs.get(layout.jobId);
		if (candidates === undefined) return undefined;
		const sub = layout.storageDir.slice(layout.jobDir.length + 1).split('/')[0];
		const withSub = candidates.filter((c) => this.scan.directories.has(`${c}/${sub}`));
		const localJob = withSub[0] ?? candidates[0];
		return {path: joinLocal(localJob, uri.path.slice(layout.jobDir.length)), local: localJob, remote: layout.jobDir, ambiguous: withSub.length > 1};
	}

	/**
	 * Rule 4 alone: the scanned savepoint directories named like `uri`'s savepoint directory, the
	 * path in the first, and whether there are several (the files may be any copy's); `undefined`
	 * when none. No side effects.
	 */
	bySavepoint(uri: ParsedUri, layout: PathLayout): LocalCopy | undefined {
		if (layout.storageKind !== 'savepoint' || layout.storageDir === null) return undefined;
		const name = baseName(layout.storageDir);
		const locals = this.savepointDirs.get(name);
		if (locals === undefined || !SAVEPOINT_DIR_RE.test(name)) return undefined;
		const path = joinLocal(locals[0], uri.path.slice(layout.storageDir.length));
		return {path, local: locals[0], remote: layout.storageDir, ambiguous: locals.length > 1};
	}
}
