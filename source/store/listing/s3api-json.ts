/**
 * `aws s3api list-objects-v2 --bucket b --prefix p --output json` output: `{"Contents": [{"Key",
 * "LastModified", "Size", …}, …]}`, ISO times with an offset, exact sizes. Read as a stream: a
 * small scanner follows the JSON's nesting and hands each element of a `Contents` array to
 * `JSON.parse` on its own, so memory holds one object at a time, not the whole document (a listing
 * of ten million objects is gigabytes of JSON). Several documents one after another (pages saved
 * one by one) are read too.
 */
import {createReadStream} from 'node:fs';
import {parseIsoTime} from './lines.js';
import {objectEntry} from './s3-ls.js';
import {ListingError, quoted, type ListingEntry} from './types.js';

/** An object of a `Contents` array larger than this (characters) is refused: no listing has one. */
const MAX_OBJECT_CHARS = 1 << 20;

/** A container the scanner is in: an object or array, and the key it is the value of (if any). */
interface Frame {
	array: boolean;
	key: string | undefined;
	/** In an object: the next string is a key. */
	expectingKey: boolean;
	/** In an object: the last key read. */
	lastKey: string | undefined;
}

/** Where the scanner is in the text, for error messages. */
interface Position {
	line: number;
}

/**
 * The JSON scanner's state across chunks: the open containers, the string being read, the text of
 * the `Contents` element being captured.
 */
class ContentsScanner {
	private readonly stack: Frame[] = [];
	private inString = false;
	private escaped = false;
	/** The raw text of the key being read, when the string is a key. */
	private keyText: string[] | undefined;
	/** The text of the captured `Contents` element, while in one. */
	private capture: string[] | undefined;
	private captureChars = 0;
	private captureDepth = 0;
	/** The CLI's pagination token at the top level: the listing is not complete. */
	truncated = false;
	readonly position: Position = {line: 1};

	constructor(private readonly file: string) {}

	/** Scan `chunk`; returns the `Contents` elements completed in it, parsed. */
	feed(chunk: string): unknown[] {
		const done: unknown[] = [];
		let captureFrom = this.capture === undefined ? -1 : 0;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk.charCodeAt(i);
			if (c === 10) this.position.line++;
			if (this.inString) {
				if (this.escaped) {
					this.escaped = false;
				} else if (c === 92) {
					this.escaped = true;
				} else if (c === 34) {
					this.inString = false;
					if (this.keyText !== undefined) this.endKey(chunk.slice(0, i));
					continue;
				}
				continue;
			}
			switch (c) {
				case 34: // "
					this.inString = true;
					this.startString(chunk, i);
					break;
				case 123: // {
				case 91: {
					// [
					const parent = this.stack.at(-1);
					if (c === 123 && this.capture === undefined && parent?.array === true && parent.key === 'Contents') {
						this.capture = [];
						this.captureChars = 0;
						this.captureDepth = this.stack.length + 1;
						captureFrom = i;
					}
					this.stack.push({
						array: c === 91,
						key: parent !== undefined && !parent.array ? parent.lastKey : undefined,
						expectingKey: c === 123,
						lastKey: undefined,
					});
					break;
				}
				case 125: // }
				case 93: {
					// ]
					const top = this.stack.pop();
					if (top === undefined || top.array !== (c === 93)) {
						throw new ListingError(
							this.file,
							this.position.line,
							`expected JSON (aws s3api list-objects-v2 --output json), got an unmatched ${quoted(String.fromCharCode(c))}`,
						);
					}
					if (this.capture !== undefined && this.stack.length === this.captureDepth - 1) {
						this.capture.push(chunk.slice(captureFrom, i + 1));
						done.push(this.parseCaptured());
						captureFrom = -1;
					}
					break;
				}
				case 58: {
					// :
					const top = this.stack.at(-1);
					if (top !== undefined && !top.array) top.expectingKey = false;
					break;
				}
				case 44: {
					// ,
					const top = this.stack.at(-1);
					if (top !== undefined && !top.array) top.expectingKey = true;
					break;
				}
			}
		}
		if (this.capture !== undefined && captureFrom >= 0) {
			const rest = chunk.slice(captureFrom);
			this.capture.push(rest);
			this.captureChars += rest.length;
			if (this.captureChars > MAX_OBJECT_CHARS) {
				throw new ListingError(this.file, this.position.line, `an element of "Contents" longer than ${MAX_OBJECT_CHARS} characters: not a listing`);
			}
		}
		if (this.keyText !== undefined && this.inString) this.keyText.push(chunk.slice(this.keyFrom));
		this.keyFrom = 0;
		return done;
	}

	private keyFrom = 0;

	private startString(chunk: string, at: number): void {
		const top = this.stack.at(-1);
		if (top !== undefined && !top.array && top.expectingKey && this.capture === undefined) {
			this.keyText = [];
			this.keyFrom = at + 1;
		}
	}

	private endKey(upToQuote: string): void {
		const parts = this.keyText ?? [];
		parts.push(upToQuote.slice(this.keyFrom));
		this.keyText = undefined;
		let key: string;
		try {
			key = JSON.parse(`"${parts.join('')}"`) as string;
		} catch {
			throw new ListingError(this.file, this.position.line, 'expected a JSON string as a key');
		}
		const top = this.stack.at(-1);
		if (top !== undefined) top.lastKey = key;
		if (this.stack.length === 1 && (key === 'NextToken' || key === 'NextContinuationToken')) this.truncated = true;
	}

	private parseCaptured(): unknown {
		const text = this.capture?.join('') ?? '';
		this.capture = undefined;
		try {
			return JSON.parse(text);
		} catch (error) {
			throw new ListingError(this.file, this.position.line, `expected a JSON object in "Contents": ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	/** After the last chunk: every container closed. */
	end(): void {
		if (this.stack.length > 0 || this.inString) {
			throw new ListingError(this.file, this.position.line, 'the JSON ends before its last object or array is closed: the listing was cut short');
		}
	}
}

/**
 * The objects of an `aws s3api list-objects-v2` JSON listing, streamed (see the module doc).
 *
 * @throws ListingError naming the file and line: bad JSON, an element of `Contents` without a
 * string `Key`, a number `Size` or an ISO `LastModified`, or a listing the CLI cut short
 * (`NextToken`: listed with `--max-items`).
 */
export async function* readS3ApiJson(file: string): AsyncGenerator<ListingEntry> {
	const scanner = new ContentsScanner(file);
	const stream = createReadStream(file, {encoding: 'utf8'});
	try {
		for await (const chunk of stream) {
			for (const object of scanner.feed(chunk as string)) yield contentsEntry(file, scanner.position.line, object);
		}
	} catch (error) {
		if (error instanceof ListingError) throw error;
		throw new ListingError(file, 0, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
	} finally {
		stream.destroy();
	}
	scanner.end();
	if (scanner.truncated) {
		throw new ListingError(file, 0, 'the listing has a NextToken: it holds only the first items (list without --max-items, or with --no-paginate removed)');
	}
}

function contentsEntry(file: string, line: number, object: unknown): ListingEntry {
	const o = object as {Key?: unknown; Size?: unknown; LastModified?: unknown};
	if (typeof o.Key !== 'string') throw new ListingError(file, line, 'expected "Key" (a string) in an element of "Contents"');
	if (typeof o.Size !== 'number' || !Number.isSafeInteger(o.Size) || o.Size < 0) {
		throw new ListingError(file, line, `expected "Size" (bytes) for ${quoted(o.Key)}`);
	}
	const mtimeMs = typeof o.LastModified === 'string' ? parseIsoTime(o.LastModified) : undefined;
	if (mtimeMs === undefined) throw new ListingError(file, line, `expected "LastModified" (an ISO time with offset) for ${quoted(o.Key)}`);
	return objectEntry(o.Key, o.Size, mtimeMs);
}
