/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1 on a free port, in a child process
 * (`--openssl-legacy-provider`: it encrypts continuation tokens with DES, paged listings fail
 * without it), with a data directory of its own. {@link uploadTree} copies a local tree into a
 * bucket with the files' mtimes (s3rver's LastModified is its object file's mtime).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {readdir, stat, utimes} from 'node:fs/promises';
import {createServer} from 'node:net';
import path from 'node:path';
import {CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';

/** A running s3rver and a client for it. */
export interface S3rver {
	endpoint: string;
	/** Data directory: `<dataDir>/<bucket>/<key>._S3rver_object` holds each object. */
	dataDir: string;
	client: S3Client;
	/** Options for `createS3Store` / `analyse` reaching it. */
	storeOptions: {endpoint: string; region: string; credentials: {accessKeyId: string; secretAccessKey: string}};
	stop(): Promise<void>;
}

// The SDK's notice that its later versions need Node 22 (the version is pinned, see the readme).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CREDENTIALS = {accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER'};

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** The client the tests use: path style, checksums only when required (else s3rver stores the `aws-chunked` framing). */
export function s3rverClient(endpoint: string): S3Client {
	return new S3Client({
		endpoint,
		region: 'us-east-1',
		forcePathStyle: true,
		credentials: CREDENTIALS,
		requestChecksumCalculation: 'WHEN_REQUIRED',
		responseChecksumValidation: 'WHEN_REQUIRED',
	});
}

/** Start s3rver with data in `dataDir`; resolves when it answers. */
export async function startS3rver(dataDir: string): Promise<S3rver> {
	const port = await freePort();
	const script = path.resolve('node_modules/s3rver/bin/s3rver.js');
	const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', script, '-d', dataDir, '-a', '127.0.0.1', '-p', String(port), '--silent'], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const endpoint = `http://127.0.0.1:${port}`;
	const client = s3rverClient(endpoint);
	const stop = async (): Promise<void> => {
		client.destroy();
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill();
		await exited;
	};
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			await client.send(new ListBucketsCommand({}));
			break;
		} catch (error) {
			if (child.exitCode !== null || Date.now() > deadline) {
				await stop();
				throw new Error(`s3rver did not start on ${endpoint}: ${stderr || String(error)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	return {endpoint, dataDir, client, storeOptions: {endpoint, region: 'us-east-1', credentials: CREDENTIALS}, stop};
}

/** Create `bucket` (once). */
export async function createBucket(server: S3rver, bucket: string): Promise<void> {
	await server.client.send(new CreateBucketCommand({Bucket: bucket}));
}

/** Files below `dir` (relative POSIX paths) with their mtimes, and every directory. */
async function walk(dir: string, relative = ''): Promise<{files: {key: string; mtime: Date}[]; dirs: {key: string; mtime: Date}[]}> {
	const files: {key: string; mtime: Date}[] = [];
	const dirs: {key: string; mtime: Date}[] = [];
	for (const entry of await readdir(path.join(dir, relative), {withFileTypes: true})) {
		const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
		const st = await stat(path.join(dir, rel));
		if (entry.isDirectory()) {
			dirs.push({key: rel, mtime: st.mtime});
			const below = await walk(dir, rel);
			files.push(...below.files);
			dirs.push(...below.dirs);
		} else if (entry.isFile()) {
			files.push({key: rel, mtime: st.mtime});
		}
	}
	return {files, dirs};
}

/** Age the object `key` of `bucket` to `mtime` (s3rver reports its object file's mtime as LastModified). */
export async function setLastModified(server: S3rver, bucket: string, key: string, mtime: Date): Promise<void> {
	const file = path.join(server.dataDir, bucket, `${key}._S3rver_object`);
	// s3rver may still be closing the object's file after it answered the PUT; a close after our
	// utimes would set LastModified back to now (a busy CI once saw 27 of 28 objects old). Set it
	// until it holds, for at most 5 s.
	const deadline = Date.now() + 5000;
	for (;;) {
		await utimes(file, mtime, mtime);
		await new Promise((resolve) => setImmediate(resolve));
		if ((await stat(file)).mtimeMs === mtime.getTime() || Date.now() > deadline) return;
	}
}

/**
 * Upload every file below `localDir` to `s3://bucket/prefix/…` with its mtime as LastModified, 16
 * at a time. `markers`: also a zero-byte `…/` directory marker (as S3A's mkdirs makes) for each
 * of these directories (relative paths) with the directory's mtime.
 */
export async function uploadTree(server: S3rver, localDir: string, bucket: string, prefix: string, markers: readonly string[] = []): Promise<number> {
	const {files, dirs} = await walk(localDir);
	const dirTimes = new Map(dirs.map((d) => [d.key, d.mtime]));
	const jobs: {key: string; body: Uint8Array; mtime: Date}[] = [];
	const {readFile} = await import('node:fs/promises');
	for (const f of files) jobs.push({key: `${prefix}/${f.key}`, body: await readFile(path.join(localDir, f.key)), mtime: f.mtime});
	for (const m of markers) jobs.push({key: `${prefix}/${m}/`, body: new Uint8Array(0), mtime: dirTimes.get(m) ?? new Date()});
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < jobs.length) {
			const job = jobs[next++];
			await server.client.send(new PutObjectCommand({Bucket: bucket, Key: job.key, Body: job.body}));
			await setLastModified(server, bucket, job.key, job.mtime);
		}
	};
	await Promise.all(Array.from({length: 16}, worker));
	return jobs.length;
}
