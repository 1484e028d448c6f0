import {describe, expect, it} from 'vitest';
import {classifyRemoteInputs} from '../../source/store/remote.js';
import {isRemoteRoot, normaliseStoreUri, parseS3Uri, s3Uri, storeKindOf, uriPrefixOf} from '../../source/store/uri.js';

describe('store URIs', () => {
	it('s3a, s3n and s3p are s3; slashes collapsed, no trailing slash', () => {
		expect(normaliseStoreUri('S3A://b/x//y/')).toBe('s3://b/x/y');
		expect(normaliseStoreUri('s3n://b')).toBe('s3://b');
		expect(normaliseStoreUri('s3p://b/k')).toBe('s3://b/k');
		expect(normaliseStoreUri('/local/path/')).toBe('/local/path/');
		expect(normaliseStoreUri('hdfs://nn:8020/a/')).toBe('hdfs://nn:8020/a');
	});

	it('S3 and HDFS URIs are remote roots, of their store kind', () => {
		expect(['s3://b/p', 's3a://b', 'S3N://b/x', 'hdfs://nn/x', 'webhdfs://nn:9870/x', 'swebhdfs://nn/x'].map(isRemoteRoot)).toEqual([
			true,
			true,
			true,
			true,
			true,
			true,
		]);
		expect(['/tmp/x', 'file:///x', 'gs://b/x', 's3:/b/x', 'relative/s3://x'].map(isRemoteRoot)).toEqual([false, false, false, false, false]);
		expect(['s3a://b/x', 'hdfs://nn:8020/x', 'webhdfs://nn/x', '/tmp/x'].map(storeKindOf)).toEqual(['s3', 'hdfs', 'hdfs', undefined]);
		expect(uriPrefixOf('hdfs://nn:8020//a/b/')).toBe('hdfs://nn:8020');
	});

	it('splits bucket and key, and names a path that is not an S3 URI', () => {
		expect(parseS3Uri('s3a://b/x/y/')).toEqual({bucket: 'b', key: 'x/y'});
		expect(parseS3Uri('s3://b')).toEqual({bucket: 'b', key: ''});
		expect(() => parseS3Uri('s3:///x')).toThrow(/^s3:\/\/\/x: not an S3 URI/);
		expect(s3Uri('b', 'x/chk-1/')).toBe('s3://b/x/chk-1');
	});

	it('sorts remote inputs as local ones: a _metadata is a file (its chk-<n> a root too), roots inside roots dropped', () => {
		const job = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
		expect(classifyRemoteInputs([`s3a://b/cp/${job}/chk-3/_metadata`, 's3://b/cp/', `s3://b/cp/${job}`, 's3://b/other/_metadata'])).toEqual({
			roots: ['s3://b/cp'],
			metadataFiles: [`s3://b/cp/${job}/chk-3/_metadata`, 's3://b/other/_metadata'],
		});
	});
});
