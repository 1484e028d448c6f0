/**
 * Error thrown for any `_metadata` input that does not follow Flink's format: wrong magic, unknown
 * version or tag, truncation, impossible counts or lengths, trailing bytes.
 *
 * The message always names the file, the byte offset and what was expected, e.g.
 * `chk-7/_metadata: at byte 1234: expected a stream state handle tag (0, 1, 2, 3, 6, 15, 16), found 99`.
 */
export class ParseError extends Error {
	override readonly name = 'ParseError';
	/** File name as given to the reader (or `<bytes>`). */
	readonly fileName: string;
	/** Byte offset in the file where the problem was found. */
	readonly offset: number;
	/** What the reader expected at `offset`. */
	readonly expected: string;
	/** What it found instead, if known. */
	readonly found?: string;

	constructor(fileName: string, offset: number, expected: string, found?: string) {
		super(`${fileName}: at byte ${offset}: expected ${expected}${found === undefined ? '' : `, found ${found}`}`);
		this.fileName = fileName;
		this.offset = offset;
		this.expected = expected;
		this.found = found;
	}
}
