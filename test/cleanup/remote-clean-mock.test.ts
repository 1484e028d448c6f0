/**
 * `clean` on S3 where s3rver cannot show it, against a client mock (aws-sdk-client-mock): a
 * versioned bucket (a delete only adds delete markers) and Object Lock are refused before anything
 * is listed, unless allowed; DeleteObjects goes in batches of at most 1,000 keys and its per-key
 * errors are kept.
 */
import {
	DeleteObjectsCommand,
	GetBucketVersioningCommand,
	GetObjectLockConfigurationCommand,
	HeadObjectCommand,
	ListMultipartUploadsCommand,
	ListObjectsV2Command,
	S3Client,
	S3ServiceException,
} from '@aws-sdk/client-s3';
import {mockClient} from 'aws-sdk-client-mock';
import {beforeEach, describe, expect, it} from 'vitest';
import {executeRemotePlan, ExecutionRefusedError} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {createS3Store} from '../../source/store/s3.js';

// The SDK's notice that its later versions need Node 22 (the version is pinned, see the readme).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const s3 = mockClient(S3Client);

function serviceError(name: string, status: number): S3ServiceException {
	return new S3ServiceException({name, $fault: status >= 500 ? 'server' : 'client', $metadata: {httpStatusCode: status}, message: name});
}

const store = (): ReturnType<typeof createS3Store> => createS3Store({client: new S3Client({region: 'us-east-1'}), maxAttempts: 2, backoffMs: () => 1});

const PLAN: Plan = {
	version: 1,
	createdAt: '2026-11-02T00:00:00Z',
	roots: ['s3://b/flink'],
	minAgeMs: 0,
	entries: [{path: 's3://b/flink/job/shared/x', type: 'file', bytes: 1, size: 1, mtimeMs: 0, reason: 'orphan', evidence: ''}],
	totalBytes: 1,
};

beforeEach(() => {
	s3.reset();
	s3.on(ListObjectsV2Command).resolves({Contents: [], IsTruncated: false});
	s3.on(HeadObjectCommand).rejects(serviceError('NotFound', 404));
	s3.on(ListMultipartUploadsCommand).resolves({Uploads: [], IsTruncated: false});
});

describe('clean on S3 (client mock: versioning and Object Lock, which s3rver does not implement)', () => {
	it('refuses a versioned bucket before listing anything: a delete there frees nothing', async () => {
		s3.on(GetBucketVersioningCommand).resolves({Status: 'Enabled'});
		s3.on(GetObjectLockConfigurationCommand).rejects(serviceError('ObjectLockConfigurationNotFoundError', 404));
		const error = await executeRemotePlan(PLAN, {store: await store()}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ExecutionRefusedError);
		expect((error as Error).message).toMatch(
			/^bucket b is versioned \(enabled\): a delete only adds a delete marker.*--allow-versioned.*; nothing was changed$/,
		);
		expect(s3.commandCalls(ListObjectsV2Command)).toEqual([]);
	});

	it('refuses a suspended-versioning bucket and one with Object Lock', async () => {
		s3.on(GetBucketVersioningCommand).resolves({Status: 'Suspended'});
		s3.on(GetObjectLockConfigurationCommand).resolves({ObjectLockConfiguration: {ObjectLockEnabled: 'Enabled'}});
		const error = await executeRemotePlan(PLAN, {store: await store()}).catch((e: unknown) => e);
		expect((error as Error).message).toMatch(/versioned \(suspended\).*bucket b has Object Lock/);
	});

	it('goes on with allowVersioned, saying so loudly (and refuses roots with nothing listed)', async () => {
		s3.on(GetBucketVersioningCommand).resolves({Status: 'Enabled'});
		s3.on(GetObjectLockConfigurationCommand).rejects(serviceError('ObjectLockConfigurationNotFoundError', 404));
		const error = await executeRemotePlan(PLAN, {store: await store(), allowVersioned: true}).catch((e: unknown) => e);
		expect((error as Error).message).toMatch(/^nothing is listed under the plan's roots now/);
		expect(s3.commandCalls(ListObjectsV2Command).length).toBeGreaterThan(0);
	});

	it('says when the store will not tell (NotImplemented, access denied), and goes on', async () => {
		s3.on(GetBucketVersioningCommand).rejects(serviceError('NotImplemented', 501));
		s3.on(GetObjectLockConfigurationCommand).rejects(serviceError('AccessDenied', 403));
		expect(await (await store()).bucketProtection('b')).toEqual({versioning: 'unknown', objectLock: 'unknown'});
	});

	it('a plan with a local root beside S3 roots is refused', async () => {
		const error = await executeRemotePlan({...PLAN, roots: ['s3://b/flink', '/data/flink']}, {store: await store()}).catch((e: unknown) => e);
		expect((error as Error).message).toMatch(/^\/data\/flink: a plan with S3 roots must have only S3 roots/);
	});

	it('deletes in DeleteObjects batches of at most 1,000 keys and keeps per-key errors', async () => {
		s3.on(DeleteObjectsCommand).callsFake((input: {Delete: {Objects: {Key: string}[]}}) => ({
			Errors: input.Delete.Objects.filter((o) => o.Key.endsWith('/7')).map((o) => ({Key: o.Key, Code: 'AccessDenied', Message: 'Access Denied'})),
		}));
		const paths = Array.from({length: 2500}, (_, i) => `s3://b/flink/job/shared/${i}`);
		const outcomes = await (await store()).delete([...paths, 's3://b/flink/job/chk-1/']);
		const sizes = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects!.length);
		expect(sizes).toEqual([1000, 1000, 501]);
		expect(s3.commandCalls(DeleteObjectsCommand)[2].args[0].input.Delete!.Objects!.at(-1)).toEqual({Key: 'flink/job/chk-1/'});
		expect(outcomes.filter((o) => o.error !== undefined).map((o) => `${o.path} ${o.error!.code}`)).toEqual(['s3://b/flink/job/shared/7 permission-denied']);
	});
});
