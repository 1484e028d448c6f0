import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, open, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {corpusDir} from '../support/corpus.js';
import {MAX_METADATA_BYTES, MetadataFileReader, ParseError, readMetadata, readMetadataFile, writeMetadata} from '../../source/metadata/index.js';
import {ByteWriter} from '../../source/metadata/byte-writer.js';
import {OP_A, everyTagModel, metadata, operator, v7Model} from './models.js';

/** A 1.17 RocksDB checkpoint with channel state (V4, tag 11 and 6, channel layout B), when the corpus is present. */
const REAL_FILE = 'apache+flink/flink-tests/src/test/resources/new-stateful-udf-migration-itcase-flink1.17-rocksdb-checkpoint/_metadata';

function parseError(fn: () => unknown): ParseError {
	try {
		fn();
	} catch (error) {
		if (error instanceof ParseError) return error;
		throw new Error(`expected a ParseError, got ${String(error)}`);
	}
	throw new Error('expected a ParseError, nothing was thrown');
}

/** Header + V3 body start: checkpoint id 1, no master states, then `numOperators`. */
function v3Prefix(numOperators: number): ByteWriter {
	const w = new ByteWriter();
	w.i32(0x4960672d);
	w.i32(3);
	w.i64(1);
	w.i32(0);
	w.i32(numOperators);
	return w;
}

describe('header errors', () => {
	it('wrong magic', () => {
		const e = parseError(() => readMetadata(Uint8Array.of(0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 3), {fileName: 'x.bin'}));
		expect(e.message).toContain('x.bin');
		expect(e.message).toContain('not a Flink _metadata file');
		expect(e.message).toContain('Flink 1.0');
		expect(e.offset).toBe(0);
	});

	it('unknown versions', () => {
		for (const v of [8, 100, -1]) {
			const w = new ByteWriter();
			w.i32(0x4960672d);
			w.i32(v);
			w.i64(1);
			const e = parseError(() => readMetadata(w.toBytes(), {fileName: 'f'}));
			expect(e.message).toContain('format version 0..7');
			expect(e.message).toContain(`found ${v}`);
			expect(e.offset).toBe(4);
		}
	});

	it('recognises legacy versions 0 and 1', () => {
		for (const v of [0, 1]) {
			const w = new ByteWriter();
			w.i32(0x4960672d);
			w.i32(v);
			w.i64(17);
			w.raw(Uint8Array.of(1, 2, 3));
			const {metadata: m, references} = readMetadata(w.toBytes());
			expect(m.legacy).toBe(`legacy format (Flink 1.1/1.2), version ${v}`);
			expect(m.checkpointId).toBe(17);
			expect(m.operators).toEqual([]);
			expect(references).toEqual([]);
		}
		expect(readMetadata(Uint8Array.of(0x49, 0x60, 0x67, 0x2d, 0, 0, 0, 1)).metadata.checkpointId).toBe(-1);
	});

	it('empty and too-short input', () => {
		expect(parseError(() => readMetadata(new Uint8Array(0))).message).toMatch(/at byte 0: .*magic.*end of file/);
		expect(parseError(() => readMetadata(Uint8Array.of(0x49, 0x60, 0x67, 0x2d, 0))).offset).toBe(4);
	});
});

describe('body errors', () => {
	it('unknown stream tag names the legal tags', () => {
		const w = v3Prefix(1);
		w.id16(OP_A);
		w.i32(1);
		w.i32(1);
		w.u8(99); // coordinator state
		w.raw(new Uint8Array(40)); // enough bytes for the operator count check
		const e = parseError(() => readMetadata(w.toBytes(), {fileName: 'f'}));
		expect(e.message).toBe('f: at byte 48: expected a stream state handle tag (0, 1, 2, 3, 6, 15, 16), found 99');
	});

	it('unknown keyed and operator tags name the legal tags', () => {
		const keyed = v3Prefix(1);
		keyed.id16(OP_A);
		keyed.i32(1);
		keyed.i32(1);
		keyed.u8(0);
		keyed.i32(1); // one subtask
		keyed.i32(0); // index 0
		keyed.i32(0); // no managed op state
		keyed.i32(0); // no raw op state
		keyed.u8(6); // keyed tag 6 is a stream-only tag
		expect(parseError(() => readMetadata(keyed.toBytes())).message).toContain(
			'expected a keyed state handle tag (0, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14), found 6',
		);

		const op = v3Prefix(1);
		op.id16(OP_A);
		op.i32(1);
		op.i32(1);
		op.u8(0);
		op.i32(1);
		op.i32(0);
		op.i32(1); // managed op state present
		op.u8(5);
		expect(parseError(() => readMetadata(op.toBytes())).message).toContain('expected an operator state handle tag (0, 4, 17), found 5');
	});

	it('trailing bytes', () => {
		const bytes = writeMetadata(everyTagModel());
		const extended = new Uint8Array(bytes.length + 1);
		extended.set(bytes);
		const e = parseError(() => readMetadata(extended, {fileName: 'f'}));
		expect(e.message).toContain(`1 trailing byte at offset ${bytes.length}`);
		expect(e.offset).toBe(bytes.length);
		const v3 = writeMetadata(metadata(3, []));
		const three = new Uint8Array(v3.length + 3);
		three.set(v3);
		expect(parseError(() => readMetadata(three)).message).toContain(`3 trailing bytes at offset ${v3.length}`);
	});

	it('negative and huge counts', () => {
		expect(parseError(() => readMetadata(v3Prefix(-1).toBytes())).message).toContain('expected number of operator states (≥ 0), found -1');
		const huge = parseError(() => readMetadata(v3Prefix(0x7fffffff).toBytes()));
		expect(huge.message).toContain('found 2147483647');
		expect(huge.offset).toBe(20);
		const masters = new ByteWriter();
		masters.i32(0x4960672d);
		masters.i32(3);
		masters.i64(1);
		masters.i32(0x10000000);
		expect(parseError(() => readMetadata(masters.toBytes())).message).toContain('number of master states');
	});

	it('negative checkpoint id', () => {
		const w = new ByteWriter();
		w.i32(0x4960672d);
		w.i32(3);
		w.i64(-5);
		w.i32(0);
		w.i32(0);
		expect(parseError(() => readMetadata(w.toBytes())).message).toContain('a checkpoint id ≥ 0, found -5');
	});

	it('master state block must be consumed exactly, with the right magic', () => {
		const w = new ByteWriter();
		w.i32(0x4960672d);
		w.i32(3);
		w.i64(1);
		w.i32(1);
		w.i32(0xc96b1696 | 0);
		w.i32(4 + 5 + 4 + 1 + 2); // version, utf "abc", payload of 1 byte, then 2 extra bytes
		w.i32(1);
		w.utf('abc');
		w.i32(1);
		w.u8(9);
		w.u8(0);
		w.u8(0);
		w.i32(0);
		expect(parseError(() => readMetadata(w.toBytes())).message).toContain('2 unread byte(s)');
		const bad = new ByteWriter();
		bad.i32(0x4960672d);
		bad.i32(3);
		bad.i64(1);
		bad.i32(1);
		bad.i32(1234);
		bad.raw(new Uint8Array(8));
		expect(parseError(() => readMetadata(bad.toBytes())).message).toContain('master state magic number');
	});

	it('deeply nested hostile input stops with a ParseError, not a stack overflow', () => {
		const w = v3Prefix(1);
		w.id16(OP_A);
		w.i32(1);
		w.i32(1);
		w.u8(0);
		w.i32(1);
		w.i32(0);
		w.i32(0);
		w.i32(0);
		for (let i = 0; i < 100_000; i++) {
			w.u8(8); // keyed changelog handle, 1.15 layout: range, size, 1 materialized handle …
			w.i32(0);
			w.i32(1);
			w.i64(0);
			w.i32(1);
		}
		expect(parseError(() => readMetadata(w.toBytes())).message).toContain('nested at most 32 deep');
		const s = v3Prefix(1);
		s.id16(OP_A);
		s.i32(1);
		s.i32(1);
		for (let i = 0; i < 100_000; i++) {
			s.u8(3); // key-groups stream handle with 0 key groups, nested as its own delegate
			s.i32(0);
			s.i32(0);
		}
		expect(parseError(() => readMetadata(s.toBytes())).message).toContain('nested at most 32 deep');
	});

	it('a 1.15-layout changelog file does not parse as channel layout A by accident and reports the first error', () => {
		const bytes = writeMetadata(v7Model());
		const e = parseError(() => readMetadata(bytes.subarray(0, bytes.length - 1), {fileName: 'v7'}));
		expect(e.message).toMatch(/^v7: at byte \d+: /);
	});
});

describe('truncation at every offset', () => {
	const realPath = path.join(corpusDir, REAL_FILE);
	const useReal = existsSync(realPath);
	const bytes = useReal ? new Uint8Array(readFileSync(realPath)) : writeMetadata(everyTagModel());
	const name = useReal ? REAL_FILE : 'generated-every-tag';
	if (!useReal) console.log('[metadata errors] real file not found; truncation test uses a generated file');

	it(`every proper prefix of ${useReal ? 'a real V4 file' : 'a generated file'} gives a ParseError naming file and offset`, () => {
		expect(readMetadata(bytes, {fileName: name}).metadata.operators.length).toBeGreaterThan(0);
		for (let n = 0; n < bytes.length; n++) {
			const e = parseError(() => readMetadata(bytes.subarray(0, n), {fileName: name}));
			expect(e.fileName).toBe(name);
			expect(e.message.startsWith(`${name}: at byte ${e.offset}: expected `)).toBe(true);
			expect(e.offset).toBeLessThanOrEqual(n);
		}
	});

	it('every proper prefix of generated V3 (1.14 changelog) and V7 files gives a ParseError', () => {
		for (const m of [metadata(3, [operator(3, OP_A, [], {coordinatorState: {tag: 1, name: 'x', data: Uint8Array.of(1)}})]), v7Model()]) {
			const b = writeMetadata(m);
			for (let n = 0; n < b.length; n++) parseError(() => readMetadata(b.subarray(0, n)));
		}
	});
});

/** A temporary directory for the file tests (removed after them), and a sparse file in it past the size limit. */
let dir: string | undefined;
afterAll(async () => {
	if (dir) await rm(dir, {recursive: true, force: true});
});

async function hugeFile(): Promise<string> {
	dir ??= await mkdtemp(path.join(os.tmpdir(), 'fcx-metadata-'));
	const huge = path.join(dir, 'huge');
	const fh = await open(huge, 'w');
	await fh.truncate(MAX_METADATA_BYTES + 1); // sparse
	await fh.close();
	return huge;
}

describe('readMetadataFile', () => {
	it('rejects non-metadata files by their first bytes, names the path, and refuses huge files', async () => {
		dir ??= await mkdtemp(path.join(os.tmpdir(), 'fcx-metadata-'));
		const text = path.join(dir, 'notes.txt');
		await writeFile(text, 'hello world, this is not Flink metadata\n'.repeat(1000));
		const e = await readMetadataFile(text).catch((error: unknown) => error);
		expect(e).toBeInstanceOf(ParseError);
		expect((e as ParseError).message).toContain(text);
		expect((e as ParseError).message).toContain('not a Flink _metadata file');

		const good = path.join(dir, '_metadata');
		const bytes = writeMetadata(v7Model());
		await writeFile(good, bytes);
		expect((await readMetadataFile(good)).metadata).toEqual(readMetadata(bytes).metadata);

		const h = await readMetadataFile(await hugeFile()).catch((error: unknown) => error);
		expect(h).toBeInstanceOf(ParseError);
		expect((h as ParseError).message).toContain(`${MAX_METADATA_BYTES + 1} bytes`);
		expect((h as ParseError).message).not.toContain('\n');
	});
});

describe('MetadataFileReader', () => {
	it('reads files into one reused buffer with the checks of readMetadataFile', async () => {
		dir ??= await mkdtemp(path.join(os.tmpdir(), 'fcx-metadata-'));
		const big = path.join(dir, 'big');
		const small = path.join(dir, 'small');
		const bigBytes = writeMetadata(everyTagModel());
		const smallBytes = writeMetadata(metadata(3, [operator(3, OP_A, [])]));
		expect(smallBytes.length).toBeLessThan(bigBytes.length);
		await writeFile(big, bigBytes);
		await writeFile(small, smallBytes);
		const reader = new MetadataFileReader();
		// A small file after a big one: only its own bytes, though the buffer is bigger.
		for (const [file, bytes] of [
			[small, smallBytes],
			[big, bigBytes],
			[small, smallBytes],
		] as const) {
			const read = reader.read(file);
			expect(read).toEqual(bytes);
			expect(readMetadata(read, {fileName: file})).toEqual(readMetadata(bytes, {fileName: file}));
		}

		const text = path.join(dir, 'notes.txt');
		await writeFile(text, 'hello world, this is not Flink metadata\n'.repeat(1000));
		expect(reader.read(text).length).toBe(8);
		const e = parseError(() => readMetadata(reader.read(text), {fileName: text}));
		expect(e.message).toContain(text);
		expect(e.message).toContain('not a Flink _metadata file');

		const empty = path.join(dir, 'empty');
		await writeFile(empty, new Uint8Array(0));
		expect(reader.read(empty).length).toBe(0);

		const huge = await hugeFile();
		expect(parseError(() => reader.read(huge)).message).toContain(`${MAX_METADATA_BYTES + 1} bytes`);
		expect(() => reader.read(path.join(dir!, 'absent'))).toThrow(/ENOENT/);
		expect(reader.read(small)).toEqual(smallBytes);
	});
});

describe('mutated input', () => {
	it('random byte changes give a result or a ParseError, never another error', () => {
		const bases = [writeMetadata(everyTagModel()), writeMetadata(v7Model()), writeMetadata(metadata(3, [operator(3, OP_A, [])]))];
		fc.assert(
			fc.property(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 4}), (base, edits) => {
				const b = base.slice();
				for (const [at, value] of edits) b[at % b.length] = value;
				try {
					readMetadata(b);
				} catch (error) {
					if (!(error instanceof ParseError)) throw error;
				}
			}),
			{numRuns: 2000},
		);
	});
});
