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
 */
import type {S3Client, ListObjectsV2CommandOutput, _Object} from '@aws-sdk/client-s3';
import {StoreError, type ListOptions, type PendingUpload, type Store, type StoreEntry, type StoreErrorCode} from './types.js';
import {parseS3Uri, s3Uri} from './uri.js';

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

/** The environment's endpoint for S3, as the SDK reads it. */
function environmentEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
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
	const what = code === 'not-found' ? (name === 'NoSuchBucket' ? 'no such bucket' : 'not found') : code === 'permission-denied' ? 'access denied' : code === 'throttled' ? 'still throttled (503 SlowDown) after retries' : `${name}${message && message !== name ? `: ${message}` : ''}`;
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
		...(options.region !== undefined ? {region: options.region} : custom && process.env.AWS_REGION === undefined && process.env.AWS_DEFAULT_REGION === undefined ? {region: 'us-east-1'} : {}),
		forcePathStyle: options.pathStyle ?? custom,
		...(custom ? {requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED'} : {}),
		...(options.credentials === undefined ? {} : {credentials: options.credentials}),
	});
	return new S3Store(client, options, endpoint ?? 'AWS');
}

/** Keys per ListObjectsV2 page (the most S3 gives). */
const PAGE_KEYS = 1000;

/** An S3 bucket (or several) as a {@link Store}; paths are `s3://bucket/key`. Read only for now. */
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
			for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) batch.push({path: s3Uri(bucket, p.Prefix), kind: 'directory', size: 0, mtimeMs: 0});
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
		return (page.KeyCount ?? page.Contents?.length ?? 0) > 0 || (page.CommonPrefixes?.length ?? 0) > 0 || key === '' ? {path, kind: 'directory', size: 0, mtimeMs: 0} : undefined;
	}

	async read(path: string, options: {maxBytes: number}): Promise<Uint8Array> {
		const {GetObjectCommand} = await loadSdk();
		const {bucket, key} = parseS3Uri(path);
		const object = await this.send<{Body?: {transformToByteArray(): Promise<Uint8Array>; destroy?: () => void}; ContentLength?: number}>(path, new GetObjectCommand({Bucket: bucket, Key: key}));
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
		const object = await this.send<{Body?: {transformToByteArray(): Promise<Uint8Array>}}>(path, new GetObjectCommand({Bucket: bucket, Key: key, Range: `bytes=${start}-${start + length - 1}`}));
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

	async close(): Promise<void> {
		this.client.destroy();
	}
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
