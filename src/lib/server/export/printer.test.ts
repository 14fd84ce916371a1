import { afterAll, describe, expect, it } from 'vitest';
import { getDocumentProxy } from 'unpdf';
import { ChromiumMissing, PdfPrinter } from './printer';

const PAGE = '<!doctype html><style>@page { size: A5; margin: 15mm }</style><h1>Sabotage on the Varesh Canal</h1>';
const pages = async (pdf: Uint8Array) => (await getDocumentProxy(new Uint8Array(pdf))).numPages;

describe('PdfPrinter', () => {
	const printer = new PdfPrinter();
	afterAll(() => printer.close());

	it('refuses with the install command when Chromium is not at its path, launching nothing', async () => {
		const missing = new PdfPrinter('/nonexistent/chromium');
		expect(missing.available()).toBe(false);
		const err = await missing.print(PAGE).catch((e) => e);
		expect(err).toBeInstanceOf(ChromiumMissing);
		expect(err.message).toContain('apt-get install -y chromium');
		expect(err.message).toContain('GALLEY_CHROMIUM_PATH');
	});

	it('keeps one browser warm between prints, and launches a new one when it died', async () => {
		const first = await printer.print(PAGE);
		expect(new TextDecoder().decode(first.slice(0, 5))).toBe('%PDF-');
		const browser = await (printer as unknown as { browser: Promise<{ browser: { close(): Promise<void> } }> }).browser;
		await printer.print(PAGE);
		expect(await (printer as unknown as { browser: Promise<unknown> }).browser).toBe(browser); // the same one
		await browser.browser.close(); // as if it crashed
		const again = await printer.print(PAGE);
		expect(await pages(again)).toBe(1);
		expect(await (printer as unknown as { browser: Promise<unknown> }).browser).not.toBe(browser);
	}, 60_000);

	it('prints many pages at once, a few at a time, each whole', async () => {
		const all = await Promise.all(Array.from({ length: 5 }, (_, i) => printer.print(PAGE + '<p style="break-before: page">more</p>'.repeat(i))));
		expect(await Promise.all(all.map(pages))).toEqual([1, 2, 3, 4, 5]);
	}, 60_000);
});
