import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/support/chromium';

/**
 * Galley's end-to-end tests. No `webServer`: every describe block gets its own Galley (the production build,
 * `npm run build` first) on port 0 with a fresh database through tests/support/galley-server.ts, so a test
 * can kill -9 the server and start it again on the same data, and no story sees another's data. A worker starts
 * the next block's PGlite Galley in the background while the current block runs (`useGalley` in
 * tests/e2e/helpers.ts), so blocks do not wait for a server start between them.
 *
 * The browser is Debian's Chromium (/usr/bin/chromium); `npx playwright install` is neither needed nor possible.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.spec.ts',
	// Checks that the build exists and is not older than the sources.
	globalSetup: './tests/e2e/global-setup.ts',
	// Spec files run in parallel (one server each); the tests inside a file run in order, sharing its server.
	fullyParallel: false,
	workers: 2,
	// No retries: a flaky test is a bug to fix, not to hide.
	retries: 0,
	forbidOnly: !!process.env.CI,
	// Per test, and per beforeAll hook (which starts a server on a fresh database; PGlite ones are copies of
	// a cached empty one, see tests/support/test-database.ts).
	timeout: 60_000,
	expect: { timeout: 10_000 },
	// A guard against a hung run, not the budget: the stories take about 6.2 min in CI on 2 cores, with the next
	// block's server started in the background (2026-12-07; 13.3 min before, and 9.9 min at load 9-19).
	globalTimeout: 30 * 60_000,
	// `list`; plus JSON when scripts/test.mjs asks for it (it reads the totals from PLAYWRIGHT_JSON_OUTPUT_NAME).
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
	// Screenshots and traces of failed tests. Overridable so two runs in one checkout do not wipe each other's.
	outputDir: process.env.GALLEY_E2E_OUTPUT_DIR ?? 'test-results/e2e',
	use: {
		...devices['Desktop Chrome'],
		channel: undefined,
		locale: 'en-GB',
		timezoneId: 'Europe/Berlin',
		actionTimeout: 10_000,
		navigationTimeout: 15_000,
		// No trace by default: recording one (a DOM snapshot before and after every action, sent through the
		// browser to the runner) costs every passing test too, about 8 % of the stories' time (three spec files:
		// 74-76 s without, 80-83 s with, 2026-12-08), and CI's clone, where it would be kept, is deleted after
		// the run. To see a failing story's actions, DOM, console and network: `npx playwright test <spec>
		// --trace retain-on-failure`, then `npx playwright show-trace` on the zip it names. A failed test still
		// gets its screenshot and its server's log (helpers.ts).
		trace: 'off',
		screenshot: 'only-on-failure',
		launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
	}
});
