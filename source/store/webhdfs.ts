/**
 * HDFS through WebHDFS, the namenode's REST API, over `fetch` (no client library): roots
 * `hdfs://namenode:port/path` (the port there is the RPC port; the HTTP port is 9870, Hadoop 3's
 * `dfs.namenode.http-address` default, unless `httpAddress` says otherwise), `webhdfs://host:port/path`
 * (the HTTP port, default 9870) and `swebhdfs://` (HTTPS, default 9871). Paths keep the root's
 * scheme and authority (`hdfs://nn:8020/flink/…`), the way Flink writes them into `_metadata`.
 *
 * Listing walks directories with LISTSTATUS_BATCH (pages of `dfs.ls.limit` entries, `startAfter`
 * the last name; LISTSTATUS on namenodes older than Hadoop 2.8), several directories at once, the
 * pages of one directory in order. Reads OPEN the file and follow the 307 to a datanode. Cleanup
 * renames (atomic on HDFS) and deletes. Authentication: `user.name=` (security off) or a
 * delegation token (`delegation=`); Kerberos/SPNEGO is not supported, and a namenode that asks for
 * it (401 `WWW-Authenticate: Negotiate`) gets one line saying so.
 *
 * Over 400 lines: one class per REST operation family would split the one retry/paging/error
 * path every call shares (`RemoteException` → one line); the cleanup calls sit beside the reads.
 */
import {StoreError, type DeleteOutcome, type ListOptions, type Store, type StoreEntry, type StoreErrorCode} from './types.js';

/** The namenode's HTTP port in Hadoop 3 (`dfs.namenode.http-address`); 50070 in Hadoop 2. */
export const WEBHDFS_DEFAULT_PORT = 9870;
/** The namenode's HTTPS port in Hadoop 3 (`dfs.namenode.https-address`). */
export const SWEBHDFS_DEFAULT_PORT = 9871;
/** Directories listed at once by default. */
export const WEBHDFS_LIST_CONCURRENCY = 8;
/** Each request gives up after this long, ms. */
const REQUEST_TIMEOUT_MS = 60_000;
/** Reads (idempotent) are tried this many times on a network error or a 5xx answer. */
const READ_ATTEMPTS = 3;

/** Options of {@link openWebHdfsStore}. */
export interface WebHdfsOptions {
	/** `hdfs://nn:port/path`, `webhdfs://host:port/path` or `swebhdfs://…`. */
	root: string;
	/** The namenode's WebHDFS address (`http://nn:9870`); default from the root (see the module doc). */
	httpAddress?: string;
	/** `user.name=` when security is off (default `HADOOP_USER_NAME`). */
	user?: string;
	/** A delegation token (`delegation=`), for a cluster with security on. */
	delegation?: string;
	/** Directories listed (and files deleted) at once (default {@link WEBHDFS_LIST_CONCURRENCY}). */
	concurrency?: number;
	/** The `fetch` to use (tests). */
	fetch?: typeof fetch;
}

/** A WebHDFS `FileStatus` (the fields `fcx` reads). */
interface FileStatus {
	pathSuffix: string;
	type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
	length: number;
	modificationTime: number;
}

const URI_RE = /^([a-z]+):\/\/([^/]*)(\/.*)?$/i;

/**
 * The WebHDFS address and the path prefix of a root. @throws Error naming the root when it is not
 * an HDFS URI or names no namenode and no `httpAddress` is given.
 */
export function webHdfsAddress(root: string, httpAddress?: string): {base: string; prefix: string; path: string} {
	const m = URI_RE.exec(root);
	const scheme = m?.[1].toLowerCase();
	if (m === null || (scheme !== 'hdfs' && scheme !== 'webhdfs' && scheme !== 'swebhdfs')) {
		throw new Error(`${root}: not an HDFS root (expected hdfs://namenode:port/path or webhdfs://host:http-port/path)`);
	}
	const authority = m[2];
	const path = (m[3] ?? '/').replace(/\/{2,}/g, '/').replace(/(.)\/+$/, '$1');
	const prefix = `${scheme}://${authority}`;
	if (httpAddress !== undefined) return {base: httpAddress.replace(/\/+$/, ''), prefix, path};
	if (authority === '') throw new Error(`${root}: names no namenode; give its WebHDFS address (http://namenode:${WEBHDFS_DEFAULT_PORT})`);
	const host = authority.replace(/:\d+$/, '');
	const port = /:(\d+)$/.exec(authority)?.[1];
	if (scheme === 'hdfs') return {base: `http://${host}:${WEBHDFS_DEFAULT_PORT}`, prefix, path};
	if (scheme === 'webhdfs') return {base: `http://${host}:${port ?? WEBHDFS_DEFAULT_PORT}`, prefix, path};
	return {base: `https://${host}:${port ?? SWEBHDFS_DEFAULT_PORT}`, prefix, path};
}

/** The {@link StoreErrorCode} of a WebHDFS `RemoteException`. */
function codeOf(exception: string, status: number): StoreErrorCode {
	if (exception === 'FileNotFoundException' || status === 404) return 'not-found';
	if (exception === 'RetriableException') return 'throttled';
	// A standby namenode answers 403 StandbyException: not a permission problem.
	if (exception === 'StandbyException') return 'other';
	if (exception === 'AccessControlException' || exception === 'SecurityException' || status === 401 || status === 403) return 'permission-denied';
	return 'other';
}

/**
 * The namenode answered a RENAME or DELETE with `{"boolean": false}`: it did not do it and did not
 * say why (a source gone, a destination taken, a race with another client). Cleanup stops there.
 */
export class WebHdfsRefusedError extends StoreError {
	constructor(code: StoreErrorCode, path: string, message: string) {
		super(code, path, message);
		this.name = 'WebHdfsRefusedError';
	}
}

/** A page of a directory to list: the directory's HDFS path and the last name listed before it. */
interface Page {
	dir: string;
	startAfter?: string;
}

/** A read-write {@link Store} over WebHDFS (see the module doc). */
export class WebHdfsStore implements Store {
	readonly scheme = 'hdfs';
	readonly description: string;
	private readonly base: string;
	private readonly prefix: string;
	private readonly fetch: typeof fetch;
	/** The namenode refused LISTSTATUS_BATCH (before Hadoop 2.8): list with LISTSTATUS. */
	private noBatch = false;

	constructor(private readonly options: WebHdfsOptions) {
		const {base, prefix} = webHdfsAddress(options.root, options.httpAddress);
		this.base = base;
		this.prefix = prefix;
		this.fetch = options.fetch ?? fetch;
		this.description = `hdfs via ${base} (WebHDFS${options.delegation !== undefined ? ', delegation token' : options.user !== undefined ? `, user ${options.user}` : ''})`;
	}

	/** The HDFS path of a store path (`hdfs://nn:8020/a/b` → `/a/b`). @throws StoreError for a path of another namenode. */
	private hdfsPath(path: string): string {
		if (path === this.prefix) return '/';
		if (!path.startsWith(this.prefix + '/')) throw new StoreError('other', path, `${path}: not on ${this.prefix}`);
		return path.slice(this.prefix.length).replace(/\/+$/, '') || '/';
	}

	private storePath(hdfsPath: string): string {
		return hdfsPath === '/' ? this.prefix : this.prefix + hdfsPath;
	}

	private url(hdfsPath: string, op: string, params: Record<string, string> = {}): string {
		const encoded = hdfsPath.split('/').map(encodeURIComponent).join('/');
		const query = new URLSearchParams({op, ...params});
		if (this.options.delegation !== undefined) query.set('delegation', this.options.delegation);
		else if (this.options.user !== undefined) query.set('user.name', this.options.user);
		return `${this.base}/webhdfs/v1${encoded}?${query.toString()}`;
	}

	/** One request; a 401 asking for Kerberos, a `RemoteException` or a network error become a {@link StoreError}. */
	private async request(method: string, path: string, url: string, redirect: 'error' | 'manual' = 'error'): Promise<Response> {
		const attempts = method === 'GET' ? READ_ATTEMPTS : 1;
		for (let attempt = 1; ; attempt++) {
			let response: Response;
			try {
				response = await this.fetch(url, {method, redirect, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)});
			} catch (error) {
				const cause = (error as {cause?: {code?: string; message?: string}}).cause;
				if (attempt < attempts) {
					await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
					continue;
				}
				throw new StoreError(
					'other',
					path,
					`${path}: WebHDFS at ${this.base} unreachable: ${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))}`,
				);
			}
			if (response.status >= 500 && attempt < attempts) {
				await response.body?.cancel();
				await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
				continue;
			}
			if (response.ok || (response.status >= 300 && response.status < 400)) return response;
			throw await this.failure(path, response);
		}
	}

	private async failure(path: string, response: Response): Promise<StoreError> {
		if (response.status === 401 && /negotiate/i.test(response.headers.get('www-authenticate') ?? '')) {
			await response.body?.cancel();
			return new StoreError(
				'permission-denied',
				path,
				`${path}: the namenode at ${this.base} asks for Kerberos (SPNEGO), which fcx does not support; pass a delegation token (--delegation or FCX_WEBHDFS_DELEGATION)`,
			);
		}
		const text = await response.text().catch(() => '');
		let remote: {exception?: string; message?: string} | undefined;
		try {
			remote = (JSON.parse(text) as {RemoteException?: {exception?: string; message?: string}}).RemoteException;
		} catch {
			remote = undefined;
		}
		const exception = remote?.exception ?? `HTTP ${response.status}`;
		const message = (remote?.message ?? text.trim().split('\n')[0] ?? '').slice(0, 300);
		const hint = exception === 'StandbyException' ? ` (${this.base} is a standby namenode: give the active one's HTTP address)` : '';
		return new StoreError(codeOf(exception, response.status), path, `${path}: ${exception}${message === '' ? '' : `: ${message}`}${hint}`);
	}

	private async json<T>(method: string, path: string, url: string): Promise<T> {
		const response = await this.request(method, path, url);
		try {
			return (await response.json()) as T;
		} catch (error) {
			throw new StoreError(
				'other',
				path,
				`${path}: WebHDFS answered with something that is not JSON (${error instanceof Error ? error.message : String(error)})`,
			);
		}
	}

	private entry(hdfsPath: string, status: FileStatus): StoreEntry {
		const directory = status.type === 'DIRECTORY';
		return {path: this.storePath(hdfsPath), kind: directory ? 'directory' : 'file', size: directory ? 0 : status.length, mtimeMs: status.modificationTime};
	}

	/** One page of a directory: its statuses, and whether more remain. `undefined` when the directory is gone. */
	private async listPage(page: Page): Promise<{statuses: FileStatus[]; more: boolean} | undefined> {
		const path = this.storePath(page.dir);
		try {
			if (!this.noBatch) {
				try {
					const body = await this.json<{DirectoryListing: {partialListing: {FileStatuses: {FileStatus: FileStatus[]}}; remainingEntries: number}}>(
						'GET',
						path,
						this.url(page.dir, 'LISTSTATUS_BATCH', page.startAfter === undefined ? {} : {startAfter: page.startAfter}),
					);
					const listing = body.DirectoryListing;
					return {statuses: listing.partialListing.FileStatuses.FileStatus, more: listing.remainingEntries > 0};
				} catch (error) {
					if (!(error instanceof StoreError && /IllegalArgumentException.*LISTSTATUS_BATCH/.test(error.message))) throw error;
					this.noBatch = true;
					if (page.startAfter !== undefined) throw error;
				}
			}
			const body = await this.json<{FileStatuses: {FileStatus: FileStatus[]}}>('GET', path, this.url(page.dir, 'LISTSTATUS'));
			return {statuses: body.FileStatuses.FileStatus, more: false};
		} catch (error) {
			if (error instanceof StoreError && error.code === 'not-found') return undefined;
			throw error;
		}
	}

	/**
	 * Everything below `path` (see {@link Store.list}): directories are walked breadth-first,
	 * `concurrency` pages in flight; a directory's next page is asked for only after its previous
	 * one, so memory holds at most `concurrency` pages besides the queue of directories to list.
	 * Symlinks (off by default in HDFS) are not listed.
	 */
	async *list(path: string, options: ListOptions = {}): AsyncIterable<readonly StoreEntry[]> {
		const root = this.hdfsPath(path);
		const recursive = options.recursive ?? true;
		const concurrency = Math.max(1, this.options.concurrency ?? WEBHDFS_LIST_CONCURRENCY);
		const queue: Page[] = [{dir: root}];
		const inFlight = new Map<Promise<void>, true>();
		const ready: StoreEntry[][] = [];
		let failure: unknown;
		let listed = 0;
		const start = (page: Page): void => {
			const task: Promise<void> = this.listPage(page)
				.then((result) => {
					if (result === undefined) return;
					const {statuses, more} = result;
					if (
						page.dir === root &&
						page.startAfter === undefined &&
						statuses.length === 1 &&
						statuses[0].pathSuffix === '' &&
						statuses[0].type !== 'DIRECTORY'
					) {
						throw new StoreError('other', path, `${path}: a file, not a directory`);
					}
					const batch: StoreEntry[] = [];
					for (const status of statuses) {
						if (status.pathSuffix === '' || status.type === 'SYMLINK') continue;
						const child = page.dir === '/' ? `/${status.pathSuffix}` : `${page.dir}/${status.pathSuffix}`;
						batch.push(this.entry(child, status));
						if (recursive && status.type === 'DIRECTORY') queue.push({dir: child});
					}
					// The next page of this directory goes first: its pages stay in order and few directories are open at once.
					if (more && statuses.length > 0) queue.unshift({dir: page.dir, startAfter: statuses[statuses.length - 1].pathSuffix});
					if (batch.length > 0) ready.push(batch);
				})
				.catch((error: unknown) => {
					failure ??= error;
				})
				.finally(() => inFlight.delete(task));
			inFlight.set(task, true);
		};
		while (true) {
			while (ready.length > 0) {
				const batch = ready.shift()!;
				listed += batch.length;
				yield batch;
				options.onProgress?.(listed);
			}
			if (failure !== undefined) break;
			while (inFlight.size < concurrency && queue.length > 0) start(queue.shift()!);
			if (inFlight.size === 0) break;
			await Promise.race(inFlight.keys());
		}
		if (failure !== undefined) {
			await Promise.allSettled(inFlight.keys());
			throw failure;
		}
	}

	async stat(path: string): Promise<StoreEntry | undefined> {
		const hdfsPath = this.hdfsPath(path);
		try {
			const body = await this.json<{FileStatus: FileStatus}>('GET', path, this.url(hdfsPath, 'GETFILESTATUS'));
			return this.entry(hdfsPath, body.FileStatus);
		} catch (error) {
			if (error instanceof StoreError && error.code === 'not-found') return undefined;
			throw error;
		}
	}

	/** OPEN `[offset, offset + length)` (to the end without `length`), following the namenode's redirect to a datanode. */
	private async open(path: string, params: Record<string, string>, maxBytes?: number): Promise<Uint8Array> {
		const hdfsPath = this.hdfsPath(path);
		const redirect = await this.request('GET', path, this.url(hdfsPath, 'OPEN', params), 'manual');
		let response = redirect;
		if (redirect.status >= 300 && redirect.status < 400) {
			await redirect.body?.cancel();
			const location = redirect.headers.get('location');
			if (location === null || !/^https?:\/\//i.test(location)) {
				throw new StoreError('other', path, `${path}: the namenode answered OPEN with ${redirect.status} and no datanode URL`);
			}
			response = await this.request('GET', path, location, 'error');
		}
		const bytes = new Uint8Array(await response.arrayBuffer());
		if (maxBytes !== undefined && bytes.length > maxBytes) throw new StoreError('too-large', path, `${path}: more than ${maxBytes} bytes`);
		return bytes;
	}

	read(path: string, options: {maxBytes: number}): Promise<Uint8Array> {
		// One byte more than the cap: a file over it is told from one of exactly the cap.
		return this.open(path, {length: String(options.maxBytes + 1)}, options.maxBytes);
	}

	readRange(path: string, start: number, length: number): Promise<Uint8Array> {
		return this.open(path, {offset: String(start), length: String(length)});
	}

	/**
	 * Rename `from` to `to` (atomic on HDFS), making `to`'s parent first. `to` must not exist: HDFS
	 * would move `from` into an existing directory of that name.
	 */
	async rename(from: string, to: string): Promise<void> {
		const target = this.hdfsPath(to);
		if ((await this.stat(to)) !== undefined) throw new StoreError('other', to, `${to}: already exists; not renaming ${from} onto it`);
		const parent = target.slice(0, target.lastIndexOf('/')) || '/';
		const made = await this.json<{boolean: boolean}>('PUT', to, this.url(parent, 'MKDIRS'));
		if (made.boolean !== true) throw new StoreError('other', to, `${to}: could not make its directory ${parent}`);
		const renamed = await this.json<{boolean: boolean}>('PUT', from, this.url(this.hdfsPath(from), 'RENAME', {destination: target}));
		if (renamed.boolean !== true) {
			const gone = (await this.stat(from)) === undefined;
			throw new WebHdfsRefusedError(
				gone ? 'not-found' : 'other',
				from,
				`${from}: RENAME to ${target} answered false${gone ? ' (it no longer exists)' : ' (the namenode did not say why)'}`,
			);
		}
	}

	/**
	 * Delete files, never directories (each is checked first; a path already gone counts as
	 * deleted), `concurrency` at a time; outcomes in the order of `paths`. A DELETE answered
	 * `{"boolean": false}` is a {@link WebHdfsRefusedError}.
	 */
	async delete(paths: readonly string[]): Promise<DeleteOutcome[]> {
		const outcomes: DeleteOutcome[] = new Array(paths.length);
		let next = 0;
		const worker = async (): Promise<void> => {
			while (next < paths.length) {
				const i = next++;
				const path = paths[i];
				try {
					const entry = await this.stat(path);
					if (entry?.kind === 'directory') throw new StoreError('other', path, `${path}: a directory; only files are deleted`);
					if (entry !== undefined) await this.deleteOne(path, 'file');
					outcomes[i] = {path};
				} catch (error) {
					outcomes[i] = {path, error: error instanceof StoreError ? error : new StoreError('other', path, `${path}: ${String(error)}`)};
				}
			}
		};
		const workers = Math.max(1, Math.min(paths.length, this.options.concurrency ?? WEBHDFS_LIST_CONCURRENCY));
		await Promise.all(Array.from({length: workers}, worker));
		return outcomes;
	}

	/** DELETE `path` with `recursive=false` (a non-empty directory is a `PathIsNotEmptyDirectoryException`). @throws WebHdfsRefusedError for `{"boolean": false}` */
	private async deleteOne(path: string, what: 'file' | 'directory'): Promise<void> {
		const answer = await this.json<{boolean: boolean}>('DELETE', path, this.url(this.hdfsPath(path), 'DELETE', {recursive: 'false'}));
		if (answer.boolean !== true) {
			const gone = (await this.stat(path)) === undefined;
			throw new WebHdfsRefusedError(
				gone ? 'not-found' : 'other',
				path,
				`${path}: DELETE of the ${what} answered false${gone ? ' (it no longer exists)' : ' (the namenode did not say why)'}`,
			);
		}
	}

	/**
	 * Delete the empty directory `path` (`recursive=false`: one that is not empty is refused by the
	 * namenode, `PathIsNotEmptyDirectoryException`). A path that is not a directory is an error.
	 * @throws StoreError, WebHdfsRefusedError for `{"boolean": false}`
	 */
	async deleteEmptyDirectory(path: string): Promise<void> {
		const entry = await this.stat(path);
		if (entry === undefined) throw new StoreError('not-found', path, `${path}: no longer exists`);
		if (entry.kind !== 'directory') throw new StoreError('other', path, `${path}: not a directory`);
		await this.deleteOne(path, 'directory');
	}
}

/** The user and delegation token from the environment: `HADOOP_USER_NAME`, `FCX_WEBHDFS_DELEGATION`. */
export function webHdfsAuthFromEnv(env: NodeJS.ProcessEnv = process.env): {user?: string; delegation?: string} {
	const out: {user?: string; delegation?: string} = {};
	if (env.HADOOP_USER_NAME !== undefined && env.HADOOP_USER_NAME !== '') out.user = env.HADOOP_USER_NAME;
	if (env.FCX_WEBHDFS_DELEGATION !== undefined && env.FCX_WEBHDFS_DELEGATION !== '') out.delegation = env.FCX_WEBHDFS_DELEGATION;
	return out;
}

/** A {@link WebHdfsStore} for `options.root` (no request is made until it is used). @throws Error for a root that is not HDFS. */
export function openWebHdfsStore(options: WebHdfsOptions): WebHdfsStore {
	return new WebHdfsStore(options);
}
