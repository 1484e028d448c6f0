import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * The layers of `source/`, lowest first (docs/architecture.md). A folder imports only from the
 * folders before it in this list, type imports included; folders on one line are one layer.
 */
const LAYERS = [['text'], ['metadata'], ['store', 'tree'], ['analysis'], ['cleanup'], ['report'], ['ui'], ['cli']];

/** One config per layer: `no-restricted-imports` of every folder above it, as written in a relative import. */
function layerRules() {
	return LAYERS.flatMap((layer, index) => {
		const above = LAYERS.slice(index + 1).flat();
		if (above.length === 0) return [];
		return [
			{
				files: layer.map((folder) => `source/${folder}/**/*.{ts,tsx}`),
				rules: {
					'no-restricted-imports': [
						'error',
						{
							patterns: [
								{
									regex: `^(\\.\\./)+(${above.join('|')})(/|$)|^(\\.\\./)+cli\\.js$`,
									message: `layers import only downwards (${LAYERS.map((l) => l.join('|')).join(' < ')}); see docs/architecture.md`,
								},
							],
						},
					],
				},
			},
		];
	});
}

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'fixtures/sample-tree/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.{ts,tsx}'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'warn',
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'no-constant-condition': ['error', {checkLoops: false}],
			// Braces around every body that spans lines; a one-line `if (done) return;` stays as it reads.
			curly: ['error', 'multi-line', 'consistent'],
		},
	},
	{
		// Type-aware rules that find real bugs (a promise nobody awaits, a switch that misses a case), kept to
		// a few so that lint stays fast; the type checker itself runs in `npm run typecheck`.
		files: ['source/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/no-unnecessary-type-assertion': 'error',
			'@typescript-eslint/switch-exhaustiveness-check': ['error', {considerDefaultExhaustiveForUnions: true}],
		},
	},
	...layerRules(),
);
