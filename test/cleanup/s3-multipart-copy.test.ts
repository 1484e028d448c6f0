/**
 * Quarantining an S3 object over 5 GiB (one CopyObject's limit) by multipart copy, against a
 * client mock (aws-sdk-client-mock): s3rver cannot hold objects that large here, nor does it
 * implement UploadPartCopy. The copy goes in UploadPartCopy ranges of at most 5 GiB, completes
 * with every part's ETag, and on a failed part aborts the upload (no billed parts left) and fails,
 * so the original is never deleted.
 */
import {
	AbortMultipartUploadCommand,
	CompleteMultipartUploadCommand,
	CopyObjectCommand,
	CreateMultipartUploadCommand,
	HeadObjectCommand,
	S3Client,
	S3ServiceException,
	UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import {mockClient} from 'aws-sdk-client-mock';
import {beforeEach, describe, expect, it} from 'vitest';
import {COPY_PART_BYTES, createS3Store, MAX_COPY_BYTES} from '../../source/store/s3.js';

// The SDK's notice that its later versions need Node 22 (the version is pinned, see the readme).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const s3 = mockClient(S3Client);
const GiB = 1024 ** 3;
const SIZE = 12 * GiB + 5;
const FROM = 's3://b/flink/job/shared/huge.sst';
const TO = 's3://b/flink/.fcx-quarantine/t/job/shared/huge.sst';

const store = (): ReturnType<typeof createS3Store> => createS3Store({client: new S3Client({region: 'us-east-1'}), maxAttempts: 1, backoffMs: () => 1});

function notFound(): S3ServiceException {
	return new S3ServiceException({name: 'NotFound', $fault: 'client', $metadata: {httpStatusCode: 404}, message: 'NotFound'});
}

beforeEach(() => {
	s3.reset();
	s3.on(HeadObjectCommand).rejects(notFound());
	s3.on(HeadObjectCommand, {Key: 'flink/job/shared/huge.sst'}).resolves({ContentLength: SIZE, LastModified: new Date(0)});
	s3.on(CreateMultipartUploadCommand).resolves({UploadId: 'U1'});
	s3.on(UploadPartCopyCommand).callsFake((input: {PartNumber: number}) => ({CopyPartResult: {ETag: `"etag-${input.PartNumber}"`}}));
	s3.on(CompleteMultipartUploadCommand).resolves({});
	s3.on(AbortMultipartUploadCommand).resolves({});
});

describe('S3 copy of an object over 5 GiB (client mock: s3rver cannot hold one nor implements UploadPartCopy)', () => {
	it('copies in UploadPartCopy ranges of at most 5 GiB that cover every byte once, then completes with each part’s ETag', async () => {
		await (await store()).copy(FROM, TO);
		expect(s3.commandCalls(CopyObjectCommand)).toEqual([]);
		const parts = s3.commandCalls(UploadPartCopyCommand).map((c) => c.args[0].input);
		let next = 0;
		for (const [i, p] of parts.entries()) {
			const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(p.CopySourceRange!)!.map(Number);
			expect({part: p.PartNumber, start: a, upload: p.UploadId, source: p.CopySource, key: p.Key}).toEqual({
				part: i + 1,
				start: next,
				upload: 'U1',
				source: 'b/flink/job/shared/huge.sst',
				key: 'flink/.fcx-quarantine/t/job/shared/huge.sst',
			});
			expect(b - a + 1).toBeLessThanOrEqual(MAX_COPY_BYTES);
			next = b + 1;
		}
		expect(next).toBe(SIZE);
		expect(parts.length).toBe(Math.ceil(SIZE / COPY_PART_BYTES));
		const complete = s3.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input;
		expect(complete.MultipartUpload!.Parts).toEqual(parts.map((p) => ({PartNumber: p.PartNumber, ETag: `"etag-${p.PartNumber}"`})));
		expect(s3.commandCalls(AbortMultipartUploadCommand)).toEqual([]);
	});

	it('a failed part aborts the upload and fails the copy (the caller then keeps the original)', async () => {
		s3.on(UploadPartCopyCommand, {PartNumber: 3}).rejects(
			new S3ServiceException({name: 'InternalError', $fault: 'server', $metadata: {httpStatusCode: 500}, message: 'boom'}),
		);
		await expect((await store()).copy(FROM, TO)).rejects.toThrow(/InternalError/);
		expect(s3.commandCalls(UploadPartCopyCommand).length).toBe(3);
		expect(s3.commandCalls(CompleteMultipartUploadCommand)).toEqual([]);
		expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
			{Bucket: 'b', Key: 'flink/.fcx-quarantine/t/job/shared/huge.sst', UploadId: 'U1'},
		]);
	});

	it('an object of at most 5 GiB is still one CopyObject', async () => {
		s3.on(HeadObjectCommand, {Key: 'flink/job/shared/huge.sst'}).resolves({ContentLength: MAX_COPY_BYTES, LastModified: new Date(0)});
		s3.on(CopyObjectCommand).resolves({});
		await (await store()).copy(FROM, TO);
		expect(s3.commandCalls(CopyObjectCommand).length).toBe(1);
		expect(s3.commandCalls(CreateMultipartUploadCommand)).toEqual([]);
	});
});
