/**
 * References outside the tree are resolved by written directory (issue #25): a plain file name's
 * key is its directory's and its name. Two spellings of one file are still one file, and spellings
 * where a directory's key plus a name is not the file's key (`hdfs:/` + `/w` is authority `w`; a
 * `?` ends a URI's path) are still resolved one by one.
 */
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {buildAnalysis} from '../../source/analysis/build.js';
import {scanTree} from '../../source/tree/scan.js';
import {loaded, readResult, ref, tempTree} from './helpers.js';

const J = '44444444444444444444444444444444';
const cleanup: string[] = [];
afterAll(() => {
	for (const d of cleanup) rmSync(d, {recursive: true, force: true});
});

/** The analysis of a tree whose one checkpoint, `chk-<id>` of job J, has `references`. */
async function analyseCheckpoint(id: number, references: ReturnType<typeof ref>[]) {
	const t = tempTree('fcx-outside-');
	cleanup.push(t.dir);
	const mtime = Date.now() - 86_400_000;
	t.put(`${J}/chk-${id}/_metadata`, 10, mtime);
	const scan = await scanTree([t.dir]);
	return buildAnalysis(scan, [loaded(join(t.dir, J, `chk-${id}`), readResult(id, references), mtime)], {minAgeMs: 0});
}

it('counts each file outside the tree once, however its directory is spelt', async () => {
	const references = [
		ref('file', 'hdfs://nn/a/x', 5),
		ref('file', 'hdfs://nn/a/y', 7),
		ref('file', 'hdfs://nn//a/x', 5),
		ref('file', 'hdfs://nn/a/../a/y', 7),
		ref('file', 'hdfs://nn/b/./z', 11),
		ref('file', 'hdfs://nn/b/z', 11),
		ref('file', 'hdfs:/w', 3),
		ref('file', 'hdfs://w', 13),
		ref('file', 'hdfs://nn/q?v=1/u', 17),
		ref('file', 'hdfs://nn/q?v=1/t', 19),
	];
	const a = await analyseCheckpoint(3, references);
	const cp = a.checkpoints[0];
	// x, y, z, hdfs:///w, hdfs://w, and the two files below `/q?v=1` (Flink's Path keeps `?` in the path).
	expect(cp.outside).toBe(7);
	expect(cp.files.map((f) => [f.uri, f.path])).toEqual([
		['hdfs://nn/a/x', null],
		['hdfs://nn/a/y', null],
		['hdfs://nn/b/./z', null],
		['hdfs:/w', null],
		['hdfs://w', null],
		['hdfs://nn/q?v=1/u', null],
		['hdfs://nn/q?v=1/t', null],
	]);
	expect(cp.sizes.referencedBytes).toBe(5 + 7 + 11 + 3 + 13 + 17 + 19);
	// Their places: the directories as written (files of one directory share one).
	expect(cp.dependencies.map((d) => [d.path, d.kind, d.files, d.bytes, d.local])).toEqual([
		['hdfs:/', 'other', 1, 3, false],
		['hdfs://nn/a', 'other', 2, 12, false],
		['hdfs://nn/b', 'other', 1, 11, false],
		['hdfs://nn/q?v=1', 'other', 2, 36, false],
		['hdfs://w', 'other', 1, 13, false],
	]);
	expect(cp.status).toBe('complete');
});

it('finds a file outside the tree spelt in a second directory after that directory’s other names', async () => {
	// The names of `hdfs://nn/a` after its first are listed, not hashed (`otherEntryOfUniqueName`):
	// `hdfs://nn//a` (the same key) must still find `v` and `w` among them.
	const references = [
		ref('file', 'hdfs://nn/a/x', 1),
		ref('file', 'hdfs://nn/a/v', 2),
		ref('file', 'hdfs://nn/a/w', 4),
		ref('file', 'hdfs://nn//a/q', 8),
		ref('file', 'hdfs://nn//a/w', 4),
		ref('file', 'hdfs://nn//a/v', 2),
		ref('file', 'hdfs://nn//a/r', 16),
	];
	const a = await analyseCheckpoint(4, references);
	const cp = a.checkpoints[0];
	expect(cp.outside).toBe(5);
	expect(cp.files.map((f) => f.uri)).toEqual(['hdfs://nn/a/x', 'hdfs://nn/a/v', 'hdfs://nn/a/w', 'hdfs://nn//a/q', 'hdfs://nn//a/r']);
	expect(cp.sizes.referencedBytes).toBe(1 + 2 + 4 + 8 + 16);
});
