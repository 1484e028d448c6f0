/**
 * Bundles the command line (`dist/cli.js`, compiled by `tsc`) with its dependencies into one file,
 * `dist/fcx.js`, the `fcx` binary. Loading Ink, React and their hundred-odd modules one by one
 * took 0.4 s of the explorer's start; one bundle opens the explorer on the sample tree in about
 * 0.35 s from launch instead of 0.65 s. The library (`dist/index.js`) stays unbundled.
 *
 * Run by `npm run build` after `tsc`.
 */
import {build} from 'esbuild';

await build({
	entryPoints: ['dist/cli.js'],
	outfile: 'dist/fcx.js',
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
	],
	logLevel: 'warning',
});
