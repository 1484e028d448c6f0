/**
 * Where the real Flink files live (`../shared/flink-metadata`, beside the project; never copied
 * into it) and how the tests find them.
 */
import {existsSync, readFileSync} from 'node:fs';
import {readdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The project's root directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real-file corpus directory. */
export const corpusDir = path.resolve(projectRoot, '../shared/flink-metadata');

/** Whether the corpus is present (tests skip visibly when it is not). */
export const corpusExists = existsSync(corpusDir);

/** The `_metadata` magic number, `0x4960672D`. */
export const METADATA_MAGIC = [0x49, 0x60, 0x67, 0x2d];

/** Log, once per test file, that the real-file tests of `what` were skipped. */
export function reportSkippedCorpus(tag: string, what: string): void {
	if (!corpusExists) console.log(`[${tag}] ${corpusDir} not found: ${what} SKIPPED`);
}

/** Files named `_metadata` plus any file listed in MANIFEST.tsv (first column) that starts with the magic; sorted. */
export async function findCorpus(): Promise<string[]> {
	const found = new Set<string>();
	const walk = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, {withFileTypes: true})) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) await walk(full);
			else if (entry.isFile() && entry.name === '_metadata') found.add(full);
		}
	};
	await walk(corpusDir);
	const manifest = path.join(corpusDir, 'MANIFEST.tsv');
	if (existsSync(manifest)) {
		for (const line of readFileSync(manifest, 'utf8').split('\n').slice(1)) {
			const rel = line.split('\t')[0];
			if (!rel) continue;
			const full = path.join(corpusDir, rel);
			if (found.has(full) || !existsSync(full)) continue;
			const head = readFileSync(full).subarray(0, 4);
			if (head.length === 4 && METADATA_MAGIC.every((b, i) => head[i] === b)) found.add(full);
		}
	}
	return [...found].sort();
}
