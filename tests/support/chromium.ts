// The browser of the end-to-end tests (playwright.config.ts) and of the benchmarks (bench/interview.ts,
// bench/export.ts): Debian's Chromium, launched the same way as the server's PDF printer launches it
// (src/lib/server/export/chromium-args.ts), so tests and benchmarks measure the browser the server runs.
import { CHROMIUM_ARGS as ARGS, DEFAULT_CHROMIUM_PATH } from '../../src/lib/server/export/chromium-args';

/** Debian's Chromium; `npx playwright install` is neither needed nor possible. */
export const CHROMIUM_PATH = DEFAULT_CHROMIUM_PATH;

/** No sandbox (containers), no GPU, and none of the background traffic a fresh profile would start. */
export const CHROMIUM_ARGS = ARGS;
