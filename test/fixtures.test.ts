import {mkdtemp, readFile, rm, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BASE_TIME, DEAD_JOB_TIME, DEFAULT_OUTPUT, IN_PROGRESS_TIME, JOBS, SAVEPOINT_DIR, generateSampleTree, listFiles} from '../fixtures/generate.js';
import {readMetadata} from '../source/metadata/index.js';

describe('fixtures/sample-tree', () => {
	let dir: string;
	let generated: string[];

	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'fcx-fixtures-'));
		generated = await generateSampleTree(dir);
	});

	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	it('is up to date: regenerating gives the committed tree byte for byte (run `npm run fixtures` if not)', async () => {
		expect(await listFiles(dir)).toEqual(generated);
		expect(await listFiles(DEFAULT_OUTPUT)).toEqual(generated);
		for (const relative of generated) {
			const [fresh, committed] = await Promise.all([readFile(path.join(dir, relative)), readFile(path.join(DEFAULT_OUTPUT, relative))]);
			expect(Buffer.compare(fresh, committed), relative).toBe(0);
		}
	});

	it('every _metadata parses and reads back exactly', async () => {
		const metadataFiles = generated.filter((relative) => relative.endsWith('/_metadata'));
		expect(metadataFiles).toHaveLength(11);
		for (const relative of metadataFiles) {
			const bytes = new Uint8Array(await readFile(path.join(dir, relative)));
			const {metadata, references} = readMetadata(bytes, {fileName: relative});
			expect(metadata.trailer?.properties, relative).toBeTruthy();
			expect(references.length, relative).toBeGreaterThan(0);
		}
	});

	it('records the real on-disk size of every existing referenced file', async () => {
		const prefix = 'hdfs://namenode:8020/flink/';
		let checked = 0;
		for (const relative of generated.filter((file) => file.endsWith('/_metadata'))) {
			const {references} = readMetadata(new Uint8Array(await readFile(path.join(dir, relative))));
			for (const reference of references) {
				if (reference.handle === 'file' || reference.handle === 'relative') {
					const local =
						reference.handle === 'file' ? path.join(dir, reference.path.slice(prefix.length)) : path.join(dir, path.dirname(relative), reference.path);
					const info = await stat(local).catch(() => null);
					if (info) {
						expect(info.size, reference.path).toBe(reference.size);
						checked++;
					}
				}
			}
		}

		expect(checked).toBeGreaterThan(50);
	});

	it('has exactly one missing file, in job B chk-7', async () => {
		const missing: string[] = [];
		for (const relative of generated.filter((file) => file.endsWith('/_metadata'))) {
			const {references} = readMetadata(new Uint8Array(await readFile(path.join(dir, relative))));
			for (const reference of references) {
				if (reference.handle === 'file' || reference.handle === 'segment') {
					const local = path.join(dir, reference.path.slice('hdfs://namenode:8020/flink/'.length));
					if (!(await stat(local).catch(() => null))) {
						missing.push(`${path.dirname(relative)} → ${reference.localPath ?? ''}`);
					}
				}
			}
		}

		expect(missing).toEqual([`checkpoints/${JOBS.B}/chk-7 → 000026.sst`]);
	});

	it('sets the fixed mtimes', async () => {
		const time = async (relative: string): Promise<number> => (await stat(path.join(dir, relative))).mtimeMs;
		expect(await time(`checkpoints/${JOBS.A}/chk-3/_metadata`)).toBe(BASE_TIME);
		expect(await time(`checkpoints/${JOBS.A}/chk-3`)).toBe(BASE_TIME);
		expect(await time(`checkpoints/${JOBS.B}/chk-8`)).toBe(IN_PROGRESS_TIME);
		expect(await time(`checkpoints/${JOBS.D}`)).toBe(DEAD_JOB_TIME);
		expect(await time(`savepoints/${SAVEPOINT_DIR}/_metadata`)).toBe(BASE_TIME + 15 * 60_000);
	});
});
