// The browser of the end-to-end tests (playwright.config.ts) and of the interview benchmark (bench/interview.ts):
// Debian's Chromium, launched the same way by both, so the benchmark measures the browser the tests run.

/** Debian's Chromium; `npx playwright install` is neither needed nor possible. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** No sandbox (containers), no GPU, and none of the background traffic a fresh profile would start. */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];
