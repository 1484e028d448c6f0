/**
 * `scanPathStrings`: the approximate path scanner for damaged or unknown-version `_metadata` files.
 * It must find every file path the exact reader finds (tags 2, 6 and 15, as Flink writes them), keep
 * finding them before the cut of a truncated file, and stay fast and quiet on random bytes.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {corpusDir, corpusExists, findCorpus} from '../support/corpus.js';
import {encodeModifiedUtf8} from '../../source/metadata/byte-writer.js';
import {readMetadata, scanPathStrings, writeMetadata} from '../../source/metadata/index.js';
import type {ApproximateReference, CheckpointMetadata, OperatorSubtaskState, StreamStateHandle, SubtaskEntry} from '../../source/metadata/index.js';
import {OP_A, OP_B, emptySubtask, everyTagModel, metadata, operator} from './models.js';

/** The paths of tag-2 (`file`), tag-6 (`relative`) and tag-15 (`segment`) references, deduplicated. */
function filePaths(bytes: Uint8Array): string[] {
	const {references} = readMetadata(bytes);
	return [...new Set(references.filter((r) => r.handle === 'file' || r.handle === 'relative' || r.handle === 'segment').map((r) => r.path))];
}

function texts(found: ApproximateReference[]): Set<string> {
	return new Set(found.map((r) => r.text));
}

/** Offset just after the first `writeUTF` encoding of `text` in `bytes`, or -1. */
function endOfFirstUtf(bytes: Uint8Array, text: string): number {
	const body = encodeModifiedUtf8(text);
	const needle = Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), Buffer.from(body)]);
	const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle);
	return at < 0 ? -1 : at + needle.length;
}

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(length: number, seed: number): Uint8Array {
	const out = new Uint8Array(length);
	let x = seed | 0 || 1;
	for (let i = 0; i < length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Realistic paths, as Flink writes them.
// ---------------------------------------------------------------------------------------------

const segmentArb = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/),
	fc.constantFrom('chk-17', 'shared', 'taskowned', 'savepoint-3c7c0a-07c49f841952', 'Jürgen', 'データ', 'my dir', '😀', 'job_a_tm_b'),
);
const dirsArb = fc.array(segmentArb, {minLength: 1, maxLength: 6}).map((s) => s.join('/'));
/** `scheme://authority/…`, `file:/…`, `file:///…` or a bare absolute `/…`. */
const absoluteArb: fc.Arbitrary<string> = fc.oneof(
	fc
		.record({
			scheme: fc.constantFrom('hdfs', 's3', 's3a', 's3p', 'oss', 'gs', 'abfss', 'wasbs', 'viewfs', 'cosn'),
			host: fc.constantFrom('nn:8020', 'bucket', 'acct@container.dfs.core.windows.net', 'b-1'),
			dirs: dirsArb,
		})
		.map(({scheme, host, dirs}) => `${scheme}://${host}/${dirs}`),
	dirsArb.map((d) => `file:/${d}`),
	dirsArb.map((d) => `file:///${d}`),
	dirsArb.map((d) => `/${d}`),
);
const uuidArb = fc.uuid();

/** A V4/V5/V6 model whose file handles use realistic paths: tag 2 and 15 absolute, tag 6 a UUID. */
const realisticModelArb: fc.Arbitrary<CheckpointMetadata> = fc
	.record({
		version: fc.constantFrom(4, 5, 6),
		subtasks: fc.array(
			fc.record({
				opDelegate: fc.oneof(
					absoluteArb.map((p): StreamStateHandle => ({tag: 2, path: p, size: 100})),
					uuidArb.map((u): StreamStateHandle => ({tag: 6, relativePath: u, size: 100})),
				),
				shared: fc.array(absoluteArb, {maxLength: 5}),
				private: fc.array(uuidArb, {maxLength: 3}),
				segment: fc.record({physical: absoluteArb, logical: uuidArb, taskOwned: absoluteArb, sharedDir: absoluteArb}),
				channel: absoluteArb,
			}),
			{minLength: 1, maxLength: 4},
		),
	})
	.map(({version, subtasks}) => {
		const entries: SubtaskEntry[] = subtasks.map((s, i) => {
			const segment: StreamStateHandle = {tag: 15, startPos: 0, size: 10, scope: 1, physicalFilePath: s.segment.physical, logicalFileId: s.segment.logical};
			const state: OperatorSubtaskState = {
				...emptySubtask(version),
				managedOperatorState: {tag: 4, states: [{name: 'SourceReaderState', distributionMode: 0, offsets: [0]}], delegate: s.opDelegate},
				rawOperatorState: {
					tag: 17,
					states: [],
					taskOwnedDirectory: s.segment.taskOwned,
					sharedDirectory: s.segment.sharedDir,
					isEmpty: false,
					delegate: segment,
				},
				managedKeyedState: {
					tag: 11,
					checkpointId: 7,
					backendId: 'a0b1c2d3-0000-4000-8000-000000000000',
					keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128},
					checkpointedSize: 1000,
					metaState: {tag: 1, name: 'inline-meta', data: Uint8Array.of(1, 2, 3)},
					sharedState: s.shared.map((p, k) => ({localPath: `0000${k}.sst`, handle: {tag: 2, path: p, size: 4096}})),
					privateState: s.private.map((u) => ({localPath: 'MANIFEST-000001', handle: {tag: 6, relativePath: u, size: 64}})),
					stateHandleId: 'b0b1c2d3-0000-4000-8000-000000000000',
				},
				resultSubpartitionState: [{type: 'single', subtaskIndex: i, info: [0, i], offsets: [0], size: 8, delegate: {tag: 2, path: s.channel, size: 8}}],
			};
			if (version >= 6) {
				state.resultSubpartitionState.push({
					type: 'merged',
					subtaskIndex: i,
					totalSize: 8,
					delegate: {tag: 2, path: s.channel, size: 8},
					channels: [{info: [1, 1], size: 8, offsets: [0]}],
				});
			}
			return {subtaskIndex: i, finished: false, state};
		});
		return metadata(version, [
			operator(version, OP_A, entries, version >= 5 ? {name: 'Source: /not/a/reference', uid: 'uid'} : {}),
			operator(version, OP_B, []),
		]);
	});

// ---------------------------------------------------------------------------------------------

describe('scanPathStrings on generated files', () => {
	it('finds every tag-2, tag-6 and tag-15 path of realistic models written with writeMetadata, with the right kind', () => {
		fc.assert(
			fc.property(realisticModelArb, (m) => {
				const bytes = writeMetadata(m);
				const found = scanPathStrings(bytes);
				const byText = new Map(found.map((r) => [r.text, r]));
				const {references} = readMetadata(bytes);
				for (const ref of references) {
					if (ref.handle !== 'file' && ref.handle !== 'relative' && ref.handle !== 'segment' && ref.handle !== 'directory') continue;
					const hit = byText.get(ref.path);
					expect(hit, `${ref.handle} ${ref.path}`).toBeDefined();
					expect(hit?.kind).toBe(ref.handle === 'relative' ? 'name' : ref.path.startsWith('/') ? 'path' : 'uri');
				}
			}),
			{numRuns: 300, seed: 4242},
		);
	});

	it('finds the absolute paths of the every-tag model; results are deduplicated, in file order, with offsets of the length prefix', () => {
		const bytes = writeMetadata(everyTagModel());
		const found = scanPathStrings(bytes);
		const t = texts(found);
		// Tag-6 names of this model ('nested-rel', …) are not UUID-like, so only the absolute ones are promised.
		for (const p of filePaths(bytes).filter((x) => x.includes(':/'))) expect(t.has(p), p).toBe(true);
		expect(t.size).toBe(found.length);
		for (let i = 1; i < found.length; i++) expect(found[i].offset).toBeGreaterThan(found[i - 1].offset);
		for (const r of found) {
			const len = (bytes[r.offset] << 8) | bytes[r.offset + 1];
			expect(Buffer.from(bytes.subarray(r.offset + 2, r.offset + 2 + len))).toEqual(Buffer.from(encodeModifiedUtf8(r.text)));
		}
	});

	it('respects the limit', () => {
		const m = metadata(4, [
			operator(
				4,
				OP_A,
				Array.from({length: 10}, (_, i): SubtaskEntry => ({
					subtaskIndex: i,
					finished: false,
					state: {...emptySubtask(4), managedOperatorState: {tag: 4, states: [], delegate: {tag: 2, path: `hdfs://nn/cp/${i}`, size: 1}}},
				})),
			),
		]);
		const bytes = writeMetadata(m);
		expect(scanPathStrings(bytes).length).toBe(10);
		expect(scanPathStrings(bytes, {limit: 3}).map((r) => r.text)).toEqual(['hdfs://nn/cp/0', 'hdfs://nn/cp/1', 'hdfs://nn/cp/2']);
		expect(scanPathStrings(bytes, {limit: 0})).toEqual([]);
	});

	it('finds writeUTF paths of < 256 bytes embedded anywhere in random bytes', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.uint8Array({maxLength: 200}), fc.oneof(absoluteArb, uuidArb)), {minLength: 1, maxLength: 20}), (parts) => {
				const chunks: Uint8Array[] = [];
				const expected: string[] = [];
				for (const [junk, p] of parts) {
					const body = encodeModifiedUtf8(p);
					if (body.length >= 256) continue;
					chunks.push(junk, Uint8Array.of(0, body.length), body);
					expected.push(p);
				}
				const t = texts(scanPathStrings(Buffer.concat(chunks)));
				for (const p of expected) expect(t.has(p), p).toBe(true);
			}),
			{numRuns: 500, seed: 99},
		);
	});
});

describe('scanPathStrings on truncated and random input', () => {
	it('lists the paths that end before the cut of a truncated generated file', () => {
		fc.assert(
			fc.property(realisticModelArb, fc.double({min: 0, max: 1, noNaN: true}), (m, fraction) => {
				const bytes = writeMetadata(m);
				const cut = Math.floor(bytes.length * fraction);
				const t = texts(scanPathStrings(bytes.subarray(0, cut)));
				for (const p of filePaths(bytes)) {
					const end = endOfFirstUtf(bytes, p);
					expect(end).toBeGreaterThan(0);
					if (end <= cut) expect(t.has(p), `${p} ends at ${end}, cut at ${cut}`).toBe(true);
				}
			}),
			{numRuns: 200, seed: 7},
		);
	});

	it('terminates quickly with few results on random bytes and adversarial text (linear time)', () => {
		const size = 8 * 1024 * 1024;
		const inputs: [string, Uint8Array][] = [
			['random', noise(size, 12345)],
			['all "a"', new Uint8Array(size).fill(0x61)],
			['all "/"', new Uint8Array(size).fill(0x2f)],
			['"hdfs:" repeated', Buffer.alloc(size, 'hdfs:')],
			['all 0xC3 0xA9 ("é")', Buffer.alloc(size, Buffer.from('é'))],
		];
		for (const [name, bytes] of inputs) {
			const t0 = performance.now();
			const found = scanPathStrings(bytes);
			const ms = performance.now() - t0;
			expect(ms, `${name}: ${ms.toFixed(0)} ms`).toBeLessThan(3000);
			expect(found.length, `${name}: ${found.length} results`).toBeLessThanOrEqual(name === 'random' ? 20 : 2);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// Real files.
// ---------------------------------------------------------------------------------------------

if (!corpusExists) console.log(`[metadata approximate] ${corpusDir} not found: the real-file scanner tests were SKIPPED`);

describe.skipIf(!corpusExists)('scanPathStrings on the real corpus', () => {
	it('finds every tag-2, tag-6 and tag-15 path of every V2+ file the exact reader parses, and the ones before the cut of truncated files', async () => {
		const files = await findCorpus();
		expect(files.length).toBeGreaterThan(0);
		let checked = 0;
		let scanned = 0;
		let bytesTotal = 0;
		let scanMs = 0;
		const withRefs: {bytes: Uint8Array; paths: string[]}[] = [];
		for (const file of files) {
			const bytes = new Uint8Array(readFileSync(file));
			let paths: string[];
			try {
				paths = filePaths(bytes);
			} catch {
				continue; // not parseable here (not a metadata file): nothing to compare with
			}
			const t0 = performance.now();
			const t = texts(scanPathStrings(bytes));
			scanMs += performance.now() - t0;
			scanned++;
			bytesTotal += bytes.length;
			for (const p of paths) expect(t.has(p), `${path.relative(corpusDir, file)}: ${p}`).toBe(true);
			checked += paths.length;
			if (paths.length > 0) withRefs.push({bytes, paths});
		}
		console.log(
			`[metadata approximate] ${scanned} real files (${bytesTotal} bytes) scanned in ${scanMs.toFixed(0)} ms; ${checked} distinct tag-2/6/15 paths, all found`,
		);
		expect(checked).toBeGreaterThan(0);

		// Truncated: the files with the most references, each cut at 8 places.
		withRefs.sort((a, b) => b.paths.length - a.paths.length);
		for (const {bytes, paths} of withRefs.slice(0, 10)) {
			for (let k = 1; k <= 8; k++) {
				const cut = Math.floor((bytes.length * k) / 9);
				const t = texts(scanPathStrings(bytes.subarray(0, cut)));
				for (const p of paths) {
					const end = endOfFirstUtf(bytes, p);
					if (end > 0 && end <= cut) expect(t.has(p), `${p} before cut ${cut}`).toBe(true);
				}
			}
		}
	});
});
