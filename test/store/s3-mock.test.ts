/**
 * The S3 store where s3rver differs from S3 or cannot be made to fail, against a client mock
 * (aws-sdk-client-mock): throttling (503 SlowDown) retried with backoff, ListMultipartUploads
 * (s3rver answers NotImplemented), directory markers, reads over the cap.
 */
import {GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client, S3ServiceException} from '@aws-sdk/client-s3';
import {mockClient} from 'aws-sdk-client-mock';
import {beforeEach, describe, expect, it} from 'vitest';
import {createS3Store} from '../../source/store/s3.js';
import {scanStore} from '../../source/store/scan-result.js';
import {StoreError} from '../../source/store/types.js';

// The SDK's notice that its later versions need Node 22 (the version is pinned, see the readme).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const s3 = mockClient(S3Client);

function serviceError(name: string, status: number): S3ServiceException {
	return new S3ServiceException({name, $fault: status >= 500 ? 'server' : 'client', $metadata: {httpStatusCode: status}, message: name});
}

async function store(maxAttempts = 4): Promise<Awaited<ReturnType<typeof createS3Store>>> {
	return createS3Store({client: new S3Client({region: 'us-east-1'}), maxAttempts, backoffMs: () => 1});
}

async function listAll(s: Awaited<ReturnType<typeof store>>, path: string, recursive = true): Promise<string[]> {
	const out: string[] = [];
	for await (const batch of s.list(path, {recursive})) for (const e of batch) out.push(`${e.kind} ${e.path} ${e.size}`);
	return out;
}

beforeEach(() => {
	s3.reset();
});

describe('S3 store (client mock: what s3rver cannot show)', () => {
	it('retries a listing throttled with 503 SlowDown and gets every page, in order', async () => {
		s3.on(ListObjectsV2Command)
			.rejectsOnce(serviceError('SlowDown', 503))
			.rejectsOnce(serviceError('SlowDown', 503))
			.resolvesOnce({Contents: [{Key: 'p/a', Size: 1}], IsTruncated: true, NextContinuationToken: 't1'})
			.rejectsOnce(serviceError('SlowDown', 503))
			.resolvesOnce({Contents: [{Key: 'p/b', Size: 2}], IsTruncated: false});
		expect(await listAll(await store(), 's3://b/p')).toEqual(['file s3://b/p/a 1', 'file s3://b/p/b 2']);
		const tokens = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.ContinuationToken);
		expect(tokens).toEqual([undefined, undefined, undefined, 't1', 't1']);
	});

	it('gives up after maxAttempts with a throttled StoreError naming the path', async () => {
		s3.on(ListObjectsV2Command).rejects(serviceError('SlowDown', 503));
		const error = await listAll(await store(3), 's3://b/p').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StoreError);
		expect((error as StoreError).code).toBe('throttled');
		expect((error as StoreError).message).toMatch(/^s3:\/\/b\/p: still throttled/);
		expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(3);
	});

	it('does not retry access denied', async () => {
		s3.on(ListObjectsV2Command).rejects(serviceError('AccessDenied', 403));
		const error = await listAll(await store(), 's3://b/p').catch((e: unknown) => e);
		expect((error as StoreError).code).toBe('permission-denied');
		expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
	});

	it('a zero-byte key ending in / is a directory, never a file; common prefixes are directories', async () => {
		s3.on(ListObjectsV2Command).resolves({
			Contents: [
				{Key: 'p/chk-1/', Size: 0},
				{Key: 'p/chk-1/x', Size: 3},
			],
			CommonPrefixes: [{Prefix: 'p/shared/'}],
		});
		expect(await listAll(await store(), 's3://b/p', false)).toEqual(['directory s3://b/p/shared 0', 'directory s3://b/p/chk-1 0', 'file s3://b/p/chk-1/x 3']);
	});

	it('lists incomplete multipart uploads (paged); a store without them says not-implemented', async () => {
		const initiated = new Date('2026-11-01T12:00:00Z');
		s3.on(ListMultipartUploadsCommand)
			.resolvesOnce({Uploads: [{Key: 'p/j/chk-9/_metadata', Initiated: initiated}], IsTruncated: true, NextKeyMarker: 'k', NextUploadIdMarker: 'u'})
			.resolvesOnce({Uploads: [{Key: 'p/j/shared/x', Initiated: initiated}], IsTruncated: false});
		expect(await (await store()).listPending('s3://b/p')).toEqual([
			{path: 's3://b/p/j/chk-9/_metadata', initiatedMs: initiated.getTime()},
			{path: 's3://b/p/j/shared/x', initiatedMs: initiated.getTime()},
		]);
		expect(s3.commandCalls(ListMultipartUploadsCommand)[1].args[0].input).toMatchObject({Prefix: 'p/', KeyMarker: 'k', UploadIdMarker: 'u'});
		s3.on(ListMultipartUploadsCommand).rejects(serviceError('NotImplemented', 501));
		expect(((await (await store()).listPending('s3://b/p').catch((e: unknown) => e)) as StoreError).code).toBe('not-implemented');
	});

	it('an incomplete upload in chk-<n> makes the checkpoint changed now (possibly in progress) and is a warning', async () => {
		const job = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
		s3.on(ListObjectsV2Command, {Delimiter: '/'}).resolves({CommonPrefixes: [{Prefix: `p/${job}/`}]});
		s3.on(ListObjectsV2Command, {Prefix: `p/${job}/`}).resolves({
			Contents: [{Key: `p/${job}/chk-9/part`, Size: 5, LastModified: new Date('2026-01-01T00:00:00Z')}],
		});
		s3.on(ListMultipartUploadsCommand).resolves({Uploads: [{Key: `p/${job}/chk-9/_metadata`, Initiated: new Date('2026-01-01T00:00:00Z')}]});
		const now = Date.parse('2026-12-01T00:00:00Z');
		const scan = await scanStore(await store(), ['s3://b/p'], {nowMs: now});
		expect(scan.directories.get(`s3://b/p/${job}/chk-9`)?.mtimeMs).toBe(now);
		expect(scan.files.get(`s3://b/p/${job}/chk-9/part`)?.size).toBe(5);
		expect(scan.warnings.map((w) => [w.code, w.path])).toEqual([['pending-upload', `s3://b/p/${job}/chk-9/_metadata`]]);
		expect(scan.warnings[0].message).toMatch(/possibly in progress/);
	});

	it('a chk-<n> whose only content is an incomplete upload is a directory of its job all the same', async () => {
		const job = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
		s3.on(ListObjectsV2Command).resolves({});
		s3.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
		s3.on(ListMultipartUploadsCommand).resolves({Uploads: [{Key: `p/${job}/chk-10/_metadata`}]});
		const scan = await scanStore(await store(), ['s3://b/p'], {nowMs: 5});
		expect([...scan.directories.keys()].sort()).toEqual(['s3://b/p', `s3://b/p/${job}`, `s3://b/p/${job}/chk-10`]);
		expect(scan.directories.get(`s3://b/p/${job}/chk-10`)?.layout.kind).toBe('chk');
	});

	it('reads a file whole only under the cap (too-large otherwise) and a range by the Range header', async () => {
		const body = (bytes: number[]) => ({transformToByteArray: async () => new Uint8Array(bytes), destroy: () => undefined});
		s3.on(GetObjectCommand).resolves({ContentLength: 10, Body: body([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) as never});
		const s = await store();
		expect(((await s.read('s3://b/k', {maxBytes: 9}).catch((e: unknown) => e)) as StoreError).code).toBe('too-large');
		expect((await s.read('s3://b/k', {maxBytes: 10})).length).toBe(10);
		s3.on(GetObjectCommand).resolves({Body: body([3, 4]) as never});
		expect([...(await s.readRange('s3://b/k', 2, 2))]).toEqual([3, 4]);
		expect(s3.commandCalls(GetObjectCommand).at(-1)?.args[0].input.Range).toBe('bytes=2-3');
	});
});
