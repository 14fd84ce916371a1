// User story: the editor exports a finished issue from its board, as a PDF to print and as Markdown for the
// archive, and opens both: the PDF's contents give the page where each piece starts, its draft pieces say
// DRAFT; the Markdown holds every piece. Progress shows while the server works; a failure says why.
import { test, expect } from '@playwright/test';
import { EDITOR, downloadExport, editorPage, signIn, useGalley } from './helpers';
import { buildExportIssue } from '../support/export-issue';
import { contentsNumbers, pdfPageTexts, squeezed } from '../support/pdf-text';

test.describe('exporting an issue', () => {
	const galley = useGalley();

	test('the editor exports the issue from its board as PDF and Markdown and opens them; the PDF’s contents are true', async ({ browser }) => {
		test.setTimeout(120_000);
		const { issueId, pieces } = await buildExportIssue(galley.editorApi, 12, 0.5);
		const page = await galley.pageFor(browser, EDITOR);
		await page.goto(`${galley.url}/issues/${issueId}`);
		// the progress is the app's: wait until it runs in the page (the board's live stream is open)
		await expect(page.getByText('Live: changes by others appear here as they happen.')).toBeVisible();
		const status = page.getByTestId('export-status');

		// hold the PDF's answer until the progress has been seen
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/export?format=pdf', async (route) => {
			await held;
			await route.continue();
		});
		const pdfDownload = downloadExport(page, 'PDF');
		await expect(status).toContainText('Preparing the PDF export');
		await expect(page.getByRole('link', { name: 'Markdown', exact: true })).toHaveAttribute('aria-disabled', 'true'); // one export at a time
		release();
		const pdf = await pdfDownload;
		expect(pdf.name).toBe('basin-watch-vol-7-issue-12.pdf');
		await expect(status).toHaveText('Exported as basin-watch-vol-7-issue-12.pdf');
		const pages = (await pdfPageTexts(pdf.bytes)).map(squeezed);
		expect(pages[0]).toContain('VOLUMEVII,ISSUE12');
		const numbers = contentsNumbers(pages[0], pieces.map((p) => p.title));
		numbers.forEach((n, i) => {
			expect(pages[n - 1], pieces[i].title).toContain(squeezed(pieces[i].title));
			expect(pages[n - 1].includes('DRAFT'), pieces[i].title).toBe(!pieces[i].final);
		});

		const md = await downloadExport(page, 'Markdown');
		expect(md.name).toBe('basin-watch-vol-7-issue-12.md');
		const markdown = new TextDecoder().decode(md.bytes);
		expect(markdown).toMatch(/^Basin Watch\n/);
		for (const p of pieces) expect(markdown).toContain(p.title);
	});

	test('a failed export says why and saves nothing', async ({ browser }) => {
		const { pieces } = await buildExportIssue(galley.editorApi, 13, 0.2);
		const page = await galley.pageFor(browser, EDITOR);
		await page.route('**/export?format=pdf', (route) =>
			route.fulfill({ status: 503, json: { error: { message: 'PDF export needs Chromium, which is not installed on the server: install it with `apt-get install -y chromium`' } } })
		);
		let downloads = 0;
		page.on('download', () => downloads++);
		await page.goto(`${galley.url}/pieces/${pieces[0].id}`);
		await expect(editorPage(page).connection).toHaveText('Connected'); // the app runs in the page
		await page.getByRole('group', { name: 'Export this piece' }).getByRole('link', { name: 'PDF', exact: true }).click();
		await expect(page.getByTestId('export-error')).toHaveText('PDF export failed: PDF export needs Chromium, which is not installed on the server: install it with `apt-get install -y chromium`');
		await expect(page.getByTestId('export-status')).toHaveText('');
		expect(downloads).toBe(0);
	});

	test('without JavaScript, an export link downloads the file (a GET; exporting changes nothing)', async ({ browser }) => {
		const { issueId, pieces } = await buildExportIssue(galley.editorApi, 14, 0.5);
		const context = await browser.newContext({ javaScriptEnabled: false });
		try {
			await signIn(context, galley, EDITOR);
			const page = await context.newPage();
			await page.goto(`${galley.url}/issues/${issueId}`);
			const md = await downloadExport(page, 'Markdown');
			expect(md.name).toBe('basin-watch-vol-7-issue-14.md');
			const markdown = new TextDecoder().decode(md.bytes);
			for (const p of pieces) expect(markdown).toContain(p.title);
		} finally {
			await context.close();
		}
	});
});
