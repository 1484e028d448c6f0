/**
 * Bundles the command line (`dist/cli.js`, compiled by `tsc`) with its dependencies into
 * `dist/fcx.js`, the `fcx` binary, and its chunks in `dist/chunks/`. Loading Ink, React and their
 * hundred-odd modules one by one took 0.4 s of the explorer's start; bundled, the explorer opens
 * on the sample tree in about 0.35 s from launch instead of 0.65 s. The explorer's code is a chunk
 * loaded only for the explorer: a printed report of the sample tree takes 0.18-0.20 s instead of
 * 0.22-0.23 s. The library (`dist/index.js`) stays unbundled.
 *
 * Run by `npm run build` after `tsc`. A few dependencies are patched as they are bundled
 * ({@link BUNDLE_PATCHES}: each a text replacement that fails the build when its text is gone).
 */
import {readFileSync, rmSync} from 'node:fs';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

/**
 * Text replacements in dependencies' files as they are bundled: `file` matches the path, each of
 * `replace` is `[text, replacement]` and must be found (else the build fails: a new version of the
 * dependency, see its patch); `unless`, when given, matches the paths `file` matches that are
 * another version of the package, left as they are (esbuild's filters have no look-behind). `test/cli/bundle-patches.test.ts` checks each still does what it says.
 */
export const BUNDLE_PATCHES = [
	{
		// Yoga (Ink's layout engine) gets its WebAssembly from a base64 `data:` URL through `fetch`
		// when there is one: Node's first `fetch` loads undici, 0.35 s of the explorer's start on a
		// loaded machine (a third of importing the UI), to decode a string. Told there is no `fetch`,
		// Yoga decodes it itself: with `atob` and a loop over 72,000 characters, 10-15 ms of the
		// explorer's start before the loop is compiled; `Buffer` decodes it in 0.3 ms.
		name: 'yoga-without-fetch',
		file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
		replace: [
			['"function"!=typeof fetch', 'true'],
			[
				'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
				'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
			],
		],
	},
	{
		// Ink turns each frame into text cell by cell: for every cell, the ANSI codes that change
		// from the cell before (three Sets and four arrays a cell). Most neighbours have the same
		// codes (none, mostly): then the difference is nothing, and is not computed. On the first
		// frame, before any of it is compiled, that was a third of the explorer's time to show it.
		// The characters of a line share the array of their codes while those do not change (no
		// one changes such an array: a new code makes a new one), instead of a copy each.
		name: 'ink-frame-same-styles',
		file: /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/,
		replace: [
			['                styles: [...codes],', '                styles: codes,'],
			[
				`        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
				`        else if (!sameCodes(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`,
			],
			['        if (i === chars.length - 1) {', '        if (i === chars.length - 1 && char.styles.length > 0) {'],
			[
				'export function styledCharsToString(chars) {',
				`// The same codes in the same order: diffAnsiCodes gives none.
function sameCodes(a, b) {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
}
export function styledCharsToString(chars) {`,
			],
		],
	},
	{
		// A frame starts as a grid of blank cells (5,850 objects and as many arrays for 150x39) that
		// Ink only reads and replaces, never changes: one frozen blank cell fills it.
		name: 'ink-frame-blank-cells',
		file: /ink[\\/]build[\\/]output\.js$/,
		replace: [
			[
				`                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
				'                row.push(BLANK_CELL);',
			],
			[
				'export default class Output {',
				`const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
export default class Output {`,
			],
		],
	},
	{
		// Ink measures each text's width twice a frame (for the layout, then to write it), and the
		// same texts again at the next frame: with glyphs outside ASCII, each time grapheme by
		// grapheme through Intl.Segmenter and the emoji regular expression (20-40 ms of the first
		// frame on the sample tree, loaded machine). The width of a text is remembered (the last
		// 10,000 texts).
		name: 'widest-line-remembered',
		file: /widest-line[\\/]index\.js$/,
		replace: [
			[
				`export default function widestLine(string) {
	let lineWidth = 0;`,
				`const widths = new Map();
export default function widestLine(string) {
	const known = widths.get(string);
	if (known !== undefined) return known;
	if (widths.size >= 10_000) widths.clear();
	widths.set(string, widestLineOf(string));
	return widths.get(string);
}
function widestLineOf(string) {
	let lineWidth = 0;`,
			],
		],
	},
	{
		// fdir looks for picomatch (its optional glob matcher) as it loads: `require.resolve` up the
		// node_modules directories, then picomatch's six CommonJS files, and with them Node's CommonJS
		// loader, compiled on the spot: every command paid for it at start (`report`, `inspect`, the
		// explorer), for globs fcx never asks fdir for (it crawls with filters and excludes).
		name: 'fdir-without-picomatch',
		file: /fdir[\\/]dist[\\/]index\.mjs$/,
		replace: [['\t__require.resolve("picomatch");\n\tpm = __require("picomatch");', '\tpm = null;']],
	},
	{
		// string-width 8 (Ink's) compiles `/^\p{RGI_Emoji}$/v` as it loads: V8 expands the property
		// of strings into thousands of sequences, 20-45 ms of the explorer's start (loaded machine)
		// and 8-12 ms more at its first test, which the first frame makes (its arrows and box lines
		// are not ASCII). Every RGI emoji holds a character with Emoji_Presentation, or is a sequence
		// with U+FE0F, U+20E3, U+200D, regional indicators, skin-tone modifiers or tags (UTS #51's
		// basic emoji, keycap, flag, modifier, ZWJ and tag sequences): a segment without one is none,
		// and the big expression is made only for a segment with one.
		name: 'string-width-emoji-when-needed',
		file: /string-width[\\/]index\.js$/,
		unless: /wrap-ansi[\\/]node_modules[\\/]string-width/,
		replace: [
			[
				'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
				`const mayBeRgiEmojiRegex = /[\\p{Emoji_Presentation}\\uFE0F\\u20E3\\u200D\\u{1F1E6}-\\u{1F1FF}\\u{1F3FB}-\\u{1F3FF}\\u{E0020}-\\u{E007F}]/u;
let rgiEmojiSequenceRegex;
const rgiEmojiRegex = {test: (segment) => mayBeRgiEmojiRegex.test(segment) && (rgiEmojiSequenceRegex ??= /^\\p{RGI_Emoji}$/v).test(segment)};`,
			],
		],
	},
	{
		// wrap-ansi's string-width (7) goes grapheme by grapheme through Intl.Segmenter and tests
		// each against emoji-regex (compiled at its first test, 4-7 ms of the first frame) even
		// for printable ASCII, whose width is its length (the fast path string-width 8 has).
		name: 'wrap-ansi-string-width-ascii',
		file: /wrap-ansi[\\/]node_modules[\\/]string-width[\\/]index\.js$/,
		replace: [
			[
				`	if (string.length === 0) {
		return 0;
	}

	let width = 0;`,
				`	if (string.length === 0) {
		return 0;
	}

	if (/^[\\u0020-\\u007E]*$/.test(string)) {
		return string.length;
	}

	let width = 0;`,
			],
		],
	},
];

/**
 * `source` with the replacements of `patch`.
 * @throws Error when a text to replace is not in `source` (a new version of the dependency)
 */
export function applyPatch(patch, source, path) {
	let contents = source;
	for (const [text, replacement] of patch.replace) {
		if (!contents.includes(text))
			throw new Error(`${path}: no ${JSON.stringify(text.slice(0, 60))} to replace (a new version?): see ${patch.name} in esbuild.config.js`);
		contents = contents.replaceAll(text, replacement);
	}
	return contents;
}

async function bundle() {
	// Chunk names carry a hash: the chunks of earlier builds go first.
	rmSync('dist/chunks', {recursive: true, force: true});
	await build({
		entryPoints: {fcx: 'dist/cli.js'},
		outdir: 'dist',
		chunkNames: 'chunks/[name]-[hash]',
		splitting: true,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		// React's production build (cli.tsx sets NODE_ENV too, too late for a bundle's `if`s).
		define: {'process.env.NODE_ENV': '"production"'},
		// The CommonJS dependencies (React) `require` Node's built-in modules.
		banner: {js: "import {createRequire as fcxCreateRequire} from 'node:module';\nconst require = fcxCreateRequire(import.meta.url);"},
		plugins: [
			{
				// Ink imports React DevTools only when DEV=true, but the bundle would import the package
				// (not installed) at start: an empty stand-in.
				name: 'no-react-devtools',
				setup(pluginBuild) {
					pluginBuild.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'fcx-stub'}));
					pluginBuild.onLoad({filter: /.*/, namespace: 'fcx-stub'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
				},
			},
			...BUNDLE_PATCHES.map((patch) => ({
				name: patch.name,
				setup(pluginBuild) {
					pluginBuild.onLoad({filter: patch.file}, ({path}) =>
						patch.unless?.test(path) ? undefined : {contents: applyPatch(patch, readFileSync(path, 'utf8'), path), loader: 'js'},
					);
				},
			})),
		],
		logLevel: 'warning',
	});
}

// Imported by the tests for the patches: no build then.
if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
