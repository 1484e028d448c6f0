/**
 * S3 Inventory: a `manifest.json` (`sourceBucket`, `creationTimestamp`, `fileFormat`,
 * `fileSchema`, `files: [{key, size}]`) naming gzip CSV files without a header row, columns as
 * `fileSchema` lists them (`Bucket, Key, Size, LastModifiedDate`, with all versions also
 * `VersionId, IsLatest, IsDeleteMarker`). Keys are URL-encoded. Only CSV is read (Parquet and ORC
 * inventories are refused with a line saying so). The data files are looked for next to the
 * manifest as `aws s3 sync` of the inventory's destination lays them out: `<manifest dir>/`,
 * `<manifest dir>/data/`, `<manifest dir>/../data/` (the inventory's own layout).
 */
import {readFile, stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {parseIsoTime, readLines} from './lines.js';
import {objectEntry} from './s3-ls.js';
import {ListingError, quoted, type ListingEntry} from './types.js';

/** What `fcx` reads of an inventory's `manifest.json`. */
export interface InventoryManifest {
	sourceBucket: string;
	/** When the inventory was taken, epoch ms. */
	creationMs: number;
	/** Column names, in order. */
	columns: string[];
	/** The data files' keys in the destination bucket. */
	fileKeys: string[];
}

/** Read and check `manifest.json`. @throws ListingError naming the field that is missing or wrong. */
export async function readInventoryManifest(file: string): Promise<InventoryManifest> {
	let json: Record<string, unknown>;
	try {
		json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
	} catch (error) {
		throw new ListingError(file, 0, `expected an S3 Inventory manifest.json: ${error instanceof Error ? error.message : String(error)}`);
	}
	const field = (name: string): string => {
		const value = json[name];
		if (typeof value !== 'string' || value === '') throw new ListingError(file, 0, `expected "${name}" (a string) in the S3 Inventory manifest`);
		return value;
	};
	const format = field('fileFormat');
	if (format !== 'CSV') {
		throw new ListingError(
			file,
			0,
			`the inventory's fileFormat is ${quoted(format)}: only CSV inventories are read (configure the inventory as CSV, or list with 'aws s3api list-objects-v2')`,
		);
	}
	const creationMs = Number(field('creationTimestamp'));
	if (!Number.isSafeInteger(creationMs)) throw new ListingError(file, 0, 'expected "creationTimestamp" (epoch ms) in the S3 Inventory manifest');
	const columns = field('fileSchema')
		.split(',')
		.map((c) => c.trim());
	for (const needed of ['Key', 'Size', 'LastModifiedDate']) {
		if (!columns.includes(needed)) {
			throw new ListingError(file, 0, `the inventory's fileSchema has no ${needed} column (add it to the inventory's optional fields)`);
		}
	}
	const files = json.files;
	if (!Array.isArray(files) || files.some((f) => typeof (f as {key?: unknown})?.key !== 'string')) {
		throw new ListingError(file, 0, 'expected "files" (a list of {key}) in the S3 Inventory manifest');
	}
	return {sourceBucket: field('sourceBucket'), creationMs, columns, fileKeys: files.map((f) => (f as {key: string}).key)};
}

/** Where a data file named by the manifest is on this machine. @throws ListingError saying where it was looked for. */
async function locateDataFile(manifestFile: string, key: string): Promise<string> {
	const dir = nodePath.dirname(manifestFile);
	const name = key.slice(key.lastIndexOf('/') + 1);
	const candidates = [nodePath.join(dir, name), nodePath.join(dir, 'data', name), nodePath.join(dir, '..', 'data', name)];
	for (const candidate of candidates) {
		const st = await stat(candidate).catch(() => undefined);
		if (st?.isFile() === true) return candidate;
	}
	throw new ListingError(
		manifestFile,
		0,
		`the data file ${quoted(key)} it names is not at ${candidates.join(', ')} (download the inventory's data/ next to the manifest's directory)`,
	);
}

/** Split one CSV line (fields in `"…"` with `""` for a quote, or bare); `undefined` when a quote is not closed. */
export function splitCsvLine(line: string): string[] | undefined {
	const fields: string[] = [];
	let i = 0;
	while (true) {
		if (line.charCodeAt(i) === 34) {
			let value = '';
			let j = i + 1;
			while (true) {
				const q = line.indexOf('"', j);
				if (q < 0) return undefined;
				value += line.slice(j, q);
				if (line.charCodeAt(q + 1) === 34) {
					value += '"';
					j = q + 2;
				} else {
					i = q + 1;
					break;
				}
			}
			fields.push(value);
		} else {
			const comma = line.indexOf(',', i);
			fields.push(line.slice(i, comma < 0 ? line.length : comma));
			i = comma < 0 ? line.length : comma;
		}
		if (i >= line.length) return fields;
		if (line.charCodeAt(i) !== 44) return undefined;
		i++;
	}
}

/** An inventory key decoded (URL-encoded, `+` for a space). */
export function decodeInventoryKey(key: string): string | undefined {
	try {
		return decodeURIComponent(key.replace(/\+/g, ' '));
	} catch {
		return undefined;
	}
}

/**
 * The objects of an S3 Inventory, streamed file by file, line by line. With all versions listed
 * (`IsLatest` in the schema), only the latest version of each key is kept, and not when it is a
 * delete marker (the key is gone).
 *
 * @throws ListingError naming the manifest or the data file and line.
 */
export async function* readS3Inventory(manifestFile: string, manifest?: InventoryManifest): AsyncGenerator<ListingEntry> {
	const m = manifest ?? (await readInventoryManifest(manifestFile));
	const col = (name: string): number => m.columns.indexOf(name);
	const [bucketAt, keyAt, sizeAt, timeAt, latestAt, markerAt] = [
		col('Bucket'),
		col('Key'),
		col('Size'),
		col('LastModifiedDate'),
		col('IsLatest'),
		col('IsDeleteMarker'),
	];
	for (const fileKey of m.fileKeys) {
		const dataFile = await locateDataFile(manifestFile, fileKey);
		for await (const {text, line} of readLines(dataFile, {gzip: true})) {
			if (text === '') continue;
			const fields = splitCsvLine(text);
			const bad = (what: string): ListingError => new ListingError(dataFile, line, `expected ${what} (columns ${m.columns.join(', ')}), got ${quoted(text)}`);
			if (fields === undefined || fields.length < m.columns.length) throw bad('a CSV row');
			if (latestAt >= 0 && fields[latestAt] !== 'true') continue;
			if (markerAt >= 0 && fields[markerAt] === 'true') continue;
			const key = decodeInventoryKey(fields[keyAt]);
			if (key === undefined || key === '') throw bad('a URL-encoded Key');
			const size = Number(fields[sizeAt]);
			if (fields[sizeAt] === '' || !Number.isSafeInteger(size) || size < 0) throw bad('a Size in bytes');
			const mtimeMs = parseIsoTime(fields[timeAt]);
			if (mtimeMs === undefined) throw bad('a LastModifiedDate (ISO time)');
			yield objectEntry(key, size, mtimeMs, bucketAt >= 0 ? fields[bucketAt] : m.sourceBucket);
		}
	}
}
