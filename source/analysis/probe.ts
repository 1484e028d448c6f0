/**
 * Existence of the local paths references map to: inside the scanned roots from the scan, outside
 * them with `stat` (in worker processes for many paths), cached by directory and name.
 */
import {stat} from 'node:fs/promises';
import {withCapacity} from '../tree/columns.js';
import {defaultStatWorkers, forEachLimited, PARALLEL_STAT_MIN_FILES, type ScanResult} from '../tree/scan.js';
import {Found, statNamesInWorkers, type CrawledDirectory, type FoundBatch} from '../tree/stat-pool.js';
import {ProbeAhead, type AheadAnswers} from './probe-ahead.js';

/** Existence of a local path. */
export interface Probe {
	exists: boolean;
	directory: boolean;
	/** It could not be `stat`ed for another reason than not being there (a directory above it cannot be read). */
	unknown?: boolean;
	/** Bytes, for a file outside the roots or a scanned file. */
	size?: number;
}

/** Paths to probe by directory: `dir + '/' + name` for each of `names` (names without `/`). */
export interface ProbeGroup {
	dir: string;
	names: Iterable<string>;
}

const ABSENT: Probe = Object.freeze({exists: false, directory: false});
const UNKNOWN: Probe = Object.freeze({exists: false, directory: false, unknown: true});
const DIRECTORY: Probe = Object.freeze({exists: true, directory: true});

/** {@link ProbedDir.sizes} of a name whose answer is not a file: see {@link Found}. */
const NOT_FILE = {absent: -1, directory: -2, unknown: -3, pending: -4} as const;

/**
 * The probed names of one directory outside the roots: name → slot, and per slot the size in bytes
 * of the file there, or a {@link NOT_FILE} code (a million files outside the roots cost a map
 * entry and 8 bytes each, no string or object of their own).
 */
interface ProbedDir {
	slots: Map<string, number>;
	sizes: Float64Array;
}

/** `[directory, name]` of `path`, split at its last `/` (`/a` → `['', 'a']`): the inverse of `dir + '/' + name`; `null` without `/`. */
function splitPath(path: string): [dir: string, name: string] | null {
	const slash = path.lastIndexOf('/');
	return slash < 0 ? null : [path.slice(0, slash), path.slice(slash + 1)];
}

/** Names of one directory to `stat`, whose slots are `first …` (consecutive) or `slots`. */
interface ToStat extends CrawledDirectory {
	first: number;
	slots?: number[];
}

/**
 * Checks local paths: inside the scanned roots from the scan (files, symlinks, directories),
 * outside with `stat` (follows symlinks), cached by directory and name. Call {@link Prober.probe}
 * with every outside path first, then {@link Prober.getIn} or {@link Prober.get} synchronously.
 * Paths it will probably be asked about may be given to {@link Prober.probeAhead} before.
 */
export class Prober {
	/** `null` once {@link forget} was called. */
	private dirs: Map<string, ProbedDir> | null = new Map();
	/** The last directory of {@link getIn} and its probed names (references come directory by directory). */
	private lastDir: string | null = null;
	private lastProbed: ProbedDir | undefined;
	/** The last path of {@link get} and its answer (an anchor is asked once per file below it). */
	private lastPath: string | null = null;
	private lastAnswer: Probe = ABSENT;
	/** The directories that roots lie in directly (see {@link splitPath}): there, a name may be a root itself. */
	private readonly rootParents: Set<string>;
	/** The names given to {@link probeAhead}, until {@link probe} takes their answers. */
	private readonly ahead: ProbeAhead;

	/** `parallelMinFiles`: from how many paths on worker processes `stat` them (tests lower it). */
	constructor(
		private readonly scan: ScanResult,
		private readonly insideRoots: (path: string) => boolean,
		private readonly parallelMinFiles = PARALLEL_STAT_MIN_FILES,
	) {
		this.rootParents = new Set(scan.roots.map((root) => splitPath(root)?.[0] ?? ''));
		this.ahead = new ProbeAhead(parallelMinFiles);
	}

	/**
	 * `stat` `dir + '/' + name` for each of `names` (names without `/`) in worker processes from now
	 * on (from {@link PARALLEL_STAT_MIN_FILES} names on): a head start for {@link probe}, which
	 * takes these answers for the paths it is given and no others (a path never given to it is
	 * not there, whatever was found here). Nothing once `probe` was called.
	 */
	probeAhead(dir: string, names: string[]): void {
		if (!this.insideRoots(dir)) this.ahead.add(dir, names);
	}

	/** Stop {@link probeAhead}'s workers without answers (the analysis failed): nothing keeps fcx from ending. */
	abort(): void {
		this.ahead.abort();
	}

	/**
	 * `stat` every path of `groups` outside the roots not yet known: from {@link PARALLEL_STAT_MIN_FILES}
	 * paths on in worker processes (a promise per call costs several times the call), else 64 at a time.
	 */
	async probe(groups: Iterable<ProbeGroup>): Promise<void> {
		const ahead = await this.ahead.answers();
		const aheadIn = ahead === undefined ? undefined : groupsByDir(ahead);
		const todo: ToStat[] = [];
		const probedOf: ProbedDir[] = [];
		let total = 0;
		for (const {dir, names} of groups) {
			// A directory inside a root has all its names inside; outside, a name may be a root itself.
			if (this.insideRoots(dir)) continue;
			const checkEach = this.rootParents.has(dir);
			const probed = this.probedDir(dir);
			const fresh: string[] = [];
			for (const name of names) {
				if (probed.slots.has(name) || (checkEach && this.insideRoots(`${dir}/${name}`))) continue;
				probed.slots.set(name, probed.slots.size);
				fresh.push(name);
			}
			if (fresh.length === 0) continue;
			if (probed.sizes.length < probed.slots.size) probed.sizes = withCapacity(probed.sizes, Math.max(probed.slots.size, probed.sizes.length * 2));
			const first = probed.slots.size - fresh.length;
			probed.sizes.fill(NOT_FILE.pending, first, probed.slots.size);
			const group = takeAhead(probed, {dir, names: fresh, first}, ahead, aheadIn?.get(dir));
			if (group.names.length === 0) continue;
			todo.push(group);
			probedOf.push(probed);
			total += group.names.length;
		}
		// What the last calls of `getIn` and `get` found changes (`get` may be called while waiting).
		this.lastDir = null;
		this.lastPath = null;
		await this.statAll(todo, probedOf, total);
		this.lastPath = null;
	}

	/** `stat` the names of `todo` (`total` in all) into `probedOf` (by group): in worker processes from {@link PARALLEL_STAT_MIN_FILES} on. */
	private async statAll(todo: readonly ToStat[], probedOf: readonly ProbedDir[], total: number): Promise<void> {
		if (total >= this.parallelMinFiles && (await this.probeInWorkers(todo, probedOf, total))) return;
		const paths: [probed: ProbedDir, slot: number, path: string][] = [];
		todo.forEach(({dir, names}, g) => {
			for (const name of names) paths.push([probedOf[g], probedOf[g].slots.get(name)!, `${dir}/${name}`]);
		});
		await forEachLimited(paths, 64, async ([probed, slot, path]) => {
			try {
				const st = await stat(path);
				probed.sizes[slot] = st.isDirectory() ? NOT_FILE.directory : st.size;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				probed.sizes[slot] = code === 'ENOENT' || code === 'ENOTDIR' ? NOT_FILE.absent : NOT_FILE.unknown;
			}
		});
	}

	/** `stat` the names of `todo` in worker processes into `probedOf` (by group); `false` when there are none (then nothing is set). */
	private async probeInWorkers(todo: readonly ToStat[], probedOf: readonly ProbedDir[], total: number): Promise<boolean> {
		const batch = await statNamesInWorkers(todo, total, defaultStatWorkers()).catch(() => undefined);
		if (batch === undefined) return false;
		let i = 0;
		todo.forEach(({names, first, slots}, g) => {
			const probed = probedOf[g];
			for (let k = 0; k < names.length; k++, i++) probed.sizes[slots === undefined ? first + k : slots[k]] = sizeOf(batch, i);
		});
		return true;
	}

	/** The probed names of `dir`, made when new. */
	private probedDir(dir: string): ProbedDir {
		let probed = this.known().get(dir);
		if (probed === undefined) {
			probed = {slots: new Map(), sizes: new Float64Array(0)};
			this.known().set(dir, probed);
		}
		return probed;
	}

	/** The probed directories; throws once {@link forget} was called (a path outside the roots would pass for not there). */
	private known(): Map<string, ProbedDir> {
		if (this.dirs === null) throw new Error('the prober was asked about a path after it forgot its answers');
		return this.dirs;
	}

	/**
	 * Drop every answer (a million paths outside the roots: 40 MB) once nothing will ask for one:
	 * {@link probe}, {@link getIn} and {@link get} throw from now on.
	 */
	forget(): void {
		this.dirs = null;
		this.lastDir = null;
		this.lastProbed = undefined;
		this.lastPath = null;
	}

	/**
	 * What is known about `dir + '/' + name` (`name` without `/`); paths outside the roots that were
	 * not probed count as non-existing.
	 */
	getIn(dir: string, name: string): Probe {
		// Probed paths are outside the roots: their answer first (a million of them when 2,000
		// `_metadata` are named, each compared with 2,000 roots again).
		if (dir !== this.lastDir) {
			this.lastDir = dir;
			this.lastProbed = this.known().get(dir);
		}
		const slot = this.lastProbed?.slots.get(name);
		if (slot !== undefined) return answerOf(this.lastProbed!.sizes[slot]);
		return this.inScan(`${dir}/${name}`);
	}

	/** What is known about `path`, as {@link getIn}. */
	get(path: string): Probe {
		if (path === this.lastPath) return this.lastAnswer;
		const split = splitPath(path);
		const probed = split === null ? undefined : this.known().get(split[0]);
		const slot = probed?.slots.get(split![1]);
		const answer = slot === undefined ? this.inScan(path) : answerOf(probed!.sizes[slot]);
		this.lastPath = path;
		this.lastAnswer = answer;
		return answer;
	}

	/** What the scan knows about `path` when it is inside the roots; else it counts as non-existing (not probed). */
	private inScan(path: string): Probe {
		if (!this.insideRoots(path)) return ABSENT;
		const f = this.scan.files.get(path);
		if (f !== undefined) return {exists: true, directory: false, size: f.size};
		if (this.scan.directories.has(path)) return DIRECTORY;
		const link = this.scan.symlinks.get(path);
		if (link !== undefined && !link.broken) return {exists: true, directory: link.directory};
		return ABSENT;
	}
}

/** The {@link ProbedDir.sizes} value of answer `i` of `batch`. */
function sizeOf({found, sizes}: FoundBatch, i: number): number {
	const f = found[i];
	return f === Found.File ? sizes[i] : f === Found.Directory ? NOT_FILE.directory : f === Found.Unknown ? NOT_FILE.unknown : NOT_FILE.absent;
}

/** The indices of the groups of `ahead` by directory, and the index of each one's first answer. */
function groupsByDir({groups}: AheadAnswers): Map<string, {group: number; at: number}[]> {
	const byDir = new Map<string, {group: number; at: number}[]>();
	let at = 0;
	groups.forEach(({dir, names}, group) => {
		let list = byDir.get(dir);
		if (list === undefined) byDir.set(dir, (list = []));
		list.push({group, at});
		at += names.length;
	});
	return byDir;
}

/**
 * The names of `group` (pending in `probed`, slots `first …`) left to `stat` once those that
 * `ahead` answered (its groups `of` this directory) have their answer: `group` itself when none
 * did, else with `slots`.
 */
function takeAhead(probed: ProbedDir, group: ToStat, ahead: AheadAnswers | undefined, of: readonly {group: number; at: number}[] | undefined): ToStat {
	if (ahead === undefined || of === undefined) return group;
	const {slots, sizes} = probed;
	const {names: asked, first} = group;
	let taken = 0;
	/** The asked name after the last one answered: usually the next name ahead (both in the order they were written in). */
	let next = 0;
	for (const {group: g, at} of of) {
		const names = ahead.groups[g].names;
		for (let k = 0; k < names.length; k++) {
			const name = names[k];
			const slot = next < asked.length && asked[next] === name ? first + next : slots.get(name);
			// Only a name asked about now: another may be inside a root, or stay unasked (not there).
			if (slot === undefined || slot < first || sizes[slot] !== NOT_FILE.pending) continue;
			next = slot - first + 1;
			// Only that a path is there: one found absent (or unreadable) while the files loaded may
			// have appeared since, and is `stat`ed again (an early answer never makes a file missing).
			const size = sizeOf(ahead.batch, at + k);
			if (size < 0 && size !== NOT_FILE.directory) continue;
			sizes[slot] = size;
			taken++;
		}
	}
	if (taken === 0) return group;
	const left: ToStat = {dir: group.dir, names: [], first: group.first, slots: []};
	group.names.forEach((name, k) => {
		if (sizes[group.first + k] !== NOT_FILE.pending) return;
		left.names.push(name);
		left.slots!.push(group.first + k);
	});
	return left;
}

/** The {@link Probe} of a {@link ProbedDir.sizes} value (a probe not answered, `pending`, is unknown: never present). */
function answerOf(size: number): Probe {
	if (size >= 0) return {exists: true, directory: false, size};
	return size === NOT_FILE.directory ? DIRECTORY : size === NOT_FILE.absent ? ABSENT : UNKNOWN;
}
