import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {classifyPath, directoryAbove, DirectorySet, formatUri, isInside, parseUri, PathIndex, uriKey} from '../../source/tree/layout.js';

const JOB = '0123456789abcdef0123456789abcdef';
const JOB2 = 'fedcba9876543210fedcba9876543210';

describe('classifyPath', () => {
	it('classifies the checkpoint layout', () => {
		expect(classifyPath(`/cp/${JOB}`)).toMatchObject({kind: 'job', jobId: JOB, jobDir: `/cp/${JOB}`, storageDir: null});
		expect(classifyPath(`/cp/${JOB}/chk-42`)).toMatchObject({kind: 'chk', jobId: JOB, storageKind: 'chk', storageDir: `/cp/${JOB}/chk-42`, checkpointId: 42});
		expect(classifyPath(`/cp/${JOB}/chk-42/_metadata`)).toMatchObject({kind: 'metadata', storageKind: 'chk', checkpointId: 42});
		expect(classifyPath(`/cp/${JOB}/chk-42/._metadata.inprogress.1234-abcd`)).toMatchObject({kind: 'inprogress-metadata', storageKind: 'chk'});
		expect(classifyPath(`/cp/${JOB}/chk-42/4261ab44-1111`)).toMatchObject({kind: 'other', storageKind: 'chk', storageDir: `/cp/${JOB}/chk-42`});
		expect(classifyPath(`/cp/${JOB}/shared/x.sst`)).toMatchObject({kind: 'other', storageKind: 'shared', storageDir: `/cp/${JOB}/shared`, jobId: JOB});
		expect(classifyPath(`/cp/${JOB}/taskowned/`)).toMatchObject({kind: 'taskowned', storageKind: 'taskowned'});
		expect(classifyPath(`/dstl/${JOB}/dstl/abc`)).toMatchObject({kind: 'other', storageKind: 'changelog', jobId: JOB});
	});

	it('classifies file-merging directories only under shared/ and taskowned/', () => {
		const op = classifyPath(`/cp/${JOB}/shared/job_${JOB}_op_abc_def_3_8/file`);
		expect(op).toMatchObject({kind: 'other', storageKind: 'file-merging', storageDir: `/cp/${JOB}/shared/job_${JOB}_op_abc_def_3_8`, jobId: JOB});
		expect(op.fileMerging).toEqual({scope: 'shared', jobId: JOB, operatorId: 'abc_def', subtaskIndex: 3, parallelism: 8});
		const tm = classifyPath(`/cp/${JOB}/taskowned/job_${JOB}_tm_localhost-40123-abc`);
		expect(tm).toMatchObject({kind: 'file-merging', storageKind: 'file-merging'});
		expect(tm.fileMerging).toMatchObject({scope: 'exclusive', taskManager: 'localhost-40123-abc'});
		expect(classifyPath(`/cp/${JOB}/chk-1/job_${JOB}_tm_x`).storageKind).toBe('chk');
	});

	it('classifies savepoints, nested jobs and non-layout paths', () => {
		expect(classifyPath('/sp/savepoint-3c7c0a-07c49f841952')).toMatchObject({kind: 'savepoint', storageKind: 'savepoint', jobId: null});
		expect(classifyPath('/sp/savepoint-3c7c0a-07c49f841952/abc')).toMatchObject({kind: 'other', storageDir: '/sp/savepoint-3c7c0a-07c49f841952'});
		expect(classifyPath('/sp/savepoint-3c7c0a-07c49f84195').kind).toBe('other');
		expect(classifyPath(`/a/${JOB}/x/${JOB2}/chk-1`)).toMatchObject({jobId: JOB2, jobDir: `/a/${JOB}/x/${JOB2}`});
		expect(classifyPath('/tmp/shared/x').storageKind).toBeNull();
		expect(classifyPath('/base/chk-7').checkpointId).toBe(7); // create-subdir=false
		expect(classifyPath(`/cp/${JOB.toUpperCase()}`).kind).toBe('other');
	});
});

describe('parseUri', () => {
	it('parses the schemes Flink writes', () => {
		expect(parseUri('file:/tmp/x')).toEqual({scheme: 'file', authority: null, path: '/tmp/x', slashes: false});
		expect(parseUri('file:///tmp/x/')).toEqual({scheme: 'file', authority: null, path: '/tmp/x', slashes: true});
		expect(parseUri('hdfs://nn:8020/flink//cp')).toEqual({scheme: 'hdfs', authority: 'nn:8020', path: '/flink/cp', slashes: true});
		expect(parseUri('hdfs:/flink/cp')).toEqual({scheme: 'hdfs', authority: null, path: '/flink/cp', slashes: false});
		expect(parseUri('s3://bucket/key/a')).toMatchObject({scheme: 's3', authority: 'bucket', path: '/key/a'});
		expect(parseUri('s3a://bucket')).toMatchObject({scheme: 's3a', authority: 'bucket', path: '/'});
		expect(parseUri('s3p://b/k')?.scheme).toBe('s3p');
		expect(parseUri('oss://b/k')?.scheme).toBe('oss');
		expect(parseUri('gs://b/k')?.authority).toBe('b');
		expect(parseUri('abfss://c@acct.dfs.core.windows.net/p')).toMatchObject({scheme: 'abfss', authority: 'c@acct.dfs.core.windows.net', path: '/p'});
		expect(parseUri('abfs://c@a/p')?.scheme).toBe('abfs');
		expect(parseUri('viewfs://cluster/p')?.authority).toBe('cluster');
		expect(parseUri('wasbs://c@a.blob.core.windows.net/p')?.scheme).toBe('wasbs');
		expect(parseUri('wasb://c@a/p')?.scheme).toBe('wasb');
		expect(parseUri('HDFS://NN/p')?.scheme).toBe('hdfs');
		expect(parseUri('/plain/path')).toEqual({scheme: null, authority: null, path: '/plain/path', slashes: false});
	});

	it('returns null for relative names', () => {
		expect(parseUri('4261ab44-5d8e-4bb6-9c43-9a1f4a2bd08b')).toBeNull();
		expect(parseUri('0123456789abcdef')).toBeNull();
		expect(parseUri('C:/x')).toBeNull();
	});

	it('formats and keys URIs', () => {
		const u = parseUri('hdfs://nn/flink/cp/x')!;
		expect(formatUri(u, '/flink/cp')).toBe('hdfs://nn/flink/cp');
		expect(formatUri(parseUri('file:/a/b')!, '/a')).toBe('file:/a');
		expect(uriKey(parseUri('file:/a/b')!)).toBe(uriKey(parseUri('file:///a/b')!));
		expect(isInside('/a/b', '/a')).toBe(true);
		expect(isInside('/ab', '/a')).toBe(false);
		expect(isInside('/a', '/')).toBe(true);
	});
});

describe('DirectorySet', () => {
	it('answers like isInside against each directory, for few and for many directories', () => {
		// Short segments from a small alphabet, so that paths often share prefixes and lengths.
		const segment = fc.constantFrom('a', 'b', 'ab', 'chk-1', 'chk-10', 'shared');
		const path = fc.array(segment, {minLength: 0, maxLength: 4}).map((parts) => `/${parts.join('/')}`.replace(/^\/$/, '/'));
		fc.assert(
			fc.property(fc.array(path, {maxLength: 12}), fc.array(path, {minLength: 1, maxLength: 20}), (dirs, paths) => {
				const set = new DirectorySet(dirs);
				for (const p of paths) expect(set.contains(p)).toBe(dirs.some((d) => isInside(p, d)));
			}),
			{numRuns: 500},
		);
	});

	it('contains a directory, what lies below it, and not a sibling with a longer name', () => {
		const dirs = ['/cp/j/chk-1', '/cp/j/chk-2', '/cp/j/chk-3', '/cp/j/chk-4', '/cp/j/chk-10'];
		const set = new DirectorySet(dirs);
		expect(set.contains('/cp/j/chk-1')).toBe(true);
		expect(set.contains('/cp/j/chk-1/_metadata')).toBe(true);
		expect(set.contains('/cp/j/chk-10/x')).toBe(true);
		expect(set.contains('/cp/j/chk-11/x')).toBe(false);
		expect(set.contains('/cp/j/chk-1x')).toBe(false);
		expect(set.contains('/cp/j')).toBe(false);
		expect(new DirectorySet([]).contains('/')).toBe(false);
		expect(new DirectorySet([...dirs, '/']).contains('/anything')).toBe(true);
	});
});

describe('PathIndex', () => {
	// Short segments from a small alphabet, so that paths often share prefixes and lengths; some
	// relative paths and the root too.
	const segment = fc.constantFrom('a', 'b', 'ab', 'chk-1', 'chk-10', 'shared');
	const path = fc
		.tuple(fc.boolean(), fc.array(segment, {minLength: 0, maxLength: 4}))
		.map(([absolute, parts]) => (absolute ? `/${parts.join('/')}` : parts.join('/') || 'a'));

	it('answers like isInside against each path added, with the first value added', () => {
		fc.assert(
			fc.property(fc.array(path, {maxLength: 12}), fc.array(path, {minLength: 1, maxLength: 20}), (added, asked) => {
				const index = new PathIndex<number>();
				added.forEach((p, i) => index.add(p, i));
				const first = (ok: (p: string) => boolean): number | undefined => {
					const i = added.findIndex(ok);
					return i === -1 ? undefined : i;
				};
				for (const q of asked) {
					expect(index.atOrBelow(q)).toBe(first((p) => isInside(p, q)));
					expect(index.atOrAbove(q)).toBe(first((p) => isInside(q, p)));
					expect(index.touching(q)).toBe(first((p) => isInside(p, q) || isInside(q, p)));
				}
			}),
			{numRuns: 500},
		);
	});

	it('walks up by isInside: each directory above a path holds it, and nothing else does', () => {
		expect(directoryAbove('/cp/j/chk-1')).toBe('/cp/j');
		expect(directoryAbove('/cp')).toBe('/');
		expect(directoryAbove('/')).toBeNull();
		expect(directoryAbove('a/b')).toBe('a');
		expect(directoryAbove('a')).toBeNull();
		fc.assert(
			fc.property(path, path, (p, q) => {
				const above: string[] = [];
				for (let d = directoryAbove(p); d !== null; d = directoryAbove(d)) above.push(d);
				expect(above.includes(q)).toBe(q !== p && isInside(p, q));
			}),
			{numRuns: 1000},
		);
	});
});
