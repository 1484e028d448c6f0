/**
 * Exclusive bytes of jobs: what deleting one job's snapshots alone would free — their `_metadata`
 * files and the local files that no snapshot of another job references (sizes on disk, bytes).
 */

/** Entry id → the job using it: an index ≥ 0, or one of these. */
const UNUSED = -1;
const SEVERAL = -2;

/** Sums the exclusive bytes per job while the snapshots are analysed (entries are local files by id). */
export class ExclusiveBytes {
	private readonly jobs = new Map<string | null, number>();
	private bytes: number[] = [];
	private readonly jobOf: Int32Array;

	/** `entries`: the number of entry ids. */
	constructor(entries: number) {
		this.jobOf = new Int32Array(entries).fill(UNUSED);
	}

	/** The index of the job with directory `jobDir` (`null`: snapshots outside job directories). */
	jobIndex(jobDir: string | null): number {
		let index = this.jobs.get(jobDir);
		if (index === undefined) {
			index = this.bytes.length;
			this.jobs.set(jobDir, index);
			this.bytes.push(0);
		}
		return index;
	}

	/** Bytes that belong to job `job` alone (its `_metadata` files). */
	addBytes(job: number, bytes: number): void {
		this.bytes[job] += bytes;
	}

	/** A snapshot of job `job` references the local file `id` (which exists). */
	addUse(id: number, job: number): void {
		const current = this.jobOf[id];
		if (current === UNUSED) this.jobOf[id] = job;
		else if (current !== job) this.jobOf[id] = SEVERAL;
	}

	/** Add the files used by one job only, by their sizes on disk (`diskSize` by entry id; < 0: unknown, 0). Once. */
	addFiles(diskSize: ArrayLike<number>): void {
		for (let id = 0; id < this.jobOf.length; id++) {
			const job = this.jobOf[id];
			if (job >= 0 && diskSize[id] > 0) this.bytes[job] += diskSize[id];
		}
	}

	/** The exclusive bytes of the job with directory `jobDir` (0 when none of its snapshots was analysed). */
	of(jobDir: string | null): number {
		const index = this.jobs.get(jobDir);
		return index === undefined ? 0 : this.bytes[index];
	}
}
