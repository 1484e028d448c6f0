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
