/**
 * Roots and paths of remote stores as URIs: which command-line paths name a remote root, and their
 * one spelling. `s3`, `s3a`, `s3n` and `s3p` are one store (as Flink and Iceberg treat them): all
 * become `s3://bucket/key`, without trailing slash and with duplicate slashes collapsed.
 */

/** The schemes of S3 and its Hadoop/Presto aliases. */
const S3_SCHEMES = new Set(['s3', 's3a', 's3n', 's3p']);
/** The schemes of HDFS roots (read through WebHDFS): the RPC URI Flink writes, and WebHDFS's own. */
const HDFS_SCHEMES = new Set(['hdfs', 'webhdfs', 'swebhdfs']);

const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/;

/** Whether `path` names a root on a remote store this build can read: S3 (and its aliases) or HDFS. */
export function isRemoteRoot(path: string): boolean {
	const scheme = schemeOf(path);
	return scheme !== undefined && (S3_SCHEMES.has(scheme) || HDFS_SCHEMES.has(scheme));
}

/** The store kind of a remote path: `s3` (any alias), `hdfs` (`hdfs`, `webhdfs`, `swebhdfs`), or `undefined`. */
export function storeKindOf(path: string): 's3' | 'hdfs' | undefined {
	const scheme = schemeOf(path);
	if (scheme === undefined) return undefined;
	return S3_SCHEMES.has(scheme) ? 's3' : HDFS_SCHEMES.has(scheme) ? 'hdfs' : undefined;
}

/** `scheme://authority` of a URI in its one spelling (`hdfs://nn:8020/a` → `hdfs://nn:8020`), or `undefined`. */
export function uriPrefixOf(path: string): string | undefined {
	const m = SCHEME_RE.exec(normaliseStoreUri(path));
	return m === null ? undefined : `${m[1]}://${m[2]}`;
}

function schemeOf(path: string): string | undefined {
	return SCHEME_RE.exec(path)?.[1].toLowerCase();
}

/**
 * The one spelling of a remote path: scheme lower-cased (`s3a`/`s3n`/`s3p` → `s3`), duplicate
 * slashes collapsed, no trailing slash (`s3a://b/x//y/` → `s3://b/x/y`). Anything that is not a
 * `scheme://…` URI is returned unchanged.
 */
export function normaliseStoreUri(path: string): string {
	const m = SCHEME_RE.exec(path);
	if (m === null) return path;
	let scheme = m[1].toLowerCase();
	if (S3_SCHEMES.has(scheme)) scheme = 's3';
	const rest = m[3].replace(/\/{2,}/g, '/').replace(/\/+$/, '');
	return `${scheme}://${m[2]}${rest}`;
}

/** Bucket and key of an S3 URI (`s3://b/x/y` → `{bucket: 'b', key: 'x/y'}`). */
export interface S3Location {
	bucket: string;
	/** The object key or prefix, without leading or trailing slash ('' for the bucket itself). */
	key: string;
}

/**
 * Bucket and key of an S3 path (any alias).
 *
 * @throws Error naming the path when it is not an `s3://bucket/…` URI or has no bucket.
 */
export function parseS3Uri(path: string): S3Location {
	const m = SCHEME_RE.exec(normaliseStoreUri(path));
	if (m === null || m[1] !== 's3' || m[2] === '') throw new Error(`${path}: not an S3 URI (expected s3://bucket/prefix)`);
	return {bucket: m[2], key: m[3].replace(/^\/+/, '')};
}

/** The S3 URI of `key` in `bucket` (a key ending in `/`, a directory marker, loses it). */
export function s3Uri(bucket: string, key: string): string {
	return normaliseStoreUri(`s3://${bucket}/${key}`);
}

/** Where the remote roots are read from, for {@link describeStores}. */
export interface StoreSources {
	/** S3 endpoint (`--endpoint`, else `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`); AWS when absent. */
	endpoint?: string;
	/** WebHDFS HTTP address (`--webhdfs`); the namenode's own when absent. */
	webhdfs?: string;
	/** Offline listing files (`--listing`): the roots are read from these, not from the store. */
	listings?: readonly string[];
}

/**
 * One line for people naming the stores `paths` are on (`s3://bucket via http://127.0.0.1:9000`,
 * `hdfs://nn:8020`, `listing hdfs-ls.txt`), `;`-separated; `undefined` when every path is local.
 */
export function describeStores(paths: readonly string[], sources: StoreSources = {}): string | undefined {
	const remote = paths.filter(isRemoteRoot);
	if (remote.length === 0) return undefined;
	const listings = sources.listings ?? [];
	if (listings.length > 0) return `listing ${listings.join(', ')}`;
	const parts: string[] = [];
	const s3 = [...new Set(remote.filter((p) => storeKindOf(p) === 's3').map(uriPrefixOf))];
	if (s3.length > 0) parts.push(`${s3.join(', ')}${sources.endpoint === undefined ? '' : ` via ${sources.endpoint}`}`);
	const hdfs = [...new Set(remote.filter((p) => storeKindOf(p) === 'hdfs').map(uriPrefixOf))];
	if (hdfs.length > 0) parts.push(`${hdfs.join(', ')}${sources.webhdfs === undefined ? '' : ` via ${sources.webhdfs}`}`);
	return parts.join('; ');
}
