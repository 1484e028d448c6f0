import {rmSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {explicitMappings} from '../../source/analysis/resolution.js';
import {Resolver} from '../../source/analysis/resolve.js';
import {scanTree} from '../../source/tree/scan.js';
import {ref, tempTree} from './helpers.js';

const JOB_A = '0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a';
const JOB_B = '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b';

describe('Resolver', () => {
	it('resolves every file of a directory as the rules resolve it alone (per-directory memo)', async () => {
		const tree = tempTree('fcx-resolve-');
		tree.put(`cp/${JOB_A}/chk-3/_metadata`, 10);
		tree.put(`cp/${JOB_A}/shared/one`, 1);
		tree.put(`cp/${JOB_B}/shared/two`, 1);
		tree.put('sp/savepoint-0a0a0a-0123456789ab/_metadata', 10);
		const scan = await scanTree([tree.dir]);
		rmSync(tree.dir, {recursive: true, force: true}); // the scan is all the resolver reads
		const mappings = explicitMappings([{remote: 'hdfs://nn/elsewhere/shared/mapped-file', local: `${tree.dir}/mapped`}]);
		const snapshotDirs = [`${tree.dir}/cp/${JOB_A}/chk-3`, `${tree.dir}/sp/savepoint-0a0a0a-0123456789ab`];
		const teach = (resolver: Resolver): void => {
			resolver.learn(snapshotDirs[0], [ref('file', `hdfs://nn/flink/cp/${JOB_A}/chk-3/exclusive`, 1)]);
		};
		const uris = [
			`hdfs://nn/flink/cp/${JOB_A}/shared/one`,
			`hdfs://nn/flink/cp/${JOB_A}/shared/two`,
			`hdfs://nn/flink/cp/${JOB_A}/shared/chk-5`,
			`hdfs://nn/flink/cp/${JOB_A}/shared/${JOB_B}`,
			`hdfs://nn/flink/cp/${JOB_B}/shared/two`,
			`hdfs://nn/flink/cp/${JOB_B}/shared/three`,
			`hdfs://nn/flink/cp/0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c/shared/x`,
			`hdfs://nn/flink/cp/0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c/shared/y`,
			'hdfs://nn/elsewhere/shared/other-file',
			'hdfs://nn/elsewhere/shared/mapped-file',
			's3://bucket/sp/savepoint-0a0a0a-0123456789ab/a',
			's3://bucket/sp/savepoint-0a0a0a-0123456789ab/b',
			`file://${tree.dir}/cp/${JOB_A}/shared/one`,
			`${tree.dir}/cp/${JOB_A}/shared/one`,
			`${tree.dir}/cp/${JOB_A}/shared/gone`,
			'/nowhere/at/all/f1',
			'/nowhere/at/all/f2',
			'relative-name',
			'hdfs://nn//flink//cp/x',
		];
		const sequential = new Resolver(scan, mappings, snapshotDirs);
		teach(sequential);
		for (const uri of [...uris, ...[...uris].reverse()]) {
			const alone = new Resolver(scan, mappings, snapshotDirs);
			teach(alone);
			expect(sequential.resolveUri(uri), uri).toEqual(alone.resolveUri(uri));
		}
		expect(sequential.resolveUri('hdfs://nn/elsewhere/shared/mapped-file')?.path).toBe(`${tree.dir}/mapped`);
		expect(sequential.resolveUri(`hdfs://nn/flink/cp/${JOB_B}/shared/three`)?.path).toBe(`${tree.dir}/cp/${JOB_B}/shared/three`);
	});

	it('guesses where a written directory lies locally, by what it learnt so far, without changing any resolution', async () => {
		const tree = tempTree('fcx-guess-');
		tree.put(`copy/${JOB_A}/chk-3/_metadata`, 10);
		const scan = await scanTree([`${tree.dir}/copy/${JOB_A}/chk-3`]);
		const mappings = explicitMappings([{remote: 'hdfs://nn/mapped', local: `${tree.dir}/m`}]);
		const snapshotDirs = [`${tree.dir}/copy/${JOB_A}/chk-3`];
		const guessing = new Resolver(scan, mappings, snapshotDirs);
		const shared = `hdfs://nn/flink/cp/${JOB_A}/shared`;
		// Nothing anchors the job's remote directory yet.
		expect(guessing.guessLocalDir(shared)).toBeUndefined();
		expect(guessing.guessLocalDir('/local/dir')).toBe('/local/dir');
		const anchor = (resolver: Resolver): void => resolver.anchor(snapshotDirs[0], 'checkpoint', 3, [ref('file', `hdfs://nn/flink/cp/${JOB_A}/chk-3/x`, 1)]);
		anchor(guessing);
		const guesses = {
			[shared]: `${tree.dir}/copy/${JOB_A}/shared`,
			'hdfs://nn/mapped/dir': `${tree.dir}/m/dir`,
			'file:///local/dir': '/local/dir',
			'/local/dir': '/local/dir',
			's3://bucket/elsewhere': undefined,
			shared: undefined,
		};
		for (const [dir, local] of Object.entries(guesses)) expect(guessing.guessLocalDir(dir), dir).toBe(local);
		// No side effect: the resolutions and the mappings used are those of a resolver that guessed nothing.
		const plain = new Resolver(scan, mappings, snapshotDirs);
		anchor(plain);
		for (const dir of Object.keys(guesses)) expect(guessing.resolveUri(`${dir}/f`), dir).toEqual(plain.resolveUri(`${dir}/f`));
		expect(guessing.mappings()).toEqual(plain.mappings());
	});
});
