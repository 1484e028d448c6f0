import {readdirSync, readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {OperatorBytes, summariseOperators} from '../../source/analysis/operators.js';
import {readMetadata} from '../../source/metadata/index.js';
import {corpusExists, findCorpus, projectRoot} from '../support/corpus.js';
import type {CheckpointMetadata, FileReference, OperatorState, ReferenceHandle} from '../../source/metadata/types.js';

const OPERATORS = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];

function metadataOf(operatorIds: readonly string[]): CheckpointMetadata {
	const operators: OperatorState[] = operatorIds.map((operatorId) => ({
		operatorId,
		parallelism: 1,
		maxParallelism: 128,
		coordinatorState: null,
		fullyFinished: false,
		subtasks: [],
	}));
	return {version: 3, checkpointId: 1, masterStates: [], operators, layout: {channel: 'B', flink: '1.15'}} as unknown as CheckpointMetadata;
}

const reference: fc.Arbitrary<FileReference> = fc
	.record({
		handle: fc.constantFrom<ReferenceHandle>('file', 'relative', 'segment', 'inline', 'directory'),
		path: fc.constantFrom('hdfs://nn/cp/job/shared/x', 'hdfs://nn/cp/job/shared/y', 'x', 'r:x', '/tmp/cp/job/chk-1/z'),
		size: fc.oneof(fc.constantFrom(-1, 0), fc.integer({min: 1, max: 1000})),
		operatorId: fc.constantFrom(...OPERATORS, 'd'.repeat(32)),
		startPos: fc.integer({min: 0, max: 3}),
	})
	.map(({handle, path, size, operatorId, startPos}) => {
		const ref: FileReference = {handle, path, size, operatorId, subtaskIndex: 0, slot: 'managedKeyedState', role: 'shared'};
		if (handle === 'segment') ref.startPos = startPos;
		return ref;
	});

describe('OperatorBytes', () => {
	it('sums what summariseOperators sums, from references numbered by written path and kind, as the builder numbers them', () => {
		fc.assert(
			fc.property(fc.array(reference, {maxLength: 80, size: 'large'}), (references) => {
				const metadata = metadataOf(OPERATORS);
				const expected = summariseOperators(metadata, references, false).map((op) => op.bytes);
				const summaries = summariseOperators(metadata, references, false, {bytes: false});
				expect(summaries.every((op) => op.bytes === 0)).toBe(true);
				// One file per written path and kind (relative or not), ids in order of appearance.
				const ids = new Map<string, number>();
				const bytes = new OperatorBytes(summaries);
				for (const ref of references) {
					const key = `${ref.handle === 'relative' ? 'relative' : 'absolute'} ${ref.path}`;
					if (!ids.has(key)) ids.set(key, ids.size);
					bytes.add(ref, ref.handle === 'inline' ? -1 : ids.get(key)!);
				}
				expect(summaries.map((op) => op.bytes)).toEqual(expected);
			}),
			{numRuns: 500},
		);
	});
});

describe('summariseOperators without the search for segments', () => {
	it('summarises every corpus and sample-tree file as with it, when told by the references that there is no segment', async () => {
		const files = [...(corpusExists ? await findCorpus() : []), ...findMetadata(resolve(projectRoot, 'fixtures/sample-tree'))];
		expect(files.length).toBeGreaterThan(0);
		let withSegments = 0;
		for (const file of files) {
			let result: ReturnType<typeof readMetadata>;
			try {
				result = readMetadata(readFileSync(file), {fileName: file});
			} catch {
				continue;
			}
			const segments = result.references.some((r) => r.handle === 'segment');
			if (segments) withSegments++;
			for (const savepoint of [false, true]) {
				expect(summariseOperators(result.metadata, result.references, savepoint, {segments}), file).toEqual(
					summariseOperators(result.metadata, result.references, savepoint),
				);
			}
		}
		expect(withSegments).toBeGreaterThan(0);
	});
});

function findMetadata(dir: string): string[] {
	return readdirSync(dir, {recursive: true, encoding: 'utf8'})
		.filter((p) => p === '_metadata' || p.endsWith('/_metadata'))
		.map((p) => resolve(dir, p));
}
