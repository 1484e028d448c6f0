/**
 * Entropy injection (Flink's `s3.entropy.key`): with `state.checkpoints.dir: s3://b/_entropy_/cp`,
 * Flink writes each `_metadata` with the key's segment removed (`s3://b/cp/<job>/chk-3/_metadata`)
 * and each state file with random characters in its place (`s3://b/Ab3x/cp/<job>/shared/…`, a new
 * prefix per file). An {@link EntropyStore} shows such a tree as one: it lists the entropy-free
 * root and below each entropy prefix, and gives the state files the entropy-free path they have in
 * their checkpoint's tree (`s3://b/cp/<job>/shared/…`); reads go to where each file really is.
 * The real keys listed are kept: a reference names one (see {@link EntropyStore.listedAsWritten}).
 */
import type {Warning} from '../tree/warnings.js';
import {type ListOptions, type PendingUpload, type Store, type StoreEntry} from './types.js';
import {normaliseStoreUri} from './uri.js';

/** Entropy prefixes listed at once. */
const ENTROPY_LIST_CONCURRENCY = 8;
/** Entries per batch of {@link EntropyStore.list} from the entropy prefixes. */
const BATCH = 1000;
/** What an entropy prefix looks like: Flink's random alphanumerics (`s3.entropy.length`, default 4). */
const ENTROPY_NAME = /^[A-Za-z0-9]{1,32}$/;

/** Where the entropy goes: `root` (entropy-free), `parent` (where the key's segment was) and the segments after it. */
export interface EntropyLayout {
	/** The entropy-free root (`s3://b/cp`). */
	root: string;
	/** The path the key's segment is in (`s3://b`). */
	parent: string;
	/** The path from the key's segment to the root (`cp`; '' when the key is the root's last segment). */
	rest: string;
}

/**
 * The entropy layout of `root` as configured (`s3://b/_entropy_/cp` with key `_entropy_`), or
 * `undefined` when no segment of it is the key.
 */
export function entropyLayout(root: string, key: string): EntropyLayout | undefined {
	const m = /^([a-z0-9+.-]+:\/\/[^/]*)(\/.*)?$/i.exec(root);
	if (m === null) return undefined;
	const segments = (m[2] ?? '').split('/').filter((s) => s !== '');
	const at = segments.indexOf(key);
	if (at < 0) return undefined;
	const before = segments.slice(0, at);
	const after = segments.slice(at + 1);
	const parent = [m[1], ...before].join('/');
	return {root: [parent, ...after].join('/'), parent, rest: after.join('/')};
}

/** A {@link Store} that shows an entropy-injected tree as one (see the module doc). */
export class EntropyStore implements Store {
	readonly scheme: string;
	readonly description: string;
	/** The entropy prefixes found (names below `parent` of {@link entropyLength}), once listed. */
	prefixes: string[] | undefined;
	/**
	 * The length of Flink's entropy (`s3.entropy.length`, one for every file) as the names below
	 * `parent` show it (see {@link entropyLengthOf}); `undefined` before the listing or when they
	 * do not tell.
	 */
	entropyLength: number | undefined;
	/** Alphanumeric names below `parent` not of {@link entropyLength} (`old`, `fd`): not listed, not entropy. */
	skipped: string[] = [];
	private skippedNames = new Set<string>();
	/** Entropy-free path → where the file really is (one of them, when several prefixes hold it). */
	private readonly real = new Map<string, string>();
	/**
	 * The real paths of the files listed, below the root and below each entropy prefix: a reference
	 * names one exact key (Flink draws the entropy once per file and writes it into the handle), so
	 * the file it names is there only when that key is (see {@link listedAsWritten}).
	 */
	private readonly listedKeys = new Set<string>();
	/** Whether the listing below the entropy prefixes is done. */
	private listed = false;
	/** The entries below the entropy prefixes by their first segment below the root (a job directory): see {@link groupOf}. */
	private entries: Promise<Map<string, StoreEntry[]>> | undefined;

	constructor(
		private readonly inner: Store,
		readonly layout: EntropyLayout,
	) {
		this.scheme = inner.scheme;
		this.description = `${inner.description}, entropy below ${layout.parent}`;
	}

	/**
	 * The entropy prefixes below `parent`: alphanumeric directories other than the root's own next
	 * segment, of {@link entropyLengthOf} (the others go to {@link skipped}). From one level's listing; when that shows no directory at all (s3rver's Delimiter
	 * listing shows no prefix without an object right below it), from the first segment of every key.
	 */
	private async findPrefixes(): Promise<string[]> {
		const own = this.layout.rest.split('/')[0];
		const names = new Set<string>();
		const collect = async (recursive: boolean): Promise<void> => {
			for await (const batch of this.inner.list(this.layout.parent, {recursive})) {
				for (const e of batch) {
					const name = e.path.slice(this.layout.parent.length + 1).split('/')[0];
					if ((recursive || e.kind === 'directory') && name !== own && ENTROPY_NAME.test(name)) names.add(name);
				}
			}
		};
		await collect(false);
		if (names.size === 0) await collect(true);
		this.entropyLength = entropyLengthOf(names);
		this.skipped = [...names].filter((n) => n.length !== this.entropyLength).sort();
		this.skippedNames = new Set(this.skipped);
		return [...names].filter((n) => n.length === this.entropyLength).sort();
	}

	/** `root/<first segment below the root>` of `path` (a path below the root). */
	private groupOf(path: string): string {
		const slash = path.indexOf('/', this.layout.root.length + 1);
		return slash < 0 ? path : path.slice(0, slash);
	}

	/**
	 * Every entry below the entropy prefixes, at its entropy-free path (listed once, each prefix
	 * whole), grouped by {@link groupOf}: listing one job directory looks at its own entries only,
	 * not at every entry of the tree once per job.
	 */
	private async entropyEntries(): Promise<Map<string, StoreEntry[]>> {
		this.prefixes = await this.findPrefixes();
		const out = new Map<string, StoreEntry[]>();
		const queue = [...this.prefixes];
		const worker = async (): Promise<void> => {
			for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
				const below = `${this.layout.parent}/${name}`;
				const from = this.layout.rest === '' ? below : `${below}/${this.layout.rest}`;
				for await (const batch of this.inner.list(from)) {
					for (const e of batch) {
						const path = this.layout.root + e.path.slice(from.length);
						if (e.kind === 'file') {
							if (!this.real.has(path)) this.real.set(path, e.path);
							this.listedKeys.add(e.path);
						}
						const group = this.groupOf(path);
						let entries = out.get(group);
						if (entries === undefined) {
							entries = [];
							out.set(group, entries);
						}
						entries.push({...e, path});
					}
				}
			}
		};
		await Promise.all(Array.from({length: Math.min(ENTROPY_LIST_CONCURRENCY, queue.length)}, worker));
		this.listed = true;
		return out;
	}

	async *list(path: string, options: ListOptions = {}): AsyncIterable<readonly StoreEntry[]> {
		const inRoot = path === this.layout.root || path.startsWith(this.layout.root + '/');
		for await (const batch of this.inner.list(path, options)) {
			if (inRoot) for (const e of batch) if (e.kind === 'file') this.listedKeys.add(e.path);
			yield batch;
		}
		if (!inRoot) return;
		this.entries ??= this.entropyEntries();
		const recursive = options.recursive ?? true;
		const below = path + '/';
		const directories = new Set<string>();
		let batch: StoreEntry[] = [];
		const groups = await this.entries;
		const candidates = path === this.layout.root ? allOf(groups) : (groups.get(this.groupOf(path)) ?? []);
		for (const e of candidates) {
			if (!e.path.startsWith(below)) continue;
			const slash = e.path.indexOf('/', below.length);
			if (recursive || slash < 0) {
				batch.push(e);
			} else if (!directories.has(e.path.slice(0, slash))) {
				// Only direct children: the directory an entry further down is in.
				directories.add(e.path.slice(0, slash));
				batch.push({path: e.path.slice(0, slash), kind: 'directory', size: 0, mtimeMs: 0});
			}
			if (batch.length >= BATCH) {
				yield batch;
				batch = [];
			}
		}
		if (batch.length > 0) yield batch;
	}

	/**
	 * Whether the object a reference names was listed, for a reference as written in `_metadata`
	 * below an entropy prefix of this layout (`s3://b/Ab3x/cp/<job>/shared/…`, any `s3` alias): a
	 * copy below another prefix, or at the entropy-free path, is not the object Flink reads.
	 * `'unlisted'` when its prefix is one of {@link skipped} (not listed: whether it is there is not
	 * known); `undefined` when `written` is not of that form (its path is where it is) or before
	 * the listing.
	 */
	listedAsWritten(written: string): boolean | 'unlisted' | undefined {
		if (!this.listed) return undefined;
		const path = normaliseStoreUri(written);
		const parent = this.layout.parent + '/';
		if (!path.startsWith(parent)) return undefined;
		const slash = path.indexOf('/', parent.length);
		if (slash < 0 || !ENTROPY_NAME.test(path.slice(parent.length, slash))) return undefined;
		const rest = this.layout.rest;
		if (rest !== '' && !path.startsWith(rest + '/', slash + 1)) return undefined;
		if (this.listedKeys.has(path)) return true;
		// Below a name not listed: not known; below no name there at all, or a listed prefix: missing.
		return this.skippedNames.has(path.slice(parent.length, slash)) ? 'unlisted' : false;
	}

	private where(path: string): string {
		return this.real.get(path) ?? path;
	}

	async stat(path: string): Promise<StoreEntry | undefined> {
		const real = this.where(path);
		const st = await this.inner.stat(real);
		return st === undefined ? undefined : {...st, path};
	}

	read(path: string, options: {maxBytes: number}): Promise<Uint8Array> {
		return this.inner.read(this.where(path), options);
	}

	readRange(path: string, start: number, length: number): Promise<Uint8Array> {
		return this.inner.readRange(this.where(path), start, length);
	}

	async listPending(path: string): Promise<PendingUpload[]> {
		if (this.inner.listPending === undefined) return [];
		return this.inner.listPending(path);
	}

	async close(): Promise<void> {
		await this.inner.close?.();
	}
}

/**
 * The length of the entropy prefixes among `names` (alphanumeric names below where the key was):
 * Flink draws every prefix of one length (`s3.entropy.length`, default 4), and a file each, so
 * they are the most names; other names (`old`, `fd`: a backup, another tool's data) are not
 * entropy, and their files are no checkpoint's (nor orphans). When two lengths are as common,
 * Flink's default if it is one of them, else `undefined` (nothing is listed: not known).
 */
export function entropyLengthOf(names: Iterable<string>): number | undefined {
	const counts = new Map<number, number>();
	for (const n of names) counts.set(n.length, (counts.get(n.length) ?? 0) + 1);
	const most = Math.max(0, ...counts.values());
	const lengths = [...counts].filter(([, c]) => c === most).map(([length]) => length);
	if (lengths.length === 1) return lengths[0];
	return lengths.includes(FLINK_DEFAULT_ENTROPY_LENGTH) ? FLINK_DEFAULT_ENTROPY_LENGTH : undefined;
}

/** Flink's `s3.entropy.length` unless configured. */
const FLINK_DEFAULT_ENTROPY_LENGTH = 4;

/** Every entry of every group, without a copy. */
function* allOf(groups: ReadonlyMap<string, readonly StoreEntry[]>): Iterable<StoreEntry> {
	for (const entries of groups.values()) yield* entries;
}

/** Entropy prefixes named in an `entropy-detected` message at most. */
const NAMED_PREFIXES = 5;

/** What {@link EntropyDetector} saw below one root. */
interface SeenBelow {
	/** The path the entropy segment is in (`s3://b`) and what follows it up to the root (`flink/cp`). */
	parent: string;
	rest: string;
	/** Distinct segments in the entropy's place (capped), and their lengths. */
	segments: Set<string>;
	lengths: Set<number>;
	/** Distinct referenced paths (capped) and references counted. */
	files: Set<string>;
	references: number;
}

/** Distinct segments remembered per root (enough to tell one from many). */
const SEGMENTS_KEPT = 64;

/**
 * Finds entropy injection that `--entropy-key` was not given for: references (absolute paths as
 * written in `_metadata`) of S3 roots that are below the root once one segment before the root's
 * end is taken out (`s3://b/Ab3x/flink/cp/<job>/shared/…` for the root `s3://b/flink/cp`), where
 * that segment is alphanumeric and of one length in every reference, with several values (Flink
 * draws a new one per file) or a single reference. The listing of the root does not show those
 * files: they are neither missing nor may anything be called an orphan (see {@link report}).
 */
export class EntropyDetector {
	private readonly seen = new Map<string, SeenBelow>();
	private readonly roots: {root: string; bucket: string; segments: string[]}[];

	/** `roots`: normalised `s3://…` roots listed without an entropy layout. */
	constructor(roots: readonly string[]) {
		this.roots = [];
		for (const root of roots) {
			const m = /^s3:\/\/([^/]+)(\/.*)?$/.exec(root);
			if (m !== null) this.roots.push({root, bucket: m[1], segments: (m[2] ?? '').split('/').filter((s) => s !== '')});
		}
	}

	/** Whether there are roots to look for entropy below. */
	get active(): boolean {
		return this.roots.length > 0;
	}

	/** Look at one referenced path (as written; relative names and other stores are skipped cheaply). */
	note(path: string): void {
		if (!path.startsWith('s3')) return;
		const m = /^s3[anp]?:\/\/([^/]+)\/(.*)$/i.exec(path);
		if (m === null) return;
		let segments: string[] | undefined;
		for (const r of this.roots) {
			if (r.bucket !== m[1] || r.segments.length === 0) continue;
			segments ??= m[2].split('/').filter((s) => s !== '');
			const at = entropyIndex(segments, r.segments);
			if (at < 0) continue;
			let s = this.seen.get(r.root);
			if (s === undefined) {
				s = {
					parent: ['s3:/', r.bucket, ...r.segments.slice(0, at)].join('/'),
					rest: r.segments.slice(at).join('/'),
					segments: new Set(),
					lengths: new Set(),
					files: new Set(),
					references: 0,
				};
				this.seen.set(r.root, s);
			}
			s.references++;
			s.lengths.add(segments[at].length);
			if (s.segments.size < SEGMENTS_KEPT) s.segments.add(segments[at]);
			if (s.files.size < SEGMENTS_KEPT) s.files.add(path);
			return;
		}
	}

	/**
	 * One `entropy-detected` warning per root where entropy was seen, naming a few prefixes and the
	 * `--entropy-key` invocation to use (the key itself is in Flink's configuration, `s3.entropy.key`).
	 */
	report(): Warning[] {
		const out: Warning[] = [];
		for (const [root, s] of this.seen) {
			// One length, and a new value per file (one file: nothing to compare).
			if (s.lengths.size !== 1 || (s.segments.size < 2 && s.files.size > 1)) continue;
			const [length] = s.lengths;
			const named = [...s.segments].sort().slice(0, NAMED_PREFIXES);
			const more = s.segments.size > NAMED_PREFIXES ? ', …' : '';
			const n = s.references;
			out.push({
				code: 'entropy-detected',
				path: root,
				message:
					`${n} referenced ${n === 1 ? 'file lies' : 'files lie'} below ${s.parent}/<${length} random characters>/${s.rest} (${named.join(', ')}${more}), not below this root: ` +
					`Flink's entropy injection (s3.entropy.key). Those prefixes were not listed, so no file is called missing and nothing is an orphan here. ` +
					`Give the root as state.checkpoints.dir is configured, with the key: ${s.parent}/KEY/${s.rest} --entropy-key KEY (KEY is s3.entropy.key, e.g. _entropy_)`,
			});
		}
		return out;
	}
}

/**
 * Where `ref` (a reference's segments below the bucket) has a segment that `root` (the root's
 * segments) does not, before the root's end: the index of that segment when taking it out leaves
 * a path strictly below the root and the segment looks like entropy, else -1.
 */
function entropyIndex(ref: readonly string[], root: readonly string[]): number {
	if (ref.length <= root.length + 1) return -1;
	let i = 0;
	while (i < root.length && ref[i] === root[i]) i++;
	if (i === root.length || !ENTROPY_NAME.test(ref[i])) return -1;
	for (let j = i; j < root.length; j++) if (ref[j + 1] !== root[j]) return -1;
	return i;
}
