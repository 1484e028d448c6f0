/**
 * Telling a listing file's format from its first bytes, and reading it: `{…` with a `fileSchema`
 * is an S3 Inventory manifest, other JSON is `aws s3api list-objects-v2` output, and text is
 * `hdfs dfs -ls -R` or `aws s3 ls --recursive` output by the shape of its first line.
 */
import {open} from 'node:fs/promises';
import {isHdfsLsLine, readHdfsLs} from './hdfs-ls.js';
import {readS3ApiJson} from './s3api-json.js';
import {readInventoryManifest, readS3Inventory} from './s3-inventory.js';
import {isS3LsLine, readS3Ls} from './s3-ls.js';
import {ListingError, quoted, type ListingEntry, type ListingFormat, type ListingInfo, type ListingReadOptions} from './types.js';

/** Bytes read from the start of a listing file to tell its format. */
const SNIFF_BYTES = 64 * 1024;

/** A listing file opened: what it is, and its entries (each call of `entries` reads the file again). */
export interface OpenedListing {
	info: ListingInfo;
	entries(): AsyncGenerator<ListingEntry>;
}

async function head(file: string): Promise<Buffer> {
	let handle;
	try {
		handle = await open(file, 'r');
		const buffer = Buffer.alloc(SNIFF_BYTES);
		const {bytesRead} = await handle.read(buffer, 0, SNIFF_BYTES, 0);
		return buffer.subarray(0, bytesRead);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EACCES'
					? 'permission denied'
					: code === 'EISDIR'
						? 'a directory, not a listing file'
						: error instanceof Error
							? error.message
							: String(error);
		throw new ListingError(file, 0, reason);
	} finally {
		await handle?.close();
	}
}

/**
 * The format of listing `file`, from its first {@link SNIFF_BYTES} bytes.
 *
 * @throws ListingError naming the file (and line) when it is none of the formats.
 */
export async function detectListingFormat(file: string): Promise<ListingFormat> {
	const bytes = await head(file);
	if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
		throw new ListingError(
			file,
			0,
			'a gzip file: for an S3 Inventory give its manifest.json (which names its data files), for other listings decompress it first',
		);
	}
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	const start = text.trimStart();
	if (start === '') {
		throw new ListingError(
			file,
			0,
			'empty: no entry to tell its format from (hdfs dfs -ls -R, aws s3 ls --recursive, aws s3api list-objects-v2 JSON, or an S3 Inventory manifest.json)',
		);
	}
	if (start.startsWith('{') || start.startsWith('[')) return /"fileSchema"\s*:/.test(text) ? 's3-inventory' : 's3api-json';
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i].replace(/\r$/, '');
		if (line.trim() === '') continue;
		if (isHdfsLsLine(line)) return 'hdfs-ls';
		if (isS3LsLine(line)) return 's3-ls';
		throw new ListingError(
			file,
			i + 1,
			`not a listing fcx reads (hdfs dfs -ls -R, aws s3 ls --recursive, aws s3api list-objects-v2 JSON, or an S3 Inventory manifest.json): ${quoted(line)}`,
		);
	}
	throw new ListingError(file, 0, 'not a listing fcx reads');
}

/**
 * Open listing `file`: detect its format ({@link detectListingFormat}), read an inventory's
 * manifest (for its date), and give a reader of its entries.
 *
 * @throws ListingError for an unreadable file, an unknown format or a bad manifest.
 */
export async function openListing(file: string, options: ListingReadOptions = {}): Promise<OpenedListing> {
	const format = await detectListingFormat(file);
	switch (format) {
		case 'hdfs-ls':
			return {info: {file, format}, entries: () => readHdfsLs(file, options)};
		case 's3-ls':
			return {info: {file, format}, entries: () => readS3Ls(file, options)};
		case 's3api-json':
			return {info: {file, format}, entries: () => readS3ApiJson(file)};
		case 's3-inventory': {
			const manifest = await readInventoryManifest(file);
			return {info: {file, format, takenAtMs: manifest.creationMs}, entries: () => readS3Inventory(file, manifest)};
		}
	}
}
