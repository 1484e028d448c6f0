import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {corpusDir} from '../support/corpus.js';
import {ByteReader} from '../../source/metadata/cursor.js';
import {ParseError} from '../../source/metadata/errors.js';
import {savepointProperties} from '../../source/metadata/properties.js';
import {describeProperties, readPropertiesTrailer, writePropertiesTrailer} from '../../source/metadata/properties-trailer.js';
import type {CheckpointProperties, PropertiesTrailer, SnapshotType} from '../../source/metadata/types.js';

const corpus = corpusDir;
const MAGIC = [0xac, 0xed, 0x00, 0x05];

function hex(bytes: Uint8Array): string {
	return Buffer.from(bytes).toString('hex');
}

/** Offset of the last `AC ED 00 05` in `bytes`, or -1. */
function lastMagic(bytes: Uint8Array): number {
	for (let i = bytes.length - 4; i >= 0; i--) {
		if (bytes[i] === 0xac && bytes[i + 1] === 0xed && bytes[i + 2] === 0x00 && bytes[i + 3] === 0x05) return i;
	}
	return -1;
}

/** The ParseError reading a trailer from `bytes` gives (fails the test when it decodes). */
function decodeError(bytes: Uint8Array): ParseError {
	try {
		readPropertiesTrailer(new ByteReader(bytes));
	} catch (error) {
		expect(error).toBeInstanceOf(ParseError);
		return error as ParseError;
	}
	throw new Error('decoded, expected a ParseError');
}

function decode(bytes: Uint8Array): {trailer: PropertiesTrailer; end: number} {
	const reader = new ByteReader(bytes);
	const trailer = readPropertiesTrailer(reader);
	return {trailer, end: reader.offset};
}

/** The v4+ files of the shared corpus (MANIFEST.tsv column first_8_bytes_hex). */
function realTrailerFiles(): {file: string; version: number}[] {
	const lines = readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
	const header = lines[0].split('\t');
	const pathCol = header.indexOf('path');
	const magicCol = header.indexOf('first_8_bytes_hex');
	return lines
		.slice(1)
		.map((line) => line.split('\t'))
		.map((cols) => ({file: cols[pathCol], version: Number.parseInt(cols[magicCol].slice(8), 16)}))
		.filter((f) => f.version >= 4);
}

const haveCorpus = existsSync(path.join(corpus, 'MANIFEST.tsv'));
if (!haveCorpus) console.log(`java-serialization: real-file tests skipped, ${corpus} is absent`);

describe.skipIf(!haveCorpus)('real v4+ _metadata trailers', () => {
	it('decode, end exactly at EOF and re-encode from the properties alone to identical bytes', () => {
		const files = realTrailerFiles();
		expect(files.length).toBeGreaterThan(0);
		let decoded = 0;
		let identical = 0;
		const counts = new Map<string, number>();
		const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
		const failures: string[] = [];
		for (const {file} of files) {
			const bytes = new Uint8Array(readFileSync(path.join(corpus, file)));
			const start = lastMagic(bytes);
			if (start < 0) {
				failures.push(`${file}: no AC ED 00 05`);
				continue;
			}
			const reader = new ByteReader(bytes, file, start);
			const trailer = readPropertiesTrailer(reader);
			if (reader.offset !== bytes.length) {
				failures.push(`${file}: ended at ${reader.offset} of ${bytes.length}`);
				continue;
			}
			decoded++;
			expect(hex(trailer.raw!)).toBe(hex(bytes.subarray(start)));
			expect(hex(writePropertiesTrailer(trailer))).toBe(hex(bytes.subarray(start)));
			const again = writePropertiesTrailer({properties: trailer.properties});
			if (hex(again) === hex(trailer.raw!)) identical++;
			else failures.push(`${file}: re-encoded bytes differ`);
			const p = trailer.properties;
			if (p === null) {
				bump('TC_NULL');
				continue;
			}
			bump(`unclaimed ${p.unclaimed === undefined ? 'absent' : 'present'}`);
			const t = p.checkpointType;
			if (t === null) bump('checkpointType null');
			else if (t.kind === 'checkpoint') bump(`checkpoint ${t.name} / ${t.sharingFilesStrategy}`);
			else bump(`savepoint ${t.name} / ${t.formatType} / ${t.postCheckpointAction}`);
			bump(`summary: ${describeProperties(p)}`);
		}
		const summary = [...counts]
			.sort()
			.map(([k, n]) => `  ${n}\t${k}`)
			.join('\n');
		console.log(`java-serialization: ${decoded}/${files.length} trailers decoded, ${identical} re-encoded identically\n${summary}`);
		expect(failures).toEqual([]);
		expect(decoded).toBe(files.length);
		expect(identical).toBe(files.length);
	});
});

const arbSnapshotType: fc.Arbitrary<SnapshotType | null> = fc.oneof(
	fc.constant(null),
	fc.record({
		kind: fc.constant('checkpoint' as const),
		name: fc.oneof(fc.constantFrom('Checkpoint', 'Full Checkpoint'), fc.string({unit: 'binary'})),
		// Enum constants: only Flink's (another name is refused, as Java's Enum.valueOf refuses it).
		sharingFilesStrategy: fc.constantFrom('FORWARD_BACKWARD', 'FORWARD', 'NO_SHARING'),
	}),
	fc.record({
		kind: fc.constant('savepoint' as const),
		name: fc.oneof(fc.constantFrom('Savepoint', 'Suspend Savepoint', 'Terminate Savepoint'), fc.string({unit: 'binary'})),
		postCheckpointAction: fc.constantFrom('NONE', 'SUSPEND', 'TERMINATE'),
		formatType: fc.constantFrom('CANONICAL', 'NATIVE'),
	}),
);

const arbProperties: fc.Arbitrary<CheckpointProperties> = fc.record(
	{
		checkpointType: arbSnapshotType,
		forced: fc.boolean(),
		discardSubsumed: fc.boolean(),
		discardFinished: fc.boolean(),
		discardCancelled: fc.boolean(),
		discardFailed: fc.boolean(),
		discardSuspended: fc.boolean(),
		unclaimed: fc.boolean(),
	},
	{requiredKeys: ['checkpointType', 'forced', 'discardSubsumed', 'discardFinished', 'discardCancelled', 'discardFailed', 'discardSuspended']},
);

describe('generated trailers', () => {
	it('properties → bytes → properties', () => {
		fc.assert(
			fc.property(arbProperties, (properties) => {
				const bytes = writePropertiesTrailer({properties});
				const {trailer, end} = decode(bytes);
				expect(end).toBe(bytes.length);
				expect(trailer.properties).toEqual(properties);
				expect(hex(trailer.raw!)).toBe(hex(bytes));
				expect(hex(writePropertiesTrailer({properties: trailer.properties}))).toBe(hex(bytes));
			}),
			{numRuns: 300},
		);
	});

	it('TC_NULL trailer', () => {
		const bytes = writePropertiesTrailer({properties: null});
		expect(hex(bytes)).toBe('aced000570');
		expect(decode(bytes)).toEqual({trailer: {properties: null, raw: bytes}, end: 5});
	});

	it('reads from the middle of a buffer and stops at the end of the object', () => {
		const properties = savepointProperties('NATIVE');
		const body = writePropertiesTrailer({properties});
		const bytes = new Uint8Array([1, 2, 3, ...body, 9, 9]);
		const reader = new ByteReader(bytes, 'x', 3);
		const trailer = readPropertiesTrailer(reader);
		expect(trailer.properties).toEqual(properties);
		expect(reader.offset).toBe(3 + body.length);
		expect(hex(trailer.raw!)).toBe(hex(body));
	});

	it('truncation at every offset throws ParseError with that offset', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					arbProperties.map((properties) => ({properties})),
					fc.constant({properties: null}),
				),
				(t) => {
					const bytes = writePropertiesTrailer(t);
					for (let cut = 0; cut < bytes.length; cut++) {
						const reader = new ByteReader(bytes, 'cut', 0, cut);
						let caught: unknown;
						try {
							readPropertiesTrailer(reader);
						} catch (error) {
							caught = error;
						}
						expect(caught).toBeInstanceOf(ParseError);
						expect((caught as ParseError).offset).toBeLessThanOrEqual(cut);
						expect((caught as ParseError).message).toContain('end of file');
					}
				},
			),
			{numRuns: 30},
		);
	});

	it('garbage after the magic is a ParseError at the type code', () => {
		const notContent = fc.integer({min: 0, max: 255}).filter((b) => b < 0x70 || b > 0x7e);
		fc.assert(
			fc.property(notContent, fc.uint8Array({maxLength: 64}), (first, rest) => {
				const error = decodeError(new Uint8Array([...MAGIC, first, ...rest]));
				expect(error.offset).toBe(4);
				expect(error.message).toMatch(/^<bytes>: at byte 4: expected a CheckpointProperties trailer in Java serialization, found unexpected type code/);
			}),
		);
	});

	it('arbitrary bytes after the magic: a decoded trailer or a ParseError, nothing else', () => {
		fc.assert(
			fc.property(fc.uint8Array({maxLength: 200}), (rest) => {
				const bytes = new Uint8Array([...MAGIC, ...rest]);
				try {
					readPropertiesTrailer(new ByteReader(bytes));
				} catch (error) {
					expect(error).toBeInstanceOf(ParseError);
				}
			}),
			{numRuns: 2000},
		);
	});

	it('a bad magic is a ParseError at the trailer start', () => {
		const error = decodeError(new Uint8Array([0xac, 0xed, 0x00, 0x04, 0x70]));
		expect(error.message).toBe('<bytes>: at byte 0: expected the Java serialization magic AC ED 00 05 of the CheckpointProperties trailer, found AC ED 00 04');
		expect(decodeError(new Uint8Array([0x00])).message).toContain('magic');
	});

	it('a complete stream of another shape is a ParseError', () => {
		// A top-level String "hi".
		const str = new Uint8Array([...MAGIC, 0x74, 0x00, 0x02, 0x68, 0x69]);
		expect(decodeError(str).message).toContain('expected an object of org.apache.flink.runtime.checkpoint.CheckpointProperties');
		// A java.lang.Integer(7): desc with field I value and superclass java.lang.Number.
		const w: number[] = [...MAGIC, 0x73, 0x72];
		const utf = (s: string) => w.push(0, s.length, ...Buffer.from(s, 'latin1'));
		utf('java.lang.Integer');
		w.push(0x12, 0xe2, 0xa0, 0xa4, 0xf7, 0x81, 0x87, 0x38, 0x02, 0x00, 0x01, 0x49);
		utf('value');
		w.push(0x78, 0x72);
		utf('java.lang.Number');
		w.push(0x86, 0xac, 0x95, 0x1d, 0x0b, 0x94, 0xe0, 0x8b, 0x02, 0x00, 0x00, 0x78, 0x70, 0, 0, 0, 7);
		const integer = new Uint8Array(w);
		expect(decodeError(integer).message).toContain('found object of java.lang.Integer');
		// Real properties with the checkpointType replaced by a string would be a wrong field type:
		const props = writePropertiesTrailer({
			properties: {
				checkpointType: null,
				forced: false,
				discardSubsumed: true,
				discardFinished: true,
				discardCancelled: true,
				discardFailed: true,
				discardSuspended: true,
			},
		});
		const wrong = new Uint8Array([...props.subarray(0, props.length - 1), 0x74, 0x00, 0x01, 0x78]);
		expect(decodeError(wrong).message).toContain('CheckpointProperties.checkpointType');
	});

	it('generic decoder: arrays, block data annotations, references, nested depth limit', () => {
		// An int[] {1, 2} as top level → decodes, wrong shape.
		const arr = new Uint8Array([
			...MAGIC,
			0x75,
			0x72,
			0x00,
			0x02,
			0x5b,
			0x49,
			0x4d,
			0xba,
			0x60,
			0x26,
			0x76,
			0xea,
			0xb2,
			0xa5,
			0x02,
			0x00,
			0x00,
			0x78,
			0x70,
			0,
			0,
			0,
			2,
			0,
			0,
			0,
			1,
			0,
			0,
			0,
			2,
		]);
		expect(decodeError(arr).message).toContain('found array of [I');
		// Nested Object[] 100 deep → depth limit.
		const deep: number[] = [...MAGIC];
		deep.push(
			0x75,
			0x72,
			0x00,
			0x13,
			...Buffer.from('[Ljava.lang.Object;', 'latin1'),
			0x90,
			0xce,
			0x58,
			0x9f,
			0x10,
			0x73,
			0x29,
			0x6c,
			0x02,
			0x00,
			0x00,
			0x78,
			0x70,
			0,
			0,
			0,
			1,
		);
		for (let i = 0; i < 100; i++) deep.push(0x75, 0x71, 0x00, 0x7e, 0x00, 0x00, 0, 0, 0, 1);
		deep.push(0x70);
		expect(decodeError(new Uint8Array(deep)).message).toContain('nesting deeper than 64');
		// A class with SC_WRITE_METHOD: fields then block data + an object until TC_ENDBLOCKDATA.
		const w: number[] = [...MAGIC, 0x73, 0x72, 0x00, 0x01, 0x58, 0, 0, 0, 0, 0, 0, 0, 1, 0x03, 0x00, 0x01, 0x5a, 0x00, 0x01, 0x7a, 0x78, 0x70];
		w.push(0x01, 0x77, 0x02, 0xaa, 0xbb, 0x7a, 0, 0, 0, 1, 0xcc, 0x71, 0x00, 0x7e, 0x00, 0x01, 0x78);
		expect(decodeError(new Uint8Array(w)).message).toContain('found object of X');
	});
});

describe('describeProperties', () => {
	const base = {forced: false, discardSubsumed: true, discardFinished: true, unclaimed: false};
	it('summarises savepoints and checkpoints', () => {
		expect(
			describeProperties({
				...base,
				forced: true,
				discardSubsumed: false,
				discardFinished: false,
				discardCancelled: false,
				discardFailed: false,
				discardSuspended: false,
				checkpointType: {kind: 'savepoint', name: 'Suspend Savepoint', postCheckpointAction: 'SUSPEND', formatType: 'NATIVE'},
			}),
		).toBe('savepoint (NATIVE, Suspend Savepoint)');
		const checkpoint: SnapshotType = {kind: 'checkpoint', name: 'Checkpoint', sharingFilesStrategy: 'FORWARD_BACKWARD'};
		expect(describeProperties({...base, discardCancelled: false, discardFailed: false, discardSuspended: false, checkpointType: checkpoint})).toBe(
			'checkpoint (FORWARD_BACKWARD, retained on cancel)',
		);
		expect(describeProperties({...base, discardCancelled: true, discardFailed: false, discardSuspended: false, checkpointType: checkpoint})).toBe(
			'checkpoint (FORWARD_BACKWARD, retained on failure)',
		);
		expect(
			describeProperties({
				...base,
				unclaimed: true,
				discardCancelled: true,
				discardFailed: true,
				discardSuspended: true,
				checkpointType: {kind: 'checkpoint', name: 'Full Checkpoint', sharingFilesStrategy: 'NO_SHARING'},
			}),
		).toBe('checkpoint (Full Checkpoint, NO_SHARING, not retained, unclaimed)');
	});
});
