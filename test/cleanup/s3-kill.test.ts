/**
 * `fcx clean` on S3 (the built `dist/fcx.js`, against s3rver on 127.0.0.1) SIGKILLed in the middle
 * of its run, at seeded numbers of announced moves. Afterwards every planned object is in place or
 * in the quarantine — never lost (a kill between CopyObject and DeleteObject leaves both), never
 * both missing —, an object is in the quarantine only if the log announced it, the restore script
 * (`aws s3 mv` lines, run with a stand-in `aws` that works on s3rver's data directory) puts every object back, and a
 * second `clean` with a fresh plan finishes the job. The needed object and the newest checkpoint
 * are never touched.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {makePlan} from '../../source/cleanup/index.js';
import type {Plan} from '../../source/cleanup/types.js';
import {createS3Store, type S3Store} from '../../source/store/s3.js';
import {tempDir} from '../support/temp.js';
import {createBucket, startS3rver, uploadTree, type S3rver} from '../store/s3rver.js';
import {metadataBytes} from './helpers.js';

const CLI = path.resolve('dist/fcx.js');
const built = existsSync(CLI);
if (!built) console.warn('[s3-kill] dist/fcx.js is missing (run `npm run build`): the S3 kill test is SKIPPED');
const BUCKET = 'kill';
const J1 = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
const OLD = new Date('2026-01-01T00:00:00Z');
const ENV = {...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true'};

let server: S3rver;
let store: S3Store;

beforeAll(async () => {
	if (!built) return;
	server = await startS3rver(tempDir('fcx-s3kill-s3rver-'));
	await createBucket(server, BUCKET);
	store = await createS3Store({...server.storeOptions, client: server.client});
}, 60_000);

afterAll(async () => {
	await server?.stop();
});

/** A job below `s3://kill/<prefix>`: chk-2 (needs shared/kept), 4 incomplete chk-<n> of 3 objects, 16 orphans in shared/. */
async function victim(prefix: string): Promise<string> {
	const root = `s3://${BUCKET}/${prefix}`;
	const local = tempDir('fcx-s3kill-tree-');
	const put = (rel: string, content: string | Uint8Array): void => {
		const file = path.join(local, rel);
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, content);
		utimesSync(file, OLD, OLD);
	};
	put(`${J1}/shared/kept`, 'needed by chk-2');
	put(`${J1}/chk-2/_metadata`, metadataBytes(2, [`${root}/${J1}/shared/kept`]));
	for (let d = 0; d < 4; d++) for (let f = 0; f < 3; f++) put(`${J1}/chk-${100 + d}/f${f}`, `${d}/${f}`);
	for (let f = 0; f < 16; f++) put(`${J1}/shared/orphan-${f}`, `orphan ${f}`);
	await uploadTree(server, local, BUCKET, prefix);
	return root;
}

/** Every object below `root` → its size. */
async function objects(root: string): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	for await (const batch of store.list(root)) for (const e of batch) if (e.kind === 'file') out.set(e.path, e.size);
	return out;
}

async function planFile(root: string, work: string, minAgeMs?: number): Promise<{plan: Plan; file: string}> {
	const plan = makePlan(await analyse([root], {stores: {s3: store}, ...(minAgeMs === undefined ? {} : {minAgeMs})}));
	const file = path.join(work, `plan-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(plan));
	return {plan, file};
}

/** `fcx clean --plan FILE --yes` in `work`, SIGKILLed `delayMs` after its log announces `killAt` moves (`undefined`: runs to the end). */
async function clean(work: string, file: string, killAt?: number, delayMs = 0): Promise<{status: number | null; log: string}> {
	const before = new Set(readdirSync(work));
	const child = spawn(process.execPath, [CLI, 'clean', '--plan', file, '--yes', '--endpoint', server.endpoint], {cwd: work, env: ENV, stdio: 'ignore'});
	const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
	let done = false;
	void closed.then(() => (done = true));
	const logFile = (): string | undefined => readdirSync(work).find((n) => n.endsWith('.log') && !before.has(n));
	const announced = (): number => {
		const log = logFile();
		return log === undefined ? 0 : (readFileSync(path.join(work, log), 'utf8').match(/"event":"moving"/g) ?? []).length;
	};
	while (killAt !== undefined && !done && announced() < killAt) await new Promise((resolve) => setTimeout(resolve, 2));
	// A delay after the announcement lands the kill in the copy or the delete, not only before them.
	if (killAt !== undefined && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
	if (killAt !== undefined) child.kill('SIGKILL');
	const status = await closed;
	const log = logFile();
	return {status, log: log === undefined ? '' : path.join(work, log)};
}

/**
 * A stand-in `aws` for the restore script (the AWS CLI takes about a second a call): `s3api
 * head-object` and `s3 mv` done on s3rver's data directory, where `<bucket>/<key>._S3rver_object`
 * and its `.md5` and `._S3rver_metadata.json` files are the object.
 */
function fakeAws(): string {
	const script = path.join(tempDir('fcx-s3kill-bin-'), 'aws.sh');
	writeFileSync(
		script,
		[
			`D=${JSON.stringify(server.dataDir)}`,
			'[ "$1" = --endpoint-url ] && shift 2',
			'if [ "$1" = s3api ] && [ "$2" = head-object ]; then test -e "$D/$4/$6._S3rver_object"; exit $?; fi',
			'if [ "$1" = s3 ] && [ "$2" = mv ]; then',
			'  from=${3#s3://}; to=${4#s3://}; mkdir -p "$(dirname "$D/$to")"',
			'  for s in _S3rver_object _S3rver_object.md5 _S3rver_metadata.json; do if [ -e "$D/$from.$s" ]; then mv "$D/$from.$s" "$D/$to.$s" || exit 1; fi; done',
			'  exit 0',
			'fi',
			'exit 2',
			'',
		].join('\n'),
	);
	return `sh ${script}`;
}

/** The objects the log announced moving (`from`), and to where. */
function announcedMoves(log: string): Map<string, string> {
	const lines = readFileSync(log, 'utf8')
		.split('\n')
		.filter((l) => l.trim() !== '')
		.map((l) => JSON.parse(l) as {event: string; from?: string; to?: string});
	return new Map(lines.filter((l) => l.event === 'moving').map((l) => [l.from!, l.to!]));
}

describe('fcx clean on S3 SIGKILLed mid-run (s3rver)', () => {
	it.skipIf(!built)(
		'every object is in place or in the quarantine, the log says which; the restore script puts all back; a second clean finishes',
		async () => {
			const TOTAL = 4 * 3 + 16;
			const points = fc.sample(fc.tuple(fc.integer({min: 1, max: TOTAL - 1}), fc.integer({min: 0, max: 40})), {
				numRuns: 4,
				seed: fc.readConfigureGlobal().seed ?? 20_261_207,
			});
			const summary: string[] = [];
			for (const [round, [killAt, delayMs]] of points.entries()) {
				const root = await victim(`round-${round}`);
				const work = tempDir('fcx-s3kill-work-');
				const before = await objects(root);
				const {plan, file} = await planFile(root, work);
				const planned = [...before.keys()].filter((k) => plan.entries.some((e) => k === e.path || k.startsWith(`${e.path}/`)));
				expect(planned.length).toBe(TOTAL);
				const {status, log} = await clean(work, file, killAt, delayMs);
				const moves = announcedMoves(log);
				const after = await objects(root);
				let both = 0;
				for (const key of planned) {
					const to = moves.get(key);
					const inPlace = after.has(key);
					const inQuarantine = to !== undefined && after.has(to);
					// Never lost: in place, or in the quarantine where the log said it would go.
					expect({key, found: inPlace || inQuarantine}).toEqual({key, found: true});
					if (inPlace && inQuarantine) both++;
				}
				// Nothing reached the quarantine that the log did not announce first.
				const quarantined = [...after.keys()].filter((k) => k.includes('/.fcx-quarantine/'));
				const announcedTargets = new Set(moves.values());
				expect(quarantined.filter((k) => !announcedTargets.has(k))).toEqual([]);
				expect(after.get(`${root}/${J1}/shared/kept`)).toBe(before.get(`${root}/${J1}/shared/kept`));
				expect(after.has(`${root}/${J1}/chk-2/_metadata`)).toBe(true);

				const script = log.replace(/\.log$/, '.restore.sh');
				const restore = spawnSync('sh', [script], {env: {...ENV, FCX_AWS: fakeAws()}, encoding: 'utf8', timeout: 120_000});
				expect(restore.status === 0 || restore.stderr.includes('exists; left in the quarantine')).toBe(true);
				const restored = await objects(root);
				for (const [key, size] of before) expect({key, size: restored.get(key)}).toEqual({key, size});
				summary.push(
					`killed ${delayMs} ms after move ${killAt} was announced (${status === null ? `dead after ${moves.size} announced` : `finished first, exit ${status}`}, ${both} in both places)`,
				);
			}
			// A second clean after a kill, with a fresh plan (the restored objects are new): finishes the job.
			const root = await victim('second');
			const work = tempDir('fcx-s3kill-second-');
			const first = await planFile(root, work);
			const originals = [...(await objects(root)).keys()].filter((k) => first.plan.entries.some((e) => k === e.path || k.startsWith(`${e.path}/`)));
			await clean(work, first.file, 7);
			const second = await planFile(root, work, 0);
			const run = await clean(work, second.file);
			expect(run.status).toBe(0);
			const after = await objects(root);
			const left = [...after.keys()].filter((k) => !k.includes('/.fcx-quarantine/')).sort();
			expect(left).toEqual([`${root}/${J1}/chk-2/_metadata`, `${root}/${J1}/shared/kept`]);
			const quarantined = [...after.keys()].filter((k) => k.includes('/.fcx-quarantine/'));
			for (const key of originals) expect({key, quarantined: quarantined.some((k) => k.endsWith(key.slice(root.length)))}).toEqual({key, quarantined: true});
			console.log(`[s3-kill] ${points.length} kills: ${summary.join('; ')}; all restored; a second clean after a kill at 7 finished`);
		},
		300_000,
	);
});
