/**
 * `what-if` and `plan --target` with targets on S3 (the sample tree on s3rver on 127.0.0.1) give
 * the answer they give on the local copy, through `dist/fcx.js`: the same default roots (the
 * directory above the targets' base directory), the same removed snapshots, freed files and
 * broken checkpoints, the same plan.
 */
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateSampleTree, JOBS, SAVEPOINT_DIR} from '../../fixtures/generate.js';
import {defaultWhatIfRoots} from '../../source/cli/what-if.js';
import {tempDir} from '../support/temp.js';
import {createBucket, startS3rver, uploadTree, type S3rver} from './s3rver.js';

const BUCKET = 'fcx';
const ROOT = `s3://${BUCKET}/flink/sample`;
const B_CHK_8 = `checkpoints/${JOBS.B}/chk-8`;
const CLI = path.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[s3-what-if] dist/fcx.js is missing (run `npm run build`): what-if and plan on S3 are SKIPPED');

let server: S3rver;
let local: string;

beforeAll(async () => {
	if (!built) return;
	local = tempDir('fcx-s3-what-if-');
	await generateSampleTree(local);
	server = await startS3rver(tempDir('fcx-s3rver-what-if-'));
	await createBucket(server, BUCKET);
	await uploadTree(server, local, BUCKET, 'flink/sample', [B_CHK_8]);
}, 120_000);

afterAll(async () => {
	await server?.stop();
});

/** `fcx …` with s3rver's credentials: exit status and stdout with the root replaced by `ROOT`. */
async function fcx(root: string, ...args: string[]): Promise<{status: number; stdout: string; stderr: string}> {
	const env = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};
	const run = promisify(execFile)(process.execPath, [CLI, ...args, '--endpoint', server.endpoint], {env, maxBuffer: 64 << 20}).then(
		(r) => ({status: 0, ...r}),
		(e: {code: number; stdout: string; stderr: string}) => ({status: e.code, stdout: e.stdout, stderr: e.stderr}),
	);
	const r = await run;
	return {...r, stdout: r.stdout.split(root).join(ROOT)};
}

/** The JSON of `stdout` without what only a store shows (s3rver's lack of ListMultipartUploads) and run times. */
function comparable(stdout: string): unknown {
	return JSON.parse(stdout, (key, value: unknown) => {
		if (key === 'createdAt' || key === 'generatedAt') return undefined;
		if (Array.isArray(value)) return value.filter((v: {code?: string}) => v?.code !== 'pending-uploads-unknown');
		return value;
	});
}

describe('default what-if roots of store URIs', () => {
	it('the directory above the base directory, as for local paths; never the whole bucket', () => {
		expect(defaultWhatIfRoots([`s3a://${BUCKET}/flink/sample/checkpoints/${JOBS.A}/`])).toEqual([ROOT]);
		expect(defaultWhatIfRoots([`s3://${BUCKET}/checkpoints/${JOBS.A}`])).toEqual([`s3://${BUCKET}/checkpoints`]);
	});
});

describe.skipIf(!built)('what-if and plan --target on S3 (s3rver, dist/fcx.js)', () => {
	const cases: [string, string][] = [
		['job A (breaks B, restored from it in CLAIM mode)', `checkpoints/${JOBS.A}`],
		["A's chk-3", `checkpoints/${JOBS.A}/chk-3`],
		["A's savepoint (breaks C)", `savepoints/${SAVEPOINT_DIR}`],
		['the dead job D', `checkpoints/${JOBS.D}`],
	];
	it.each(cases)('what-if %s: the answer of the local copy', async (_, target) => {
		const [onDisk, onS3] = await Promise.all([
			fcx(local, 'what-if', `${local}/${target}`, '--json'),
			fcx(ROOT, 'what-if', `s3a://${BUCKET}/flink/sample/${target}/`, '--json'),
		]);
		expect(onS3.stderr).toBe('');
		expect(onS3.status).toBe(onDisk.status);
		expect(comparable(onS3.stdout)).toEqual(comparable(onDisk.stdout));
	});

	it.each(cases)('plan --target %s: the plan (or the refusal) of the local copy', async (_, target) => {
		const args = (root: string): string[] => ['plan', root, '--target', `${root}/${target}`, '--json', '--min-age', '0'];
		const [onDisk, onS3] = await Promise.all([fcx(local, ...args(local)), fcx(ROOT, ...args(ROOT))]);
		expect(onS3.status).toBe(onDisk.status);
		expect(onS3.stderr.split(ROOT).join(local)).toBe(onDisk.stderr);
		if (onDisk.status === 0) expect(comparable(onS3.stdout)).toEqual(comparable(onDisk.stdout));
	});
});
