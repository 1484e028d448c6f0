/**
 * Test helpers: the files and directories of a local tree, and the listings the real tools would
 * print for it once it is uploaded (`hdfs dfs -ls -R`, `aws s3 ls --recursive`, `aws s3api
 * list-objects-v2`, an S3 Inventory), written the way those tools write them.
 */
import {mkdirSync, readdirSync, lstatSync, writeFileSync} from 'node:fs';
import * as nodePath from 'node:path';
import {gzipSync} from 'node:zlib';

/** A file or directory of a local tree, by its path relative to the tree ('/'-separated). */
export interface LocalEntry {
	rel: string;
	kind: 'file' | 'directory';
	size: number;
	mtimeMs: number;
}

/** Every file and directory below `dir` (not `dir` itself), sorted by path. */
export function walkLocal(dir: string): LocalEntry[] {
	const out: LocalEntry[] = [];
	const walk = (abs: string, rel: string): void => {
		for (const name of readdirSync(abs).sort()) {
			const st = lstatSync(nodePath.join(abs, name));
			const r = rel === '' ? name : `${rel}/${name}`;
			if (st.isDirectory()) {
				out.push({rel: r, kind: 'directory', size: 0, mtimeMs: Math.trunc(st.mtimeMs)});
				walk(nodePath.join(abs, name), r);
			} else if (st.isFile()) {
				out.push({rel: r, kind: 'file', size: st.size, mtimeMs: Math.trunc(st.mtimeMs)});
			}
		}
	};
	walk(dir, '');
	return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-MM-dd HH:mm` (`seconds`: `:ss`) in UTC. */
export function utcText(ms: number, seconds: boolean): string {
	const d = new Date(ms);
	const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
	return seconds ? `${text}:${pad(d.getUTCSeconds())}` : text;
}

/** `hdfs dfs -ls -R <base>` output of `entries` below HDFS directory `base` (an absolute path or URI). */
export function hdfsLsText(entries: readonly LocalEntry[], base: string): string {
	return (
		entries
			.map((e) => {
				const perm = e.kind === 'directory' ? 'drwxr-xr-x ' : '-rw-r--r--+';
				const repl = e.kind === 'directory' ? '  -' : '  3';
				return `${perm}${repl} flink hadoop ${String(e.size).padStart(10)} ${utcText(e.mtimeMs, false)} ${base}/${e.rel}`;
			})
			.join('\n') + '\n'
	);
}

/** The objects of `entries` uploaded below `prefix` (no trailing slash): files, and markers for `markers` directories. */
function objects(entries: readonly LocalEntry[], prefix: string, markers = false): {key: string; size: number; mtimeMs: number}[] {
	return entries
		.filter((e) => e.kind === 'file' || markers)
		.map((e) => ({key: `${prefix}/${e.rel}${e.kind === 'directory' ? '/' : ''}`, size: e.size, mtimeMs: e.mtimeMs}));
}

/** `aws s3 ls --recursive s3://b/<prefix>/` output (TZ=UTC), with directory markers when `markers`. */
export function s3LsText(entries: readonly LocalEntry[], prefix: string, markers = false): string {
	return (
		objects(entries, prefix, markers)
			.map((o) => `${utcText(o.mtimeMs, true)} ${String(o.size).padStart(10)} ${o.key}`)
			.join('\n') + '\n'
	);
}

/** `aws s3api list-objects-v2 --output json` output (indented as the CLI does). */
export function s3ApiJsonText(entries: readonly LocalEntry[], prefix: string, markers = false): string {
	const contents = objects(entries, prefix, markers).map((o) => ({
		Key: o.key,
		LastModified: new Date(Math.floor(o.mtimeMs / 1000) * 1000).toISOString().replace('.000Z', '+00:00'),
		ETag: '"0"',
		Size: o.size,
		StorageClass: 'STANDARD',
	}));
	return JSON.stringify({Contents: contents, RequestCharged: null}, null, 4) + '\n';
}

/** An inventory key as S3 writes it: URL-encoded, a space as `+`. */
function inventoryKey(key: string): string {
	return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/**
 * An S3 Inventory of `entries` below `prefix` in `bucket`, written to `dir` the way `aws s3 sync`
 * of the destination lays it out (`<dir>/<date>/manifest.json`, `<dir>/data/<uuid>.csv.gz`, rows
 * split over two data files). With `allVersions`, each file also has an older version and one
 * deleted key has a delete marker as latest. Returns the manifest's path.
 */
export function writeInventory(
	dir: string,
	entries: readonly LocalEntry[],
	bucket: string,
	prefix: string,
	options: {allVersions?: boolean; creationMs?: number; deletedKey?: string} = {},
): string {
	const all = options.allVersions === true;
	const rows: string[][] = [];
	const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
	for (const o of objects(entries, prefix)) {
		const time = new Date(Math.floor(o.mtimeMs / 1000) * 1000).toISOString(); // S3 keeps whole seconds
		if (all) {
			rows.push([bucket, inventoryKey(o.key), 'v-old', 'false', 'false', String(o.size + 7), '2020-01-01T00:00:00.000Z']);
			rows.push([bucket, inventoryKey(o.key), 'v-new', 'true', 'false', String(o.size), time]);
		} else {
			rows.push([bucket, inventoryKey(o.key), String(o.size), time]);
		}
	}
	if (all && options.deletedKey !== undefined) {
		rows.push([bucket, inventoryKey(options.deletedKey), 'v-1', 'false', 'false', '10', '2020-01-01T00:00:00.000Z']);
		rows.push([bucket, inventoryKey(options.deletedKey), 'v-2', 'true', 'true', '', '2020-01-02T00:00:00.000Z']);
	}
	const schema = all ? 'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate' : 'Bucket, Key, Size, LastModifiedDate';
	mkdirSync(nodePath.join(dir, 'data'), {recursive: true});
	mkdirSync(nodePath.join(dir, '2026-12-06T01-00Z'), {recursive: true});
	const half = Math.ceil(rows.length / 2);
	const files = [rows.slice(0, half), rows.slice(half)].map((part, i) => {
		const name = `data/0000000${i}-uuid.csv.gz`;
		const bytes = gzipSync(part.map((r) => r.map(q).join(',')).join('\n') + '\n');
		writeFileSync(nodePath.join(dir, name), bytes);
		return {key: `inventory/${bucket}/config/${name}`, size: bytes.length, MD5checksum: '0'};
	});
	const manifest = {
		sourceBucket: bucket,
		destinationBucket: 'arn:aws:s3:::inventory-dest',
		version: '2016-11-30',
		creationTimestamp: String(options.creationMs ?? Date.parse('2026-12-06T01:00:00Z')),
		fileFormat: 'CSV',
		fileSchema: schema,
		files,
	};
	const manifestFile = nodePath.join(dir, '2026-12-06T01-00Z', 'manifest.json');
	writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	return manifestFile;
}
