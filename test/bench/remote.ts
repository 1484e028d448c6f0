/**
 * The remote row of `npm run bench` (section r): `fcx report --json` on a tree of about 20,000
 * objects in a local s3rver, against the SDK's plain sequential `ListObjectsV2` listing of the
 * same prefix, whole processes with peak RSS. The tree (the bench tree's shape, 4 jobs, files of
 * 1-64 bytes) is uploaded once into s3rver's data directory in the cache and reused. The listing is
 * the floor: the `_metadata` files are fetched while it goes on; what is left after it is the
 * parse of the last ones, the analysis and the JSON.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createBucket, startS3rver, uploadTree} from '../store/s3rver.js';
import {generateTree, TREE_VERSION, treeShape} from './generate.js';
import type {BenchKit} from './targets.js';

const BUCKET = 'bench';
const PREFIX = 'checkpoints';

/** The baseline: every key below the prefix, page by page, one request at a time. */
const LIST_SCRIPT = `
import {S3Client, ListObjectsV2Command} from '@aws-sdk/client-s3';
const client = new S3Client({endpoint: process.argv[1], region: 'us-east-1', forcePathStyle: true});
let token, keys = 0;
do {
	const page = await client.send(new ListObjectsV2Command({Bucket: '${BUCKET}', Prefix: '${PREFIX}/', ContinuationToken: token}));
	keys += page.KeyCount ?? 0;
	token = page.NextContinuationToken;
} while (token);
console.log(keys);
`;

/** Section r: report on s3rver against a plain listing. */
export async function remoteRow(kit: BenchKit): Promise<void> {
	const shape = treeShape(0.02);
	const local = path.join(kit.cacheDir, `s3tree-v${TREE_VERSION}-${shape.jobs}x${shape.retained}`);
	const dataDir = path.join(kit.cacheDir, `s3rver-v${TREE_VERSION}-${shape.jobs}x${shape.retained}`);
	if (!existsSync(`${local}.done`)) writeFileSync(`${local}.done`, `${generateTree(local, shape, () => undefined, {smallFiles: true})}\n`);
	const server = await startS3rver(dataDir);
	try {
		if (!existsSync(`${dataDir}.done`)) {
			kit.log(`  uploading ${local} to s3rver (once) …`);
			await createBucket(server, BUCKET);
			writeFileSync(`${dataDir}.done`, `${await uploadTree(server, local, BUCKET, PREFIX)}\n`);
		}
		const objects = Number(readFileSync(`${dataDir}.done`, 'utf8').trim());
		Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'});
		type Run = Awaited<ReturnType<BenchKit['run']>>;
		const lists: Run[] = [];
		const reports: Run[] = [];
		for (let i = 0; i < 3; i++) {
			lists.push(await kit.run(process.execPath, ['--input-type=module', '-e', LIST_SCRIPT, server.endpoint]));
			reports.push(await kit.run(process.execPath, [kit.cli, 'report', `s3://${BUCKET}/${PREFIX}`, '--json', '--min-age', '0', '--endpoint', server.endpoint]));
		}
		const best = (rs: Run[]): {wallMs: number; rssMb: number; code: number | null; stderr: string} => {
			const r = rs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
			return {wallMs: r.wallMs, rssMb: Math.max(...rs.map((x) => x.maxRssKb ?? 0)) / 1024, code: r.code, stderr: r.stderr};
		};
		const list = best(lists);
		const report = best(reports);
		kit.row(
			'r',
			`SDK ListObjectsV2, sequential, ${objects.toLocaleString('en')} objects`,
			list.code === 0 ? kit.ms(list.wallMs) : 'FAILED',
			`best of 3, peak RSS ${list.rssMb.toFixed(0)} MB`,
		);
		const failed = report.code === null || report.code > 3;
		const ratio = report.wallMs / list.wallMs;
		kit.row(
			'r',
			'fcx report s3://… --json > /dev/null',
			failed ? 'FAILED' : kit.ms(report.wallMs),
			failed
				? (report.stderr.trim().split('\n')[0] ?? '')
				: `${ratio.toFixed(2)}× the listing, best of 3, peak RSS ${report.rssMb.toFixed(0)} MB, exit ${report.code}`,
			'≤ 1.2× the listing',
			failed ? 'MISS' : ratio <= 1.2 ? 'ok' : 'MISS',
		);
	} finally {
		await server.stop();
	}
}
