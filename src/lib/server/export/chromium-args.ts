// How Galley launches Chromium: the server's PDF printer (export/printer.ts), the end-to-end tests and the
// benchmarks (tests/support/chromium.ts re-exports these), so all of them run the same browser the same way.

/** Debian's Chromium (`apt-get install -y chromium`); `npx playwright install` is neither needed nor possible. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

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
