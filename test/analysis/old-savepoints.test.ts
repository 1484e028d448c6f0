/**
 * #21.6: savepoints in format versions 2 and 3 (Flink 1.3 to 1.15) have no properties trailer, so
 * their kind comes from their directory: `savepoint-…` (Flink's name, kept by most copies and
 * renames) or a directory below `savepoints/`. Real files from the corpus, copied into a temp tree.
 */
import {copyFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {isSavepointLocation} from '../../source/tree/layout.js';
import {corpusDir, corpusExists, reportSkippedCorpus} from '../support/corpus.js';
import {tempDir} from '../support/temp.js';

reportSkippedCorpus('old-savepoints', 'v2/v3 savepoint classification');

const V2 = 'apache+flink/flink-end-to-end-tests/flink-state-evolution-test/savepoints/1.6/_metadata';
const V3 = 'apache+flink/flink-tests/src/test/resources/new-stateful-udf-migration-itcase-flink1.11-savepoint/_metadata';

describe('isSavepointLocation', () => {
	test("Flink's savepoint directory name, a renamed savepoint-… copy, anything below savepoints/", () => {
		expect(isSavepointLocation('/d/savepoint-3c7c0a-07c49f841952')).toBe(true);
		expect(isSavepointLocation('/d/savepoint-flink1.11')).toBe(true);
		expect(isSavepointLocation('/d/savepoints/1.6')).toBe(true);
		expect(isSavepointLocation('/d/savepoints/nightly/2024-01-01')).toBe(true);
	});

	test('checkpoints are not: chk-<n> (also below savepoints/), other names, storage directories', () => {
		expect(isSavepointLocation('/d/savepoints/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1/chk-4')).toBe(false);
		expect(isSavepointLocation('/d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1/chk-4')).toBe(false);
		expect(isSavepointLocation('/d/checkpoints/x')).toBe(false);
		expect(isSavepointLocation('/d/savepoints')).toBe(false);
		expect(isSavepointLocation('/d/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1/chk-4/savepoint-x')).toBe(false);
		expect(isSavepointLocation('/')).toBe(false);
	});
});

describe.skipIf(!corpusExists)('v2/v3 savepoints in a tree', () => {
	test('are listed as savepoints by their directory; the same file elsewhere stays a checkpoint', async () => {
		const dir = tempDir('fcx-old-savepoints-');
		const put = (source: string, rel: string): void => {
			mkdirSync(join(dir, rel), {recursive: true});
			copyFileSync(join(corpusDir, source), join(dir, rel, '_metadata'));
		};
		put(V2, 'savepoints/1.6');
		put(V3, 'copies/savepoint-flink1.11');
		put(V3, 'copies/savepoint-abcdef-0123456789ab');
		put(V3, 'copies/x');
		const analysis = await analyse([dir], {minAgeMs: 0});
		const kinds = Object.fromEntries(analysis.checkpoints.map((cp) => [cp.path.slice(dir.length + 1), [cp.kind, cp.formatVersion, cp.status]]));
		expect(kinds).toEqual({
			'savepoints/1.6': ['savepoint', 2, 'complete'],
			'copies/savepoint-flink1.11': ['savepoint', 3, 'complete'],
			'copies/savepoint-abcdef-0123456789ab': ['savepoint', 3, 'complete'],
			'copies/x': ['checkpoint', 3, 'complete'],
		});
	});
});
