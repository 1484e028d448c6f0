/**
 * The quarantines `fcx clean` left below the scanned roots (`<root>/.fcx-quarantine/`): the scan
 * does not crawl them as part of the tree (their files are never orphans, never planned), but
 * measures them, so that the report and the explorer can say what they hold. A quarantine frees
 * nothing until it is emptied: a local one is a rename on the same file system, a store's a copy.
 *
 * Layout (`cleanup/act.ts`, `cleanup/remote-act.ts`): `<quarantine>/<timestamp>/<path below the
 * root>` for the entries one run moved, `<quarantine>/<timestamp>.log` its action log and
 * `<quarantine>/<timestamp>.restore.sh` its restore script (local runs).
 */
import * as fs from 'node:fs';
import {fdir} from 'fdir';
import {parentPath, stripTrailingSlash} from './layout.js';

/** The entries one `fcx clean` run moved into a quarantine. */
export interface QuarantineRun {
	/** `<quarantine>/<name>`, the directory holding the moved entries. */
	path: string;
	/** The run's timestamp as written (`2026-11-22T04-40-00-000Z`). */
	name: string;
	/** Files and bytes below `path` (0 when only its log is left). */
	files: number;
	bytes: number;
	/** When the run moved them, epoch ms: from the name, else the newest mtime inside. */
	timeMs: number;
	/** `<quarantine>/<name>.restore.sh` when it exists (`sh` it to move everything back). */
	restoreScript: string | null;
	/** `<quarantine>/<name>.log` when it exists. */
	log: string | null;
}

/** One `.fcx-quarantine` directory. */
export interface Quarantine {
	/** `<root>/.fcx-quarantine` (absolute path or store URI). */
	path: string;
	/** All its files (moved entries, logs, scripts) and their bytes: held, not freed, until it is emptied. */
	files: number;
	bytes: number;
	/** Newest and oldest run time, ms (0 when it holds no run). */
	newestMs: number;
	oldestMs: number;
	/** The runs, oldest first. */
	runs: QuarantineRun[];
	/** Set when it could not be read whole: its sizes are then what was read. */
	error?: string;
}

const TIMESTAMP_RE = /^(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/;

/** The time of a quarantine timestamp name (`quarantineTimestamp` of `cleanup/execute.ts`), ms; `null` for another name. */
export function quarantineTime(name: string): number | null {
	const m = TIMESTAMP_RE.exec(name);
	if (m === null) return null;
	const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
	return Number.isNaN(t) ? null : t;
}

/** Sums the files of one quarantine, given one by one with their path below it. */
export class QuarantineSums {
	private files = 0;
	private bytes = 0;
	private readonly runs = new Map<string, {files: number; bytes: number; newestMs: number; dir: boolean; restore: boolean; log: boolean}>();
	error: string | undefined;

	constructor(readonly path: string) {}

	/** A file at `rel` (below the quarantine, no leading `/`), `size` bytes, changed at `mtimeMs`. */
	add(rel: string, size: number, mtimeMs: number): void {
		this.files++;
		this.bytes += size;
		const slash = rel.indexOf('/');
		if (slash >= 0) {
			const run = this.run(rel.slice(0, slash));
			run.dir = true;
			run.files++;
			run.bytes += size;
			if (mtimeMs > run.newestMs) run.newestMs = mtimeMs;
		} else if (rel.endsWith('.restore.sh')) {
			this.run(rel.slice(0, -'.restore.sh'.length)).restore = true;
		} else if (rel.endsWith('.log')) {
			this.run(rel.slice(0, -'.log'.length)).log = true;
		}
	}

	private run(name: string) {
		let run = this.runs.get(name);
		if (run === undefined) this.runs.set(name, (run = {files: 0, bytes: 0, newestMs: 0, dir: false, restore: false, log: false}));
		return run;
	}

	/** The quarantine so far. */
	result(): Quarantine {
		const runs: QuarantineRun[] = [...this.runs].map(([name, r]) => ({
			path: `${this.path}/${name}`,
			name,
			files: r.files,
			bytes: r.bytes,
			timeMs: quarantineTime(name) ?? r.newestMs,
			restoreScript: r.restore ? `${this.path}/${name}.restore.sh` : null,
			log: r.log ? `${this.path}/${name}.log` : null,
		}));
		runs.sort((a, b) => a.timeMs - b.timeMs || (a.name < b.name ? -1 : 1));
		const times = runs.map((r) => r.timeMs);
		const quarantine: Quarantine = {
			path: this.path,
			files: this.files,
			bytes: this.bytes,
			newestMs: times.length === 0 ? 0 : Math.max(...times),
			oldestMs: times.length === 0 ? 0 : Math.min(...times),
			runs,
		};
		if (this.error !== undefined) quarantine.error = this.error;
		return quarantine;
	}
}

/** Files `lstat`ed between two turns of the event loop. */
const BATCH = 4096;

/**
 * Measure the local quarantine directory `path`: crawl it and `lstat` every file (symlinks are
 * not followed and count with their own size). Read only; never throws (a failure is `error`).
 */
export async function measureLocalQuarantine(path: string): Promise<Quarantine> {
	const dir = stripTrailingSlash(path);
	const sums = new QuarantineSums(dir);
	try {
		const files = await new fdir().withFullPaths().withPathSeparator('/').crawl(dir).withPromise();
		let since = 0;
		for (const file of files) {
			try {
				const st = fs.lstatSync(file);
				sums.add(file.slice(dir.length + 1), st.size, Math.trunc(st.mtimeMs));
			} catch (error) {
				sums.error ??= `${file}: ${(error as Error).message}`;
			}
			if (++since >= BATCH) {
				since = 0;
				await new Promise<void>((resolve) => setImmediate(resolve));
			}
		}
	} catch (error) {
		sums.error = (error as Error).message;
	}
	return sums.result();
}

/** The root a quarantine belongs to (the directory it lies in). */
export function quarantineRoot(quarantine: Quarantine): string {
	return parentPath(quarantine.path);
}
