/**
 * The S3 store ({@link Store} over `@aws-sdk/client-s3`): S3 and S3-compatible stores (MinIO, Ceph,
 * OSS's S3 endpoint, s3rver). The SDK is imported when the first S3 store is made, so local use
 * does not load it.
 *
 * Configuration the standard way: credentials and region from the SDK's default chain
 * (environment, `AWS_PROFILE`, SSO, web identity, instance roles), the endpoint from `endpoint`,
 * else `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`. With a custom endpoint, path-style addressing
 * (MinIO and Ceph need it; `pathStyle` overrides) and checksums only when required (otherwise
 * some stores keep the `aws-chunked` framing in the object), and region `us-east-1` when none is
 * configured.
 *
 * Objects over 5 GiB are copied in parts by `s3-multipart-copy.ts`.
 */
import type {S3Client, ListObjectsV2CommandOutput, _Object} from '@aws-sdk/client-s3';
import {StoreError, type DeleteOutcome, type ListOptions, type PendingUpload, type Store, type StoreEntry, type StoreErrorCode} from './types.js';
import {parseS3Uri, s3Uri} from './uri.js';
import {copyMultipart, MAX_COPY_BYTES} from './s3-multipart-copy.js';

/** Options of {@link createS3Store}. */
export interface S3StoreOptions {
	/** Endpoint URL (`http://127.0.0.1:9000`); default from the environment or AWS. */
	endpoint?: string;
	/** Path-style addressing; default: on with a custom endpoint. */
	pathStyle?: boolean;
	/** Region; default from the SDK's chain, `us-east-1` with a custom endpoint when none is set. */
	region?: string;
	/** Explicit credentials (tests); default: the SDK's chain. */
	credentials?: {accessKeyId: string; secretAccessKey: string};
	/** Attempts of a throttled request (503 SlowDown) before it fails; default 8. */
	maxAttempts?: number;
	/** Delay before retry `attempt` (1, 2, …) in ms; default exponential from 100 ms, with jitter, at most 5 s. */
	backoffMs?: (attempt: number) => number;
	/** A client to use instead of making one (tests with a mock). */
	client?: S3Client;
}

/** The SDK's module. */
type Sdk = typeof import('@aws-sdk/client-s3');
let sdkModule: Promise<Sdk> | undefined;

/**
 * Load the SDK once. Bundled (`dist/fcx.js`), the package is its CommonJS build, whose exports an
 * `import()` gives as `default`.
 */
function loadSdk(): Promise<Sdk> {
	sdkModule ??= import('@aws-sdk/client-s3').then((m) => ('S3Client' in m ? m : (m as unknown as {default: Sdk}).default));
	return sdkModule;
}

/** The environment's endpoint for S3, as the SDK reads it (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`). */
export function environmentEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
	return env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
}

function defaultBackoff(attempt: number): number {
	return Math.min(5000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
}

/** The HTTP status and error name of an SDK error. */
function describe(error: unknown): {status: number | undefined; name: string; message: string} {
	const e = error as {name?: string; message?: string; Code?: string; $metadata?: {httpStatusCode?: number}};
	return {status: e?.$metadata?.httpStatusCode, name: e?.Code ?? e?.name ?? 'Error', message: e?.message ?? String(error)};
}

function isThrottled(error: unknown): boolean {
	const {status, name} = describe(error);
	return status === 503 || name === 'SlowDown' || name === 'Throttling' || name === 'ThrottlingException' || name === 'RequestLimitExceeded';
}

/** A {@link StoreError} for an SDK error about `path`. */
function storeError(error: unknown, path: string, throttled = false): StoreError {
	if (error instanceof StoreError) return error;
	const {status, name, message} = describe(error);
	let code: StoreErrorCode = 'other';
	if (throttled) code = 'throttled';
	else if (status === 404 || name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchBucket') code = 'not-found';
	else if (status === 403 || name === 'AccessDenied') code = 'permission-denied';
	else if (status === 501 || name === 'NotImplemented') code = 'not-implemented';
	const what =
		code === 'not-found'
			? name === 'NoSuchBucket'
				? 'no such bucket'
				: 'not found'
			: code === 'permission-denied'
				? 'access denied'
				: code === 'throttled'
					? 'still throttled (503 SlowDown) after retries'
					: `${name}${message && message !== name ? `: ${message}` : ''}`;
	return new StoreError(code, path, `${path}: ${what}`);
}

/**
 * Make an S3 store. Loads the SDK (a few hundred ms the first time).
 *
 * @throws Error when the SDK cannot be loaded.
 */
export async function createS3Store(options: S3StoreOptions = {}): Promise<S3Store> {
	if (options.client !== undefined) return new S3Store(options.client, options, options.endpoint ?? 'AWS');
	// The version is pinned on purpose (see the readme): the SDK's notice that later versions need
	// Node 22 would end up in every run's output.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	const sdk = await loadSdk();
	const endpoint = options.endpoint ?? environmentEndpoint();
	const custom = endpoint !== undefined;
	const client = new sdk.S3Client({
		...(options.endpoint === undefined ? {} : {endpoint: options.endpoint}),
		...(options.region !== undefined
			? {region: options.region}
			: custom && process.env.AWS_REGION === undefined && process.env.AWS_DEFAULT_REGION === undefined
				? {region: 'us-east-1'}
				: {}),
		forcePathStyle: options.pathStyle ?? custom,
		...(custom ? {requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED'} : {}),
		...(options.credentials === undefined ? {} : {credentials: options.credentials}),
	});
	return new S3Store(client, options, endpoint ?? 'AWS');
}

/** Keys per ListObjectsV2 page (the most S3 gives), and per DeleteObjects request (the most S3 takes). */
const PAGE_KEYS = 1000;

export {COPY_PART_BYTES, MAX_COPY_BYTES} from './s3-multipart-copy.js';

/** What a bucket does to deletes (see {@link S3Store.bucketProtection}). */
export interface BucketProtection {
	/** `enabled`/`suspended`: a delete without a version id adds a delete marker, nothing is freed. */
	versioning: 'enabled' | 'suspended' | 'off' | 'unknown';
	/** `enabled`: objects under a retention period or legal hold cannot be deleted. */
	objectLock: 'enabled' | 'off' | 'unknown';
}

/** An S3 bucket (or several) as a {@link Store}; paths are `s3://bucket/key`. Cleanup copies and deletes objects (no rename on S3). */
export class S3Store implements Store {
	readonly scheme = 's3';
	readonly description: string;
	private readonly maxAttempts: number;
	private readonly backoffMs: (attempt: number) => number;

	constructor(
		private readonly client: S3Client,
		options: S3StoreOptions,
		endpoint: string,
	) {
		this.description = `s3 via ${endpoint}`;
		this.maxAttempts = options.maxAttempts ?? 8;
		this.backoffMs = options.backoffMs ?? defaultBackoff;
	}

	/** Send a command, retrying throttled requests with backoff; errors become {@link StoreError}s about `path`. */
	private async send<T>(path: string, command: unknown): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return (await this.client.send(command as never)) as T;
			} catch (error) {
				if (!isThrottled(error)) throw storeError(error, path);
				if (attempt >= this.maxAttempts) throw storeError(error, path, true);
				await new Promise((resolve) => setTimeout(resolve, this.backoffMs(attempt)));
			}
		}
	}

	/**
	 * One level below `path` with `Delimiter: '/'` (directories are the common prefixes), or
	 * everything below it; pages are fetched one after the other.
	 */
	async *list(path: string, options: ListOptions = {}): AsyncIterable<readonly StoreEntry[]> {
		const {ListObjectsV2Command} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		const prefix = key === '' ? '' : `${key}/`;
		const recursive = options.recursive ?? true;
		let token: string | undefined;
		let listed = 0;
		do {
			const page = await this.send<ListObjectsV2CommandOutput>(
				path,
				new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, MaxKeys: PAGE_KEYS, ContinuationToken: token, ...(recursive ? {} : {Delimiter: '/'})}),
			);
			const batch: StoreEntry[] = [];
			for (const p of page.CommonPrefixes ?? []) {
				if (p.Prefix !== undefined) batch.push({path: s3Uri(bucket, p.Prefix), kind: 'directory', size: 0, mtimeMs: 0});
			}
			for (const o of page.Contents ?? []) {
				const entry = objectEntry(bucket, o);
				if (entry !== undefined && entry.path !== path) batch.push(entry);
			}
			listed += batch.length;
			if (batch.length > 0) yield batch;
			options.onProgress?.(listed);
			token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
		} while (token !== undefined);
	}

	async stat(path: string): Promise<StoreEntry | undefined> {
		const {HeadObjectCommand, ListObjectsV2Command} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		if (key !== '') {
			try {
				const head = await this.send<{ContentLength?: number; LastModified?: Date}>(path, new HeadObjectCommand({Bucket: bucket, Key: key}));
				return {path, kind: 'file', size: head.ContentLength ?? 0, mtimeMs: head.LastModified?.getTime() ?? 0};
			} catch (error) {
				if (!(error instanceof StoreError) || error.code !== 'not-found') throw error;
			}
		}
		const page = await this.send<ListObjectsV2CommandOutput>(path, new ListObjectsV2Command({Bucket: bucket, Prefix: key === '' ? '' : `${key}/`, MaxKeys: 1}));
		return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 || (page.CommonPrefixes?.length ?? 0) > 0 || key === ''
			? {path, kind: 'directory', size: 0, mtimeMs: 0}
			: undefined;
	}

	async read(path: string, options: {maxBytes: number}): Promise<Uint8Array> {
		const {GetObjectCommand} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		const object = await this.send<{Body?: {transformToByteArray(): Promise<Uint8Array>; destroy?: () => void}; ContentLength?: number}>(
			path,
			new GetObjectCommand({Bucket: bucket, Key: key}),
		);
		if ((object.ContentLength ?? 0) > options.maxBytes) {
			object.Body?.destroy?.();
			throw new StoreError('too-large', path, `${path}: ${object.ContentLength} bytes, more than the ${options.maxBytes} read at most`);
		}
		return (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
	}

	async readRange(path: string, start: number, length: number): Promise<Uint8Array> {
		if (length <= 0) return new Uint8Array(0);
		const {GetObjectCommand} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		const object = await this.send<{Body?: {transformToByteArray(): Promise<Uint8Array>}}>(
			path,
			new GetObjectCommand({Bucket: bucket, Key: key, Range: `bytes=${start}-${start + length - 1}`}),
		);
		const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array(0);
		return bytes.length > length ? bytes.subarray(0, length) : bytes;
	}

	/** Incomplete multipart uploads below `path` (ListMultipartUploads, paged); their sizes are not asked for. */
	async listPending(path: string): Promise<PendingUpload[]> {
		const {ListMultipartUploadsCommand} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		const out: PendingUpload[] = [];
		let keyMarker: string | undefined;
		let uploadIdMarker: string | undefined;
		for (;;) {
			const page = await this.send<{Uploads?: {Key?: string; Initiated?: Date}[]; IsTruncated?: boolean; NextKeyMarker?: string; NextUploadIdMarker?: string}>(
				path,
				new ListMultipartUploadsCommand({Bucket: bucket, Prefix: key === '' ? '' : `${key}/`, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker}),
			);
			for (const u of page.Uploads ?? []) if (u.Key !== undefined) out.push({path: s3Uri(bucket, u.Key), initiatedMs: u.Initiated?.getTime() ?? 0});
			if (page.IsTruncated !== true) return out;
			keyMarker = page.NextKeyMarker;
			uploadIdMarker = page.NextUploadIdMarker;
		}
	}

	/**
	 * Size and LastModified of the object at `path` (HeadObject; a path ending in `/` names a
	 * directory marker), `undefined` when there is none.
	 */
	async head(path: string): Promise<{size: number; mtimeMs: number} | undefined> {
		const {HeadObjectCommand} = await loadSdk();
		const {bucket, key} = objectKey(path);
		try {
			const head = await this.send<{ContentLength?: number; LastModified?: Date}>(path, new HeadObjectCommand({Bucket: bucket, Key: key}));
			return {size: head.ContentLength ?? 0, mtimeMs: head.LastModified?.getTime() ?? 0};
		} catch (error) {
			if (error instanceof StoreError && error.code === 'not-found') return undefined;
			throw error;
		}
	}

	/**
	 * Copy the object `from` to `to`: one CopyObject up to {@link MAX_COPY_BYTES}, a multipart copy
	 * above (`s3-multipart-copy.ts`). An existing `to` is an error.
	 */
	async copy(from: string, to: string): Promise<void> {
		const {CopyObjectCommand} = await loadSdk();
		const source = objectKey(from);
		const target = objectKey(to);
		const head = await this.head(from);
		if (head === undefined) throw new StoreError('not-found', from, `${from}: not found`);
		if ((await this.head(to)) !== undefined) throw new StoreError('other', to, `${to}: already exists (not overwritten)`);
		const copySource = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
		if (head.size > MAX_COPY_BYTES) {
			return copyMultipart((path, command) => this.send(path, command), await loadSdk(), {from, to, ...target, copySource, size: head.size});
		}
		await this.send(from, new CopyObjectCommand({Bucket: target.bucket, Key: target.key, CopySource: copySource}));
	}

	/**
	 * Delete objects (never prefixes; a path ending in `/` names a directory marker), with
	 * DeleteObjects in batches of 1,000 keys of one bucket (a key already gone counts as deleted);
	 * outcomes in the order of `paths`.
	 */
	async delete(paths: readonly string[]): Promise<DeleteOutcome[]> {
		const {DeleteObjectsCommand} = await loadSdk();
		const outcomes = new Map<string, DeleteOutcome>();
		const byBucket = new Map<string, string[]>();
		for (const p of paths) {
			const {bucket} = objectKey(p);
			byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), p]);
		}
		for (const [bucket, list] of byBucket) {
			for (let i = 0; i < list.length; i += PAGE_KEYS) {
				const batch = list.slice(i, i + PAGE_KEYS);
				try {
					const answer = await this.send<{Errors?: {Key?: string; Code?: string; Message?: string}[]}>(
						batch[0],
						new DeleteObjectsCommand({Bucket: bucket, Delete: {Objects: batch.map((p) => ({Key: objectKey(p).key})), Quiet: true}}),
					);
					const failed = new Map((answer.Errors ?? []).map((e) => [e.Key ?? '', e]));
					for (const p of batch) {
						const e = failed.get(objectKey(p).key);
						outcomes.set(p, e === undefined ? {path: p} : {path: p, error: storeError({name: e.Code, message: e.Message}, p)});
					}
				} catch (error) {
					for (const p of batch) outcomes.set(p, {path: p, error: storeError(error, p)});
				}
			}
		}
		return paths.map((p) => outcomes.get(p)!);
	}

	/**
	 * Whether deletes in `bucket` free anything and are allowed: its versioning status
	 * (GetBucketVersioning: a delete in a versioned bucket only adds a delete marker) and whether
	 * Object Lock is on (GetObjectLockConfiguration). `unknown` when the store does not say
	 * (s3rver, some S3-compatible stores: NotImplemented) or access is denied.
	 */
	async bucketProtection(bucket: string): Promise<BucketProtection> {
		const {GetBucketVersioningCommand, GetObjectLockConfigurationCommand} = await loadSdk();
		const path = s3Uri(bucket, '');
		let versioning: BucketProtection['versioning'];
		try {
			const answer = await this.send<{Status?: string}>(path, new GetBucketVersioningCommand({Bucket: bucket}));
			versioning = answer.Status === 'Enabled' ? 'enabled' : answer.Status === 'Suspended' ? 'suspended' : 'off';
		} catch (error) {
			if (!(error instanceof StoreError) || error.code === 'throttled') throw error;
			versioning = 'unknown';
		}
		let objectLock: BucketProtection['objectLock'];
		try {
			const answer = await this.send<{ObjectLockConfiguration?: {ObjectLockEnabled?: string}}>(path, new GetObjectLockConfigurationCommand({Bucket: bucket}));
			objectLock = answer.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled' ? 'enabled' : 'off';
		} catch (error) {
			if (!(error instanceof StoreError) || error.code === 'throttled') throw error;
			// S3 answers a bucket without a lock configuration with ObjectLockConfigurationNotFoundError (404).
			objectLock = error.code === 'not-found' || error.message.includes('ObjectLockConfigurationNotFound') ? 'off' : 'unknown';
		}
		return {versioning, objectLock};
	}

	async close(): Promise<void> {
		this.client.destroy();
	}
}

/** Bucket and key of an object's path; a path ending in `/` keeps it (a directory marker's key). */
export function objectKey(path: string): {bucket: string; key: string} {
	const {bucket, key} = parseS3Uri(path);
	return {bucket, key: path.endsWith('/') && key !== '' ? `${key}/` : key};
}

/**
 * The entry of a listed object: a key ending in `/` is a directory marker (zero bytes when made by
 * S3A or a console; one with bytes is unreachable as a path and is taken as a directory too).
 */
function objectEntry(bucket: string, o: _Object): StoreEntry | undefined {
	if (o.Key === undefined) return undefined;
	const size = o.Size ?? 0;
	const mtimeMs = o.LastModified?.getTime() ?? 0;
	if (o.Key.endsWith('/')) return {path: s3Uri(bucket, o.Key), kind: 'directory', size: 0, mtimeMs};
	return {path: s3Uri(bucket, o.Key), kind: 'file', size, mtimeMs};
}
