/**
 * The references the parser names while it reads (`readMetadata`, and `readReferences` without the
 * whole state-handle tree) are exactly those `collectReferences` finds in the model, in the same
 * order; the operator summaries of `readReferences` equal those of the whole model; and a damaged
 * file gives `readReferences` the very error it gives `readMetadata`. Over the real-file corpus,
 * the project's fixtures, the hand-built models and generated ones.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {collectReferences, ParseError, readMetadata, readReferences, writeMetadata} from '../../source/metadata/index.js';
import type {CheckpointMetadata, ReadOptions} from '../../source/metadata/types.js';
import {summariseOperators} from '../../source/analysis/operators.js';
import {corpusDir, corpusExists, findCorpus, projectRoot} from '../support/corpus.js';
import {changelog114Model, channelLayoutAModel, everyTagModel, metadataArb, stringsModel, v2Model, v7Model} from './models.js';

if (!corpusExists) console.log(`[reference path] ${corpusDir} not found: the real-file reference-path tests were SKIPPED`);

const FIXTURES = [
	'savepoints/savepoint-3f9a1c-5e0b7d2a9c41',
	'checkpoints/f0e1d2c3b4a5968778695a4b3c2d1e0f/chk-4',
	'checkpoints/3f9a1c2be7d04a5c8e6b1d2f0a9c4e71/chk-5',
	'checkpoints/7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81/chk-7',
	'checkpoints/c4d5e6f708192a3b4c5d6e7f8091a2b3/chk-8',
].map((dir) => path.join(projectRoot, 'fixtures/sample-tree', dir, '_metadata'));

/** The outcome of a read: its error message, or its references and operator summaries (savepoint or not, segments searched or not). */
function outcome(read: () => {metadata: CheckpointMetadata; references: unknown[]}): unknown {
	try {
		const {metadata, references} = read();
		const refs = references as Parameters<typeof summariseOperators>[1];
		const summaries = [false, true].flatMap((savepoint) => [false, true].map((segments) => summariseOperators(metadata, refs, savepoint, {segments})));
		return {references, summaries, checkpointId: metadata.checkpointId, trailer: metadata.trailer?.properties, layout: metadata.layout};
	} catch (error) {
		if (!(error instanceof ParseError)) throw error;
		return {error: error.message, offset: error.offset};
	}
}

/** `bytes` read both ways give the same outcome, and the parser's references are the model's. */
function expectSamePaths(bytes: Uint8Array, options: ReadOptions = {}): void {
	const whole = outcome(() => readMetadata(bytes, options));
	expect(outcome(() => readReferences(bytes, options))).toEqual(whole);
	if (!('error' in (whole as object))) {
		const {metadata, references} = readMetadata(bytes, options);
		expect(references).toEqual(collectReferences(metadata));
	}
}

/** Damaged copies of `bytes`: truncated at several places, and with a byte changed. */
function damaged(bytes: Uint8Array): Uint8Array[] {
	const out: Uint8Array[] = [];
	for (let k = 1; k <= 6; k++) {
		const cut = Math.floor((bytes.length * k) / 7);
		out.push(bytes.subarray(0, cut));
		const flipped = bytes.slice();
		flipped[cut] ^= 0x5a;
		out.push(flipped);
	}
	return out;
}

describe('references named while parsing', () => {
	it('equal collectReferences of the model for the hand-built models, with the same summaries and errors', () => {
		for (const m of [everyTagModel(), changelog114Model(), channelLayoutAModel(), v7Model(), v2Model(), stringsModel()]) {
			const options = {channelLayout: m.layout.channelState, changelogLayout: m.layout.changelog};
			const bytes = writeMetadata(m);
			expect(readMetadata(bytes, options).references).toEqual(collectReferences(m));
			expectSamePaths(bytes, options);
			expectSamePaths(bytes);
			for (const d of damaged(bytes)) expectSamePaths(d, {fileName: 'damaged'});
		}
	});

	it('are the same for the fixtures (and their damaged copies)', () => {
		for (const file of FIXTURES) {
			const bytes = new Uint8Array(readFileSync(file));
			expect(readReferences(bytes).references.length).toBeGreaterThan(0);
			expectSamePaths(bytes, {fileName: file});
			for (const d of damaged(bytes)) expectSamePaths(d, {fileName: file});
		}
	});

	it('are the same for generated models', () => {
		fc.assert(
			fc.property(metadataArb, fc.nat(), (m, at) => {
				const options = {channelLayout: m.layout.channelState, changelogLayout: m.layout.changelog};
				const bytes = writeMetadata(m);
				expect(readMetadata(bytes, options).references).toEqual(collectReferences(m));
				expectSamePaths(bytes, options);
				expectSamePaths(bytes.subarray(0, at % (bytes.length + 1)), options);
			}),
			{numRuns: 300},
		);
	});

	it.skipIf(!corpusExists)('are the same for every file of the real-file corpus (and damaged copies)', async () => {
		const files = await findCorpus();
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const bytes = new Uint8Array(readFileSync(file));
			const name = path.relative(corpusDir, file);
			expectSamePaths(bytes, {fileName: name});
			for (const d of damaged(bytes).slice(0, 4)) expectSamePaths(d, {fileName: name});
		}
	});
});
