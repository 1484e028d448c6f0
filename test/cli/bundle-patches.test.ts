/**
 * The patches `esbuild.config.js` applies to dependencies as it bundles the binary: each still
 * finds its text, and the patched code does what the original did.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {tempDir} from '../support/temp.js';

interface Patch {
	name: string;
	file: RegExp;
	replace: [string, string][];
}

interface AnsiTokenize {
	tokenize(text: string): unknown[];
	styledCharsFromTokens(tokens: unknown[]): StyledChar[];
	styledCharsToString(chars: StyledChar[]): string;
}

interface StyledChar {
	type: 'char';
	value: string;
	fullWidth: boolean;
	styles: unknown[];
}

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const config = pathToFileURL(path.join(root, 'esbuild.config.js')).href;
const {BUNDLE_PATCHES, applyPatch} = (await import(config)) as {BUNDLE_PATCHES: Patch[]; applyPatch: (patch: Patch, source: string, file: string) => string};

/** The directory of Ink's dependency `name` (beside Ink, or Ink's own). */
function packageDir(name: string): string {
	const ink = path.join(root, 'node_modules/ink');
	const nested = path.join(ink, 'node_modules', name);
	return existsSync(nested) ? nested : path.join(root, 'node_modules', name);
}

function patchOf(name: string): Patch {
	const patch = BUNDLE_PATCHES.find((p) => p.name === name);
	if (patch === undefined) throw new Error(`no patch ${name}`);
	return patch;
}

/** A patched copy of the dependency's `file` in a temporary directory, its relative imports pointing back to the originals. */
function patchedCopy(name: string, file: string): string {
	const patch = patchOf(name);
	expect(file).toMatch(patch.file);
	const source = applyPatch(patch, readFileSync(file, 'utf8'), file);
	const absolute = source
		.replaceAll(/from "(\.\/[^"]+)"/g, (_, relative: string) => `from "${pathToFileURL(path.join(path.dirname(file), relative)).href}"`)
		.replace(/^\/\/# sourceMappingURL=.*$/m, '');
	const copy = path.join(tempDir('fcx-patch-'), path.basename(file));
	writeFileSync(copy, absolute);
	return copy;
}

describe('the bundle patches', () => {
	it('Ink turns a frame into the same text when neighbouring cells with the same styles are not compared', async () => {
		const file = path.join(packageDir('@alcalzone/ansi-tokenize'), 'build/styledChars.js');
		const original = (await import(pathToFileURL(path.join(path.dirname(file), 'index.js')).href)) as AnsiTokenize;
		const patched = (await import(pathToFileURL(patchedCopy('ink-frame-same-styles', file)).href)) as Omit<AnsiTokenize, 'tokenize'>;
		const codes = [
			'\u001B[1m',
			'\u001B[22m',
			'\u001B[2m',
			'\u001B[31m',
			'\u001B[39m',
			'\u001B[7m',
			'\u001B[27m',
			'\u001B[0m',
			'\u001B[38;5;208m',
			'\u001B[4m',
			'\u001B[24m',
		];
		const piece = fc.oneof(fc.constantFrom(...codes), fc.constantFrom('a', ' ', '✓', '漢', 'xyz', '…'));
		const line = fc.array(piece, {maxLength: 12}).map((pieces) => original.tokenize(pieces.join('')));
		// Ink's cells: the characters of several writes and blank cells, side by side.
		const blank = fc.constant('blank' as const);
		const cellsOf = (parts: ('blank' | unknown[])[], from: Omit<AnsiTokenize, 'tokenize'>): StyledChar[] =>
			parts.flatMap((part) => (part === 'blank' ? [{type: 'char' as const, value: ' ', fullWidth: false, styles: []}] : from.styledCharsFromTokens(part)));
		fc.assert(
			fc.property(fc.array(fc.oneof(line, blank), {maxLength: 6}), (parts) => {
				const before = cellsOf(parts, original);
				const after = cellsOf(parts, patched);
				expect(after).toEqual(before);
				expect(patched.styledCharsToString(after)).toBe(original.styledCharsToString(before));
			}),
			{numRuns: 500},
		);
	});

	it("Yoga's WebAssembly, decoded without fetch and with Buffer, loads", async () => {
		const file = path.join(packageDir('yoga-layout'), 'dist/binaries/yoga-wasm-base64-esm.js');
		const {default: loadYoga} = (await import(pathToFileURL(patchedCopy('yoga-without-fetch', file)).href)) as {
			default: () => Promise<Record<string, unknown>>;
		};
		const yoga = await loadYoga();
		expect(typeof yoga.Node).toBe('function');
		expect(typeof yoga.Config).toBe('function');
	});

	it('a text measured again has the width it had (widest-line), and every patch finds its text in the installed version', async () => {
		const file = path.join(packageDir('widest-line'), 'index.js');
		const stringWidth = pathToFileURL(path.join(packageDir('string-width'), 'index.js')).href;
		const copy = patchedCopy('widest-line-remembered', file);
		writeFileSync(copy, readFileSync(copy, 'utf8').replace("from 'string-width'", `from '${stringWidth}'`));
		const original = (await import(pathToFileURL(file).href)) as {default: (text: string) => number};
		const patched = (await import(pathToFileURL(copy).href)) as {default: (text: string) => number};
		const text = fc
			.array(fc.constantFrom('a', ' ', '✓', '漢', '…', '\n', '\u001B[1m', '\u001B[22m', '👍', 'é'), {maxLength: 10})
			.map((parts) => parts.join(''));
		fc.assert(
			fc.property(text, (value) => {
				expect(patched.default(value)).toBe(original.default(value));
				expect(patched.default(value)).toBe(original.default(value));
			}),
			{numRuns: 300},
		);
		const output = path.join(packageDir('ink'), 'build/output.js');
		expect(() => applyPatch(patchOf('ink-frame-blank-cells'), readFileSync(output, 'utf8'), output)).not.toThrow();
	});

	it('fdir, without looking for picomatch, crawls a directory as it did', async () => {
		type Crawl = {withPathSeparator(s: string): Crawl; withFullPaths(): Crawl; crawl(dir: string): {withPromise(): Promise<string[]>}};
		type Fdir = {fdir: new () => Crawl};
		const file = path.join(root, 'node_modules/fdir/dist/index.mjs');
		const original = (await import(pathToFileURL(file).href)) as Fdir;
		const patched = (await import(pathToFileURL(patchedCopy('fdir-without-picomatch', file)).href)) as Fdir;
		const dir = tempDir('fcx-fdir-');
		for (const name of ['a/b/c', 'a/d', 'e']) mkdirSync(path.join(dir, name), {recursive: true});
		for (const name of ['a/b/c/1', 'a/d/2', 'e/3', '4']) writeFileSync(path.join(dir, name), name);
		const crawl = async (from: Fdir): Promise<string[]> => (await new from.fdir().withFullPaths().withPathSeparator('/').crawl(dir).withPromise()).sort();
		expect(await crawl(patched)).toEqual(await crawl(original));
		expect(await crawl(patched)).toHaveLength(4);
	});

	it('string-width 8 gives the widths it gave with its RGI emoji expression made only for a segment that may be one', async () => {
		const file = path.join(root, 'node_modules/string-width/index.js');
		const copy = patchedCopy('string-width-emoji-when-needed', file);
		const absolute = (name: string): string => pathToFileURL(path.join(root, 'node_modules', name, 'index.js')).href;
		writeFileSync(
			copy,
			readFileSync(copy, 'utf8')
				.replace("from 'strip-ansi'", `from '${absolute('strip-ansi')}'`)
				.replace("from 'get-east-asian-width'", `from '${absolute('get-east-asian-width')}'`),
		);
		type Width = (text: string, options?: {ambiguousIsNarrow?: boolean}) => number;
		const original = ((await import(pathToFileURL(file).href)) as {default: Width}).default;
		const patched = ((await import(pathToFileURL(copy).href)) as {default: Width}).default;
		// Every character of the Basic Multilingual Plane and of the emoji planes, alone.
		const singles: string[] = [];
		for (let cp = 0; cp <= 0xffff; cp++) singles.push(String.fromCharCode(cp));
		for (let cp = 0x1f000; cp <= 0x1faff; cp++) singles.push(String.fromCodePoint(cp));
		for (let cp = 0xe0000; cp <= 0xe007f; cp++) singles.push(String.fromCodePoint(cp));
		const differ = singles.filter((c) => patched(c) !== original(c) || patched(c, {ambiguousIsNarrow: false}) !== original(c, {ambiguousIsNarrow: false}));
		expect(differ.map((c) => c.codePointAt(0)?.toString(16))).toEqual([]);
		// Sequences: keycaps, flags, tags, skin tones, ZWJ families, text-default characters with U+FE0F, and their pieces.
		const pieces = [
			'a',
			' ',
			'│',
			'↑',
			'↔',
			'↔️',
			'☺',
			'☺️',
			'#️⃣',
			'1⃣',
			'🇩🇪',
			'🇩',
			'🏴󠁧󠁢󠁳󠁣󠁴󠁿',
			'\u{E0067}',
			'👍🏽',
			'🏽',
			'👨‍👩‍👧',
			'\u200D',
			'\uFE0F',
			'漢',
			'é',
			'e\u0301',
			'ᄀ',
			'ᅡ',
			'…',
			'\u001B[1m',
			'😀',
		];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 8}), fc.boolean(), (parts, narrow) => {
				const text = parts.join('');
				expect(patched(text, {ambiguousIsNarrow: narrow})).toBe(original(text, {ambiguousIsNarrow: narrow}));
			}),
			{numRuns: 2000},
		);
	});

	it("wrap-ansi's string-width 7 gives printable ASCII and everything else the widths it gave", async () => {
		const file = path.join(root, 'node_modules/wrap-ansi/node_modules/string-width/index.js');
		const copy = patchedCopy('wrap-ansi-string-width-ascii', file);
		const from = (name: string): string => {
			const nested = path.join(path.dirname(path.dirname(file)), name, 'index.js');
			return pathToFileURL(existsSync(nested) ? nested : path.join(root, 'node_modules', name, 'index.js')).href;
		};
		writeFileSync(
			copy,
			readFileSync(copy, 'utf8')
				.replace("from 'strip-ansi'", `from '${from('strip-ansi')}'`)
				.replace("from 'get-east-asian-width'", `from '${from('get-east-asian-width')}'`)
				.replace("from 'emoji-regex'", `from '${from('emoji-regex')}'`),
		);
		type Width = (text: string) => number;
		const original = ((await import(pathToFileURL(file).href)) as {default: Width}).default;
		const patched = ((await import(pathToFileURL(copy).href)) as {default: Width}).default;
		for (let cp = 0x20; cp <= 0x7e; cp++) expect(patched(String.fromCharCode(cp))).toBe(original(String.fromCharCode(cp)));
		const pieces = ['a', ' ', '~', '#', '1', '*', '\t', '\u001B[1m', '│', '#️⃣', '😀', '漢', 'e\u0301'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 8}), (parts) => {
				const text = parts.join('');
				expect(patched(text)).toBe(original(text));
			}),
			{numRuns: 1000},
		);
	});

	it('refuses a file without the text to replace', () => {
		expect(() => applyPatch(patchOf('yoga-without-fetch'), 'export {};', 'x.js')).toThrow('a new version?');
	});
});
