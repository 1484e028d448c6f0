/**
 * Hostile input for the `_metadata` reader: every real file of the shared corpus
 * (`../shared/flink-metadata`, never copied into the project) truncated and mutated, plus files that
 * are not Flink metadata at all. The only acceptable outcomes are a successful parse or a
 * `ParseError` naming the file and a byte offset — never another exception, never a hang, and never
 * a parse that takes more than linear time.
 *
 * `FCX_FUZZ_RUNS` (set by `npm run fuzz` to 100 000) sets the number of mutation runs and switches
 * the truncation test to a full sweep of every offset of every file (slow: ~15–30 min).
 * `FCX_FUZZ_SEED` sets the fast-check seed of the mutations: fixed in `npm test`, new on every
 * `npm run fuzz`; the test name and its log line print it, so a failure can be replayed.
 */
import {readFileSync} from 'node:fs';
import {mkdtemp, open, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it, vi} from 'vitest';
import {corpusDir, corpusExists, findCorpus, METADATA_MAGIC} from '../support/corpus.js';
import {ByteReader} from '../../source/metadata/cursor.js';
import {ByteWriter} from '../../source/metadata/byte-writer.js';
import {MAX_METADATA_BYTES, ParseError, readMetadata, readMetadataFile, writeMetadata} from '../../source/metadata/index.js';
import {changelog114Model, channelLayoutAModel, everyTagModel, metadata, stringsModel, v2Model, v7Model} from './models.js';

const fuzzEnv = process.env.FCX_FUZZ_RUNS;
const FUZZ_MODE = fuzzEnv !== undefined && fuzzEnv !== '';
const MUTATION_RUNS = FUZZ_MODE ? Number(fuzzEnv) : 10_000;
const SEED = process.env.FCX_FUZZ_SEED ? Number(process.env.FCX_FUZZ_SEED) : FUZZ_MODE ? Math.floor(Math.random() * 0x7fffffff) : 0x0fc5eed;
/** In CI, files up to this size are truncated at every offset; larger ones at sampled offsets. */
const FULL_SWEEP_MAX_BYTES = FUZZ_MODE ? Number.POSITIVE_INFINITY : 2048;
/** Sampled offsets of larger files (CI): always the first and last this many. */
const EDGE = 64;
/** Sampled offsets of larger files (CI): this many offsets spread evenly over the file. */
const SPREAD = 64;
/** Time limit of one parse: 50 ms per MB + 50 ms (generous; real parses run at ~1 GB/s). */
const timeLimitMs = (length: number): number => (50 * length) / 1_000_000 + 50;

if (!Number.isSafeInteger(MUTATION_RUNS) || MUTATION_RUNS <= 0) throw new Error(`FCX_FUZZ_RUNS must be a positive integer, got ${fuzzEnv}`);

// ---------------------------------------------------------------------------------------------
// Corpus.
// ---------------------------------------------------------------------------------------------

interface CorpusFile {
	name: string;
	bytes: Uint8Array;
	/** Version 0 or 1: only the header and checkpoint id are read, so a prefix may parse. */
	legacy: boolean;
}

if (!corpusExists) console.log(`[metadata hostile] ${corpusDir} not found: the real-file truncation and mutation tests were SKIPPED (generated files only)`);

const corpus: CorpusFile[] = corpusExists
	? (await findCorpus()).map((full) => {
			const bytes = new Uint8Array(readFileSync(full));
			const version = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset).getInt32(4) : -1;
			return {name: path.relative(corpusDir, full), bytes, legacy: version === 0 || version === 1};
		})
	: [];

/** Writer output for grammar the corpus does not have (tags 2, 5, 8, 10, 13, 15, 16, 17, layouts A and C, V2, V7). */
const generated: CorpusFile[] = [
	['generated/every-tag-v4', everyTagModel()],
	['generated/changelog-1.14-v3', changelog114Model()],
	['generated/channel-layout-A-v3', channelLayoutAModel()],
	['generated/v7', v7Model()],
	['generated/v2', v2Model()],
	['generated/strings-v5', stringsModel()],
].map(([name, m]) => ({name: name as string, bytes: writeMetadata(m as Parameters<typeof writeMetadata>[0]), legacy: false}));

// ---------------------------------------------------------------------------------------------
// Field positions, found by watching the cursor during one parse of the intact file.
// ---------------------------------------------------------------------------------------------

interface Fields {
	/** Start offsets of every read, sorted, deduplicated. */
	starts: number[];
	/** For each distinct field description ("the file path", "a stream state handle tag", …): its start offsets in file order. */
	byWhat: Map<string, number[]>;
	/** Offsets of `i32` reads (counts, lengths, flags, indices). */
	i32: number[];
	/** Offsets of `i64` reads. */
	i64: number[];
	/** Offsets of `u16` string lengths (`writeUTF`). */
	u16: number[];
}

const WATCHED = ['u8', 'i8', 'bool', 'u16', 'i16', 'i32', 'i64', 'count', 'raw', 'lengthPrefixed', 'id16', 'utf'] as const;
type Watched = (typeof WATCHED)[number];
type AnyMethod = (this: ByteReader, ...args: unknown[]) => unknown;

/**
 * Parse `bytes` once with every `ByteReader` read method wrapped to record where it started (the
 * prototype is restored afterwards). If the reader stops using these methods, fewer positions are
 * found and the tests fall back to spread offsets.
 */
function watchFields(bytes: Uint8Array): Fields {
	const proto = ByteReader.prototype as unknown as Record<Watched, AnyMethod>;
	const saved = new Map<Watched, AnyMethod>();
	const starts = new Set<number>();
	const byWhat = new Map<string, number[]>();
	const i32 = new Set<number>();
	const i64 = new Set<number>();
	const u16 = new Set<number>();
	for (const method of WATCHED) {
		const original = proto[method];
		saved.set(method, original);
		proto[method] = function (this: ByteReader, ...args: unknown[]): unknown {
			const at = this.offset;
			starts.add(at);
			const what = `${method}:${typeof args[0] === 'string' ? args[0] : ''}`;
			const list = byWhat.get(what);
			if (list === undefined) byWhat.set(what, [at]);
			else if (list[list.length - 1] !== at) list.push(at);
			if (method === 'i32' || method === 'count' || method === 'lengthPrefixed') i32.add(at);
			else if (method === 'i64') i64.add(at);
			else if (method === 'u16' || method === 'utf') u16.add(at);
			return original.apply(this, args);
		};
	}
	try {
		readMetadata(bytes);
	} catch {
		// Positions up to the error are still useful.
	} finally {
		for (const [method, original] of saved) proto[method] = original;
	}
	const sorted = (s: Set<number>): number[] => [...s].filter((x) => x < bytes.length).sort((a, b) => a - b);
	return {starts: sorted(starts), byWhat, i32: sorted(i32), i64: sorted(i64), u16: sorted(u16)};
}

const fieldCache = new Map<CorpusFile, Fields>();
function fieldsOf(file: CorpusFile): Fields {
	let f = fieldCache.get(file);
	if (f === undefined) {
		f = watchFields(file.bytes);
		fieldCache.set(file, f);
	}
	return f;
}

/**
 * Truncation offsets of a file: every offset if it has at most `fullSweepMax` bytes; else the first and
 * last {@link EDGE} offsets, the first two and last occurrence of every kind of field (and the byte
 * after each), and {@link SPREAD} evenly spread offsets.
 */
function truncationOffsets(file: CorpusFile, fullSweepMax: number): number[] {
	const n = file.bytes.length;
	if (n <= fullSweepMax) return Array.from({length: n}, (_, i) => i);
	const set = new Set<number>();
	for (let i = 0; i < Math.min(EDGE, n); i++) {
		set.add(i);
		set.add(n - 1 - i);
	}
	for (const list of fieldsOf(file).byWhat.values()) {
		for (const at of [list[0], list[1], list[list.length - 1]]) {
			if (at === undefined) continue;
			set.add(at);
			set.add(at + 1);
		}
	}
	for (let k = 0; k < SPREAD; k++) set.add(Math.floor(((k + 0.5) * n) / SPREAD));
	return [...set].filter((x) => x >= 0 && x < n).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Checking one parse.
// ---------------------------------------------------------------------------------------------

type Outcome = {ok: true; parsed: boolean} | {ok: false; problem: string};

function describeError(error: unknown): string {
	return error instanceof Error ? `${error.constructor.name}: ${error.message}\n${error.stack ?? ''}` : `non-Error thrown: ${String(error)}`;
}

/**
 * Parse `bytes` and check the outcome: success (allowed only when `mayParse`) or a ParseError with the
 * file name, an offset within the input and a one-line message `<file>: at byte <offset>: expected …`.
 * A parse slower than {@link timeLimitMs} is re-timed twice (GC pauses) before it counts as a problem.
 */
function checkParse(bytes: Uint8Array, fileName: string, mayParse: boolean): Outcome {
	let elapsed = Number.POSITIVE_INFINITY;
	let parsedOnce = false;
	for (let attempt = 0; attempt < 3; attempt++) {
		const t0 = performance.now();
		let parsed = false;
		let thrown: unknown;
		try {
			readMetadata(bytes, {fileName});
			parsed = true;
		} catch (error) {
			thrown = error;
		}
		elapsed = Math.min(elapsed, performance.now() - t0);
		if (attempt === 0) {
			parsedOnce = parsed;
			if (parsed && !mayParse) return {ok: false, problem: 'parsed without error'};
			if (!parsed) {
				if (!(thrown instanceof ParseError)) {
					// Re-run with stack traces on (they are off during sweeps for speed).
					const limit = Error.stackTraceLimit;
					Error.stackTraceLimit = 20;
					try {
						readMetadata(bytes, {fileName});
					} catch (error) {
						thrown = error;
					} finally {
						Error.stackTraceLimit = limit;
					}
					return {ok: false, problem: `threw ${describeError(thrown)}`};
				}
				const e = thrown;
				if (e.fileName !== fileName) return {ok: false, problem: `ParseError with fileName ${e.fileName}`};
				if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > bytes.length) {
					return {ok: false, problem: `ParseError with offset ${e.offset} (input ${bytes.length} bytes)`};
				}
				if (!e.message.startsWith(`${fileName}: at byte ${e.offset}: expected `) || e.message.includes('\n')) {
					return {ok: false, problem: `ParseError message does not name file and offset on one line: ${e.message}`};
				}
			}
		}
		if (elapsed <= timeLimitMs(bytes.length)) return {ok: true, parsed: parsedOnce};
	}
	return {ok: false, problem: `took ${elapsed.toFixed(1)} ms (limit ${timeLimitMs(bytes.length).toFixed(1)} ms for ${bytes.length} bytes)`};
}

/** Run `fn` with stack traces off: a ParseError then costs half as much, which matters in sweeps. */
function withoutStacks<T>(fn: () => T): T {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 0;
	try {
		return fn();
	} finally {
		Error.stackTraceLimit = limit;
	}
}

// ---------------------------------------------------------------------------------------------
// Truncation.
// ---------------------------------------------------------------------------------------------

function sweep(files: CorpusFile[], fullSweepMax: number): {offsets: number; failures: string[]} {
	let offsets = 0;
	const failures: string[] = [];
	withoutStacks(() => {
		for (const file of files) {
			for (const n of truncationOffsets(file, fullSweepMax)) {
				offsets++;
				const outcome = checkParse(file.bytes.subarray(0, n), file.name, file.legacy);
				if (!outcome.ok && failures.length < 50) failures.push(`${file.name} cut to ${n} of ${file.bytes.length} bytes: ${outcome.problem}`);
			}
		}
	});
	return {offsets, failures};
}

const SWEEP_TIMEOUT = FUZZ_MODE ? 4 * 3600_000 : 120_000;
const ciCoverage =
	`every offset of files ≤ ${FULL_SWEEP_MAX_BYTES} bytes; for larger files the first and last ${EDGE} offsets, ` +
	`the first two and last start of every kind of field (and the byte after) and ${SPREAD} spread offsets`;
const sweepName = FUZZ_MODE ? 'every offset of every file (full sweep, FCX_FUZZ_RUNS set)' : `${ciCoverage} (full sweep: set FCX_FUZZ_RUNS)`;

describe('truncated input gives a ParseError naming file and offset (legacy V0/V1 files: a ParseError or a result)', () => {
	it(
		`generated files with the grammar the corpus lacks: every offset (the 260 KB strings file: sampled as larger corpus files${FUZZ_MODE ? ', here every offset' : ''})`,
		() => {
			const {offsets, failures} = sweep(generated, FUZZ_MODE ? Number.POSITIVE_INFINITY : 65_536);
			expect(offsets).toBeGreaterThan(1000);
			expect(failures).toEqual([]);
		},
		SWEEP_TIMEOUT,
	);

	it.skipIf(!corpusExists)(
		`real corpus: ${sweepName}`,
		() => {
			expect(corpus.length).toBeGreaterThan(0);
			const t0 = performance.now();
			const {offsets, failures} = sweep(corpus, FULL_SWEEP_MAX_BYTES);
			const bytes = corpus.reduce((s, f) => s + f.bytes.length, 0);
			console.log(
				`[metadata hostile] truncation: ${corpus.length} files (${corpus.filter((f) => f.legacy).length} legacy), ${bytes} bytes; ` +
					`${offsets} offsets swept (${corpus.filter((f) => f.bytes.length <= FULL_SWEEP_MAX_BYTES).length} files at every offset) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
			);
			expect(failures).toEqual([]);
		},
		SWEEP_TIMEOUT,
	);
});

// ---------------------------------------------------------------------------------------------
// Mutation.
// ---------------------------------------------------------------------------------------------

type Mutation =
	| {kind: 'flip'; at: number; bit: number}
	| {kind: 'insert'; at: number; value: number}
	| {kind: 'delete'; at: number}
	| {kind: 'i32'; field: number; value: number}
	| {kind: 'i64'; field: number; value: bigint}
	| {kind: 'u16'; field: number};

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({min: 0, max: 7})}),
	fc.record({kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({min: 0, max: 255})}),
	fc.record({kind: fc.constant('delete' as const), at: fc.nat()}),
	fc.record({kind: fc.constant('i32' as const), field: fc.nat(), value: fc.constantFrom(0x7fffffff, -0x80000000, -1, 0, 0x10000)}),
	fc.record({kind: fc.constant('i64' as const), field: fc.nat(), value: fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), -1n)}),
	fc.record({kind: fc.constant('u16' as const), field: fc.nat()}),
);

/** Apply mutations in order to a copy; field mutations use the intact file's field positions. */
function mutate(file: CorpusFile, mutations: Mutation[]): Uint8Array {
	const fields = fieldsOf(file);
	let b = file.bytes.slice();
	const pick = (list: number[], field: number, width: number): number | undefined => {
		if (list.length === 0) return undefined;
		const at = list[field % list.length];
		return at + width <= b.length ? at : undefined;
	};
	for (const m of mutations) {
		const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
		switch (m.kind) {
			case 'flip':
				if (b.length > 0) b[m.at % b.length] ^= 1 << m.bit;
				break;
			case 'insert': {
				const at = m.at % (b.length + 1);
				const next = new Uint8Array(b.length + 1);
				next.set(b.subarray(0, at));
				next[at] = m.value;
				next.set(b.subarray(at), at + 1);
				b = next;
				break;
			}
			case 'delete': {
				if (b.length === 0) break;
				const at = m.at % b.length;
				const next = new Uint8Array(b.length - 1);
				next.set(b.subarray(0, at));
				next.set(b.subarray(at + 1), at);
				b = next;
				break;
			}
			case 'i32': {
				const at = pick(fields.i32, m.field, 4);
				if (at !== undefined) view.setInt32(at, m.value);
				break;
			}
			case 'i64': {
				const at = pick(fields.i64, m.field, 8);
				if (at !== undefined) view.setBigInt64(at, m.value);
				break;
			}
			case 'u16': {
				const at = pick(fields.u16, m.field, 2);
				if (at !== undefined) view.setUint16(at, 0xffff);
				break;
			}
		}
	}
	return b;
}

describe('mutated input gives a result or a ParseError, in linear time', () => {
	const bases = [...corpus, ...generated];
	it(
		`${MUTATION_RUNS} runs (FCX_FUZZ_RUNS, seed ${SEED}) over ${corpusExists ? `${corpus.length} real files and ` : 'NO real files (corpus missing) and '}${generated.length} generated files: bit flips, byte insertions and deletions, i32/i64 fields set to max/min/-1, u16 string lengths set to 0xffff`,
		() => {
			const t0 = performance.now();
			let parsed = 0;
			const property = fc.property(fc.nat({max: bases.length - 1}), fc.array(mutationArb, {minLength: 1, maxLength: 4}), (index, mutations) => {
				const file = bases[index];
				const bytes = mutate(file, mutations);
				const outcome = withoutStacks(() => checkParse(bytes, file.name, true));
				if (!outcome.ok) {
					throw new Error(`${file.name} with ${JSON.stringify(mutations, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}: ${outcome.problem}`);
				}
				if (outcome.parsed) parsed++;
			});
			fc.assert(property, {numRuns: MUTATION_RUNS, seed: SEED});
			console.log(
				`[metadata hostile] mutation: ${MUTATION_RUNS} runs, seed ${SEED}, ${parsed} mutated files still parsed, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
			);
		},
		FUZZ_MODE ? 4 * 3600_000 : 120_000,
	);
});

describe('error messages quoting the file', () => {
	it('escape control characters, so that a ParseError stays one line (found by the mutation test: a newline inserted into a class name)', () => {
		const body = writeMetadata(metadata(4, []));
		const w = new ByteWriter();
		w.raw(body.subarray(0, body.length - 1)); // without TC_NULL
		w.u8(0x73); // TC_OBJECT
		w.u8(0x72); // TC_CLASSDESC
		w.utf('org.apache.flink.X\n\u001b[31mred\u0085');
		w.i64(1);
		w.u8(0x02); // SC_SERIALIZABLE
		w.i16(512); // 512 fields, but the file ends here
		let error: unknown;
		try {
			readMetadata(w.toBytes(), {fileName: 'f'});
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ParseError);
		const message = (error as ParseError).message;
		expect(message).toContain('512 field descriptor(s) of class org.apache.flink.X\\x0a\\x1b[31mred\\x85');
		expect([...message].filter((c) => c < ' ' || (c >= '\u007f' && c <= '\u009f'))).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// Files that are not Flink metadata.
// ---------------------------------------------------------------------------------------------

describe('readMetadataFile on files that are not Flink metadata', () => {
	let dir: string | undefined;
	afterAll(async () => {
		if (dir) await rm(dir, {recursive: true, force: true});
		vi.restoreAllMocks();
	});

	/** Read `file` with `readMetadataFile`, counting the bytes read through any FileHandle. */
	async function readCounting(file: string): Promise<{error: unknown; bytesRead: number}> {
		const probe = await open(file, 'r');
		const proto = Object.getPrototypeOf(probe) as {read: (...args: unknown[]) => Promise<{bytesRead: number}>};
		await probe.close();
		const original = proto.read;
		let bytesRead = 0;
		const spy = vi.spyOn(proto, 'read').mockImplementation(async function (this: unknown, ...args: unknown[]) {
			const result = await original.apply(this, args);
			bytesRead += result.bytesRead;
			return result;
		});
		try {
			await readMetadataFile(file);
			return {error: undefined, bytesRead};
		} catch (error) {
			return {error, bytesRead};
		} finally {
			spy.mockRestore();
		}
	}

	function expectOneLineParseError(error: unknown, file: string): ParseError {
		expect(error).toBeInstanceOf(ParseError);
		const e = error as ParseError;
		expect(e.fileName).toBe(file);
		expect(e.offset).toBe(0);
		expect(e.message.startsWith(`${file}: at byte 0: expected `)).toBe(true);
		expect(e.message).not.toContain('\n');
		return e;
	}

	it('empty file, text file, PNG header, a 1 GiB sparse file starting with text: one-line ParseError after reading at most 8 bytes', async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'fcx-hostile-'));
		const empty = path.join(dir, 'empty');
		await writeFile(empty, new Uint8Array(0));
		const text = path.join(dir, 'notes.txt');
		await writeFile(text, 'This is a text file, not Flink metadata.\n'.repeat(10_000));
		const png = path.join(dir, 'image.png');
		await writeFile(
			png,
			Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...new Array<number>(64).fill(0)),
		);
		const bigText = path.join(dir, 'big.log');
		const fh = await open(bigText, 'w');
		await fh.write('2024-01-01 12:00:00 INFO log line\n', 0);
		await fh.truncate(MAX_METADATA_BYTES); // sparse, exactly at the limit: only the magic check rejects it
		await fh.close();

		// Positive control: the byte counting sees a real read.
		const good = path.join(dir, '_metadata');
		const goodBytes = writeMetadata(everyTagModel());
		await writeFile(good, goodBytes);
		const control = await readCounting(good);
		expect(control.error).toBeUndefined();
		expect(control.bytesRead).toBeGreaterThanOrEqual(goodBytes.length);

		const e0 = await readCounting(empty);
		expect(expectOneLineParseError(e0.error, empty).message).toContain('end of file');
		expect(e0.bytesRead).toBe(0);
		for (const file of [text, png, bigText]) {
			const {error, bytesRead} = await readCounting(file);
			expect(expectOneLineParseError(error, file).message).toContain('not a Flink _metadata file');
			expect(bytesRead).toBeLessThanOrEqual(8);
		}
	});

	it('a 2 GB sparse file: one-line ParseError naming MAX_METADATA_BYTES, nothing read', async () => {
		dir ??= await mkdtemp(path.join(os.tmpdir(), 'fcx-hostile-'));
		const huge = path.join(dir, 'huge');
		const fh = await open(huge, 'w');
		await fh.write(Uint8Array.of(...METADATA_MAGIC, 0, 0, 0, 4), 0, 8, 0); // looks like V4 metadata
		await fh.truncate(2 * 1024 * 1024 * 1024);
		await fh.close();
		const {error, bytesRead} = await readCounting(huge);
		const e = expectOneLineParseError(error, huge);
		expect(e.message).toContain(`at most ${MAX_METADATA_BYTES} bytes`);
		expect(e.message).toContain(`${2 * 1024 * 1024 * 1024} bytes`);
		expect(bytesRead).toBe(0);
		await rm(huge);
	});
});
