/**
 * Bundles the command line (`dist/cli.js`, compiled by `tsc`) with its dependencies into
 * `dist/fcx.js`, the `fcx` binary, and its chunks in `dist/chunks/`. Loading Ink, React and their
 * hundred-odd modules one by one took 0.4 s of the explorer's start; bundled, the explorer opens
 * on the sample tree in about 0.35 s from launch instead of 0.65 s. The explorer's code is a chunk
 * loaded only for the explorer: a printed report of the sample tree takes 0.18-0.20 s instead of
 * 0.22-0.23 s. The library (`dist/index.js`) stays unbundled.
 *
 * Run by `npm run build` after `tsc`.
 */
import {readFileSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

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
		{
			// Yoga (Ink's layout engine) gets its WebAssembly from a base64 `data:` URL through
			// `fetch` when there is one: Node's first `fetch` loads undici, 0.35 s of the explorer's
			// start on a loaded machine (a third of importing the UI), to decode a string. Told there
			// is no `fetch`, Yoga decodes it itself.
			name: 'yoga-without-fetch',
			setup(pluginBuild) {
				pluginBuild.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, ({path}) => {
					const source = readFileSync(path, 'utf8');
					const contents = source.replaceAll('"function"!=typeof fetch', 'true');
					if (contents === source) throw new Error(`${path}: no '"function"!=typeof fetch' to replace (a new Yoga?): see esbuild.config.js`);
					return {contents, loader: 'js'};
				});
			},
		},
	],
	logLevel: 'warning',
});
