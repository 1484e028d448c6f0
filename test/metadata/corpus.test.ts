/**
 * Every real `_metadata` file of the shared corpus (`../shared/flink-metadata`, never copied into
 * the project): all must parse to the end, and every V2+ file must be rewritten byte for byte.
 */
import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {corpusDir, corpusExists, findCorpus} from '../support/corpus.js';
import {MetadataFileReader, readMetadata, readMetadataBytes, readMetadataFile, writeMetadata} from '../../source/metadata/index.js';

if (!corpusExists) console.log(`[metadata corpus] ${corpusDir} not found: the real-file corpus tests were SKIPPED`);

describe.skipIf(!corpusExists)('real _metadata corpus', () => {
	it('parses every file to EOF and rewrites every V2+ file byte for byte', async () => {
		const files = await findCorpus();
		expect(files.length).toBeGreaterThan(0);
		const perVersion = new Map<number, number>();
		const layouts = new Map<string, number>();
		let bytesTotal = 0;
		let references = 0;
		const failures: string[] = [];
		for (const file of files) {
			const rel = path.relative(corpusDir, file);
			const bytes = new Uint8Array(await readFile(file));
			bytesTotal += bytes.length;
			try {
				const result = readMetadata(bytes, {fileName: rel});
				const m = result.metadata;
				perVersion.set(m.version, (perVersion.get(m.version) ?? 0) + 1);
				references += result.references.length;
				if (m.version <= 1) {
					expect(m.legacy).toBe(`legacy format (Flink 1.1/1.2), version ${m.version}`);
					expect(m.operators).toEqual([]);
					continue;
				}
				const key = `v${m.version} channel ${m.layout.channelState} changelog ${m.layout.changelog}`;
				layouts.set(key, (layouts.get(key) ?? 0) + 1);
				const written = writeMetadata(m);
				if (Buffer.compare(Buffer.from(written), Buffer.from(bytes)) !== 0) {
					failures.push(`${rel}: rewrite differs (${written.length} vs ${bytes.length} bytes)`);
				}
			} catch (error) {
				failures.push(`${rel}: ${(error as Error).message}`);
			}
		}
		const versions = [...perVersion.entries()].sort((a, b) => a[0] - b[0]).map(([v, n]) => `v${v}: ${n}`);
		console.log(
			`[metadata corpus] ${files.length} files, ${bytesTotal} bytes, ${references} references; ${versions.join(', ')}\n` +
				[...layouts.entries()]
					.sort()
					.map(([k, n]) => `  ${k}: ${n}`)
					.join('\n'),
		);
		expect(failures).toEqual([]);
	});

	it('readMetadataFile gives the same result as readMetadata, with the path as file name', async () => {
		const files = (await findCorpus()).slice(0, 20);
		for (const file of files) {
			const fromFile = await readMetadataFile(file);
			expect(fromFile).toEqual(readMetadata(new Uint8Array(readFileSync(file)), {fileName: file}));
		}
	});

	it('MetadataFileReader reads every file as readMetadataBytes does, through one reused buffer', async () => {
		const reader = new MetadataFileReader();
		// Buffer.compare, not toEqual: toEqual walks 17 MB byte by byte and took a minute on a busy host.
		const differ: string[] = [];
		for (const file of await findCorpus()) {
			const a = reader.read(file);
			const b = await readMetadataBytes(file);
			if (Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) !== 0) differ.push(file);
		}
		expect(differ).toEqual([]);
	});
});
