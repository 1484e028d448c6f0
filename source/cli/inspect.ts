/**
 * `fcx inspect <_metadata…>`: everything parsed from `_metadata` files (or the checkpoint and
 * savepoint directories holding them); for a damaged file, an approximate list of its path strings.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {APPROXIMATE_SCAN_LIMIT, APPROXIMATE_SCAN_MAX_BYTES} from '../analysis/index.js';
import {ParseError, readMetadataFile, readRegularFileBytes, scanPathStrings, type ApproximateReference} from '../metadata/index.js';
import type {ChannelStateLayout, ReadResult} from '../metadata/types.js';
import {approximateLines, EXIT_OK, EXIT_UNREADABLE, inspectJsonEnd, inspectJsonFileChunks, inspectJsonObjectChunk, inspectTextChunks} from '../report/index.js';
import {visibleLines, visibleMessage} from '../text/index.js';
import {METADATA_FILE} from '../tree/index.js';
import {UsageError} from './args.js';
import type {Flags} from './flags.js';
import {fsErrorText, ioOf, isFsError, writeChunks, type RunContext} from './io.js';
import {refuseRemote} from './options.js';

/**
 * `fcx inspect <_metadata…> [--json] [--channel-layout A|B]`.
 * @returns {@link EXIT_UNREADABLE} when a path is not a readable `_metadata` (the others are still printed)
 * @throws UsageError for a bad `--channel-layout`
 */
export async function inspect(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	refuseRemote('inspect', paths, flags);
	const layout = flags.channelLayout?.toUpperCase();
	if (layout !== undefined && layout !== 'A' && layout !== 'B') {
		throw new UsageError(`--channel-layout: expected A or B, got "${flags.channelLayout}"`);
	}
	let code = EXIT_OK;
	// With --json, each file's element of the array is written as soon as it is read, in chunks
	// with backpressure (a 16 MB file makes about 80 MB of JSON).
	let elements = 0;
	const writeElement = async (chunks: Iterable<string | Uint8Array>): Promise<void> => {
		await writeChunks(stdout, chunks);
		elements++;
	};
	for (const named of paths.map((p) => path.resolve(p))) {
		const file = await metadataFileOf(named);
		if (file === undefined) {
			stderr.write(
				visibleMessage(
					`fcx: ${named}: a directory without a ${METADATA_FILE} file; inspect takes _metadata files, or the checkpoint and savepoint directories that hold them`,
				),
			);
			code = EXIT_UNREADABLE;
			if (flags.json === true) await writeElement([inspectJsonObjectChunk(elements, {path: named, error: `a directory without a ${METADATA_FILE} file`})]);
			continue;
		}

		// The output is written outside the `try`: an error writing it is not the file's.
		let result: ReadResult;
		try {
			result = await readMetadataFile(file, {channelLayout: layout as ChannelStateLayout | undefined});
		} catch (error) {
			if (!(error instanceof ParseError) && !isFsError(error)) throw error;
			const message = error instanceof ParseError ? error.message : fsErrorText(file, error);
			stderr.write(visibleMessage(`fcx: ${message}`));
			code = EXIT_UNREADABLE;
			const approximate = error instanceof ParseError ? await approximateStrings(file, error) : undefined;
			const failure = {path: file, error: message, ...(approximate ? {approximate: {notAuthoritative: true, strings: approximate}} : {})};
			if (flags.json === true) await writeElement([inspectJsonObjectChunk(elements, failure)]);
			else if (approximate) stdout.write(visibleLines([file, ...approximateLines(approximate, '  ')]));
			continue;
		}
		if (flags.json === true) await writeElement(inspectJsonFileChunks(elements, file, result));
		else await writeChunks(stdout, inspectTextChunks(file, result));
	}
	if (flags.json === true) await writeChunks(stdout, [inspectJsonEnd(elements)]);
	return code;
}

/**
 * The `_metadata` file `named` stands for: itself, or for a directory (a checkpoint or savepoint
 * directory) the `_metadata` in it; `undefined` for a directory without one. A path that cannot
 * be `stat`ed is returned as it is (reading it says why).
 */
async function metadataFileOf(named: string): Promise<string | undefined> {
	const isDirectory = await stat(named).then(
		(st) => st.isDirectory(),
		() => false,
	);
	if (!isDirectory) return named;
	const inside = path.join(named, METADATA_FILE);
	return (await stat(inside).then(
		(st) => !st.isDirectory(),
		() => false,
	))
		? inside
		: undefined;
}

/**
 * For a file with Flink's magic that still failed to parse (damaged, or an unknown version): the
 * path-like strings in its bytes, as an approximate, non-authoritative hint. `undefined` for files
 * that are not Flink metadata at all, or too big to scan.
 */
async function approximateStrings(file: string, error: ParseError): Promise<ApproximateReference[] | undefined> {
	if (error.offset < 4) return undefined;
	// Non-blocking, regular files only, capped (readFile would hang on a FIFO swapped in meanwhile).
	const bytes = await readRegularFileBytes(file, APPROXIMATE_SCAN_MAX_BYTES).catch(() => undefined);
	return bytes === undefined ? undefined : scanPathStrings(bytes, {limit: APPROXIMATE_SCAN_LIMIT});
}
