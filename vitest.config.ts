import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// Ink only writes intermediate frames when it believes it is not in CI; CI runs with CI=true.
		env: {CI: 'false'},
		// Properties run from a fixed seed unless FCX_PROPERTY_SEED says otherwise.
		setupFiles: ['./test/property-seed.ts'],
		reporters: ['default', './test/summary-reporter.ts'],
		testTimeout: 60_000,
		hookTimeout: 60_000,
	},
});
