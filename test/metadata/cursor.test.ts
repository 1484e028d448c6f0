import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ByteReader} from '../../source/metadata/cursor.js';
import {ByteWriter} from '../../source/metadata/byte-writer.js';

/**
 * `ByteReader.utf` slices long ASCII strings from latin1 strings of 32 KiB chunks of the input, or
 * of the whole input above 1 MiB, and copies a string across a chunk boundary on its own: every
 * way must give the string that was written, at any offset of any size of input.
 */
describe('ByteReader.utf reads back what ByteWriter.utf wrote', () => {
	/** Strings of 0–300 characters: ASCII (short and long, the sliced path) and non-ASCII (decoded). */
	const text = fc.oneof(
		fc.string({unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789/._-:'), minLength: 20, maxLength: 300}),
		fc.string({unit: 'binary', maxLength: 300}),
	);

	/** Write `padding` zero bytes, then `strings`; read them back from a reader at `padding`. */
	const roundTrip = (padding: number, strings: string[], offsetInBuffer: number): void => {
		const w = new ByteWriter();
		w.raw(new Uint8Array(padding));
		for (const s of strings) w.utf(s);
		const written = w.toBytes();
		// The bytes a view at an odd offset of a bigger buffer (as `MetadataFileReader`'s reused one).
		const buffer = new Uint8Array(written.length + offsetInBuffer + 7);
		buffer.set(written, offsetInBuffer);
		const bytes = buffer.subarray(offsetInBuffer, offsetInBuffer + written.length);
		const r = new ByteReader(bytes, 'strings', padding);
		expect(strings.map(() => r.utf())).toEqual(strings);
		expect(r.remaining).toBe(0);
	};

	it('inputs under 1 MiB: strings around the 32 KiB chunk boundaries', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.nat(8), fc.integer({min: 32 * 1024 - 400, max: 32 * 1024}), fc.integer({min: 64 * 1024 - 400, max: 64 * 1024})),
				fc.array(text, {maxLength: 40}),
				fc.nat(7),
				(padding, strings, offsetInBuffer) => {
					roundTrip(padding, strings, offsetInBuffer);
				},
			),
			{numRuns: 200},
		);
	});

	it('inputs over 1 MiB (one latin1 string)', () => {
		fc.assert(
			fc.property(fc.array(text, {minLength: 1, maxLength: 20}), fc.nat(7), (strings, offsetInBuffer) => {
				roundTrip(1024 * 1024 + 1, strings, offsetInBuffer);
			}),
			{numRuns: 20},
		);
	});

	it('a string across a chunk boundary, and the strings after it in the next chunk', () => {
		const long = 'x'.repeat(200);
		roundTrip(32 * 1024 - 100, [long, `${long}/a`, 'short', long], 3);
	});
});
