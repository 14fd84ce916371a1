// The process's PDF printer: one headless Chromium (playwright-core), launched on the first PDF export, kept
// warm between exports, relaunched when it died, closed on shutdown. At most PRINT_CONCURRENCY pages print at
// once; the others wait their turn. Pages print with JavaScript off and every network request refused: an
// export is made of the document alone.
import fs from 'node:fs';
// playwright-core is loaded on the first PDF export only: importing it costs a Galley start about half a second
// of CPU (a large bundle to parse and run), for a feature most processes never use.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM_PATH } from './chromium-args';

/** Two cores: two prints at a time keep both busy without starving the rest of the server. */
export const PRINT_CONCURRENCY = 2;

/** The install command a 503 names when Chromium is not there. */
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

/** Chromium is not installed at the configured path: the PDF export answers 503. */
export class ChromiumMissing extends Error {
	constructor(readonly path: string) {
		super(`PDF export needs Chromium, which is not installed on the server (looked for ${path}): install it with \`${CHROMIUM_INSTALL}\`, or set GALLEY_CHROMIUM_PATH to where it is`);
	}
}

/** Chromium failed to print (crashed, timed out): nothing was written; the message says why. */
export class PrintFailed extends Error {}

const PRINT_TIMEOUT_MS = 60_000;

type Warm = { browser: Browser; context: BrowserContext; idle: Page[] };

export class PdfPrinter {
	/** The browser, the one context every print's page is in (JavaScript off, offline), and the pages free for the next prints. */
	private browser: Promise<Warm> | null = null;
	private running = 0;
	private queue: (() => void)[] = [];
	private closed = false;

	constructor(readonly executablePath: string = DEFAULT_CHROMIUM_PATH) {}

	/** Whether the configured Chromium exists (checked on every export: it may be installed or removed meanwhile). */
	available(): boolean {
		try {
			fs.accessSync(this.executablePath, fs.constants.X_OK);
			return fs.statSync(this.executablePath).isFile();
		} catch {
			return false;
		}
	}

	/** `html` printed to PDF, using the page size and margins of its CSS (@page). */
	async print(html: string): Promise<Uint8Array> {
		if (!this.available()) throw new ChromiumMissing(this.executablePath);
		await this.turn();
		try {
			return await this.printOnce(html);
		} finally {
			this.release();
		}
	}

	private async printOnce(html: string): Promise<Uint8Array> {
		const warm = await this.launched();
		let page: Page | null = null;
		try {
			// a page left open by an earlier print (opening one takes longer than printing a short issue)
			page = warm.idle.pop() ?? (await warm.context.newPage());
			page.setDefaultTimeout(PRINT_TIMEOUT_MS);
			await page.setContent(html, { waitUntil: 'load' });
			const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
			if (warm.idle.length < PRINT_CONCURRENCY) warm.idle.push(page);
			else await page.close();
			page = null;
			return new Uint8Array(pdf);
		} catch (err) {
			throw new PrintFailed(`Chromium could not print the export: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
		} finally {
			await page?.close().catch(() => {}); // failed: never reused
		}
	}

	private launched(): Promise<Warm> {
		if (this.closed) return Promise.reject(new PrintFailed('The server is shutting down'));
		if (!this.browser) {
			const launching = import('playwright-core')
				.then(({ chromium }) => chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true }))
				.then(async (browser) => {
					// a crashed or killed browser is launched afresh by the next export
					browser.on('disconnected', () => {
						if (this.browser === launching) this.browser = null;
					});
					const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
					await context.route('**/*', (route) => route.abort());
					return { browser, context, idle: [] as Page[] };
				});
			launching.catch(() => {
				if (this.browser === launching) this.browser = null;
			});
			this.browser = launching;
		}
		return this.browser.catch((err) => {
			if (err instanceof Error && /ENOENT|executable doesn't exist/i.test(err.message)) throw new ChromiumMissing(this.executablePath);
			throw new PrintFailed(`Chromium did not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
		});
	}

	private turn(): Promise<void> {
		if (this.running < PRINT_CONCURRENCY) {
			this.running++;
			return Promise.resolve();
		}
		return new Promise((resolve) => this.queue.push(resolve));
	}

	private release(): void {
		const next = this.queue.shift();
		if (next) next();
		else this.running--;
	}

	/** Close the browser (on shutdown); a later print refuses. */
	async close(): Promise<void> {
		this.closed = true;
		const browser = this.browser;
		this.browser = null;
		if (browser) await (await browser.catch(() => null))?.browser.close().catch(() => {});
	}
}

const KEY = Symbol.for('galley.pdfPrinter');
type Holder = { [KEY]?: PdfPrinter };

/** The process's printer (one browser per process, like the runtime: this module may be loaded twice). */
export function pdfPrinter(executablePath: string): PdfPrinter {
	const holder = globalThis as Holder;
	if (!holder[KEY] || holder[KEY].executablePath !== executablePath) holder[KEY] = new PdfPrinter(executablePath);
	return holder[KEY];
}

/** Close the process's printer, if one was made (stopGalley). */
export async function closePdfPrinter(): Promise<void> {
	const holder = globalThis as Holder;
	const printer = holder[KEY];
	delete holder[KEY];
	await printer?.close();
}
