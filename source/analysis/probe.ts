/**
 * Existence of the local paths references map to: inside the scanned roots from the scan, outside
 * them with `stat` (in worker processes for many paths), cached.
 */
import {stat} from 'node:fs/promises';
import {defaultStatWorkers, forEachLimited, PARALLEL_STAT_MIN_FILES, statPathsInWorkers, type ScanResult} from '../tree/scan.js';

/** Existence of a local path (`null` size/mtime for directories). */
export interface Probe {
	exists: boolean;
	directory: boolean;
	/** It could not be `stat`ed for another reason than not being there (a directory above it cannot be read). */
	unknown?: boolean;
	size?: number;
	mtimeMs?: number;
}

/**
 * Checks local paths: inside the scanned roots from the scan (files, symlinks, directories),
 * outside with `stat` (follows symlinks), cached. Call {@link Prober.probe} with every outside path
 * first, then {@link Prober.get} synchronously.
 */
export class Prober {
	private readonly cache = new Map<string, Probe>();
	constructor(
		private readonly scan: ScanResult,
		private readonly insideRoots: (path: string) => boolean,
	) {}

	/**
	 * `stat` every path outside the roots not yet known: from {@link PARALLEL_STAT_MIN_FILES} paths on
	 * in worker processes (a promise per call costs several times the call), else 64 at a time.
	 */
	async probe(paths: Iterable<string>): Promise<void> {
		const todo: string[] = [];
		for (const p of paths instanceof Set ? (paths as Set<string>) : new Set(paths)) if (!this.cache.has(p) && !this.insideRoots(p)) todo.push(p);
		if (todo.length >= PARALLEL_STAT_MIN_FILES) {
			const found = await statPathsInWorkers(todo, defaultStatWorkers()).catch(() => undefined); // no worker processes: below
			if (found !== undefined) {
				todo.forEach((p, i) => {
					const st = found[i];
					this.cache.set(
						p,
						st === undefined ? {exists: false, directory: false} : st === null ? {exists: false, directory: false, unknown: true} : {exists: true, ...st},
					);
				});
				return;
			}
		}
		await forEachLimited(todo, 64, async (p) => {
			try {
				const st = await stat(p);
				this.cache.set(p, {exists: true, directory: st.isDirectory(), size: st.size, mtimeMs: Math.trunc(st.mtimeMs)});
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				this.cache.set(p, code === 'ENOENT' || code === 'ENOTDIR' ? {exists: false, directory: false} : {exists: false, directory: false, unknown: true});
			}
		});
	}

	/** What is known about `path`; paths outside the roots that were not probed count as non-existing. */
	get(path: string): Probe {
		// Probed paths are outside the roots: their answer first (a million of them when 2,000
		// `_metadata` are named, each compared with 2,000 roots again).
		const probed = this.cache.get(path);
		if (probed !== undefined) return probed;
		if (this.insideRoots(path)) {
			const f = this.scan.files.get(path);
			if (f !== undefined) return {exists: true, directory: false, size: f.size, mtimeMs: f.mtimeMs};
			if (this.scan.directories.has(path)) return {exists: true, directory: true};
			const link = this.scan.symlinks.get(path);
			if (link !== undefined && !link.broken) return {exists: true, directory: link.directory};
			return {exists: false, directory: false};
		}
		return {exists: false, directory: false};
	}
}
