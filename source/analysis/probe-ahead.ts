/**
 * Probing ahead: while the `_metadata` files load on this thread, the paths outside the roots that
 * the references added so far probably resolve to are `stat`ed in a worker process (the names of
 * each directory sent as they come, the way the crawl streams directories to the scan's stat
 * workers), on a core that would otherwise idle. Only a head start: the probe once every snapshot
 * is added (`Prober.probe`) takes the answer found here for a path it asks about, and `stat`s the
 * others itself; all of them when a worker failed.
 */
import {defaultStatWorkers, PARALLEL_STAT_MIN_FILES} from '../tree/scan.js';
import {foundOf, openStatWorkers, type CrawledDirectory, type FoundBatch, type StatStream} from '../tree/stat-pool.js';

/** What a {@link ProbeAhead} found: per name of its groups, in their order, the answer at that index of `batch`. */
export interface AheadAnswers {
	groups: readonly CrawledDirectory[];
	batch: FoundBatch;
}

/**
 * Names to `stat` (following symlinks) ahead, by directory: kept until {@link PARALLEL_STAT_MIN_FILES}
 * of them (fewer are quicker `stat`ed later, with no process to start), then streamed to worker
 * processes (one core fewer than by default: this thread loads meanwhile).
 */
export class ProbeAhead {
	private groups: CrawledDirectory[] = [];
	private total = 0;
	private stream: StatStream | undefined;
	private closed = false;

	/** `minFiles`: from how many names on to start the workers (tests lower it). */
	constructor(
		private readonly minFiles = PARALLEL_STAT_MIN_FILES,
		private readonly workers = Math.max(1, defaultStatWorkers() - 1),
	) {}

	/** `stat` `dir + '/' + name` for each of `names` (names without `/`, `dir` absolute); nothing once {@link answers} was called. */
	add(dir: string, names: string[]): void {
		if (this.closed || names.length === 0) return;
		const group = {dir, names};
		this.groups.push(group);
		this.total += names.length;
		if (this.stream !== undefined) {
			this.stream.add(group);
		} else if (this.total >= this.minFiles) {
			this.stream = openStatWorkers(this.workers, true);
			for (const g of this.groups) this.stream.add(g);
		}
	}

	/**
	 * No more names: what the workers found, this thread sharing the rest of their work; `undefined`
	 * when they were never started (too few names) or one failed (never a guessed answer).
	 */
	async answers(): Promise<AheadAnswers | undefined> {
		this.closed = true;
		const {stream, groups, total} = this;
		this.groups = [];
		this.stream = undefined;
		if (stream === undefined) return undefined;
		try {
			const batch = await foundOf(
				stream.close(groups, () => undefined),
				total,
			);
			return {groups, batch};
		} catch {
			stream.abort();
			return undefined;
		}
	}

	/** Stop the workers, without answers (the analysis failed): nothing keeps fcx from ending. */
	abort(): void {
		this.closed = true;
		this.groups = [];
		this.stream?.abort();
		this.stream = undefined;
	}
}
