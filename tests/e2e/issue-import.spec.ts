// User story: the editor brings an archived issue in from the UI. They upload the issue's text file on
// /issues/import, see what was found (the masthead, every piece in contents order, contributors, sources),
// confirm, and land on the new issue's board with its pieces in contents order; they open a brief, reopen it
// (an archived issue's pieces come in published) and edit it; back on the board they export the issue as a
// PDF and as Markdown and open both: the edit is in them, the contents' page numbers are the pages where the
// pieces start, and the reopened brief is marked DRAFT.
import { test, expect } from '@playwright/test';
import { EDITOR, downloadExport, editorPage, pieceText, signIn, useGalley } from './helpers';
import { contentsNumbers, pdfPageTexts, squeezed } from '../support/pdf-text';
import { BULLETIN_ISSUE_PATH, bulletinIssue } from '../support/bulletin-issue';

const SLOW = { timeout: 30_000 };

const CONTENTS_ORDER = [
	"Sabotage on the Varesh Canal Tests Talmar's New Water Pact",
	"Did the Drought Push Kessland's Herders Toward the Amber Brigades?",
	"The Amber Brigades' Campaign Against the River Wardens",
	'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar',
	'Basin Watch Interview With Dr. Anneli Varga'
];

test.describe('importing an archived issue', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley();

	test('the editor uploads an archived issue, checks the preview, confirms, lands on its board in contents order, and edits a brief', async ({ browser }) => {
		const page = await galley.pageFor(browser, EDITOR);
		await page.goto(`${galley.url}/issues`);
		await page.getByRole('link', { name: 'Import an archived issue' }).click();
		await expect(page).toHaveURL(/\/issues\/import$/);
		// chosen and previewed: by the page once it has started (reading and sending with progress), by the
		// form before (?/preview): either way the preview below
		await page.getByLabel('Upload a .txt file').setInputFiles(BULLETIN_ISSUE_PATH);
		await page.getByRole('button', { name: 'Preview' }).click();

		// the preview: masthead, the pieces in contents order with what they hold, the contributors
		const preview = page.getByRole('region', { name: 'What was found in bulletin-issue.txt' });
		await expect(preview).toBeVisible(SLOW);
		await expect(preview.getByText('VOLUME VII, ISSUE 12')).toBeVisible();
		const found = preview.getByRole('list', { name: 'Pieces, in contents order' }).locator('.title');
		await expect(found).toHaveText(CONTENTS_ORDER);
		await expect(preview.getByText('5 notes')).toBeVisible();
		await expect(preview.getByText('12 turns')).toBeVisible();
		await expect(preview.getByText(/Contributors: Maren Holt \(new\), Lucía Ferraro \(new\), Kwame Adjei-Mensah \(new\)/)).toBeVisible();

		await preview.getByRole('button', { name: 'Import 5 pieces' }).click();
		await page.waitForURL(/\/issues\/(?!import)[A-Za-z0-9_-]+$/, SLOW);
		const board = page.locator('li.piece');
		await expect(board).toHaveCount(5, SLOW);
		expect(await board.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))).toEqual(CONTENTS_ORDER);

		// open the first brief: published (locked); the editor reopens it and edits it
		await page.getByRole('link', { name: CONTENTS_ORDER[0] }).click();
		await page.waitForURL(/\/pieces\//, SLOW);
		const ed = editorPage(page);
		await expect(ed.connection).toHaveText('Connected', SLOW);
		await expect(page.getByTestId('review-state')).toHaveText('Published', SLOW);
		await expect.poll(() => pieceText(ed.text), SLOW).toContain('On March 9, photographs circulated');
		await page.getByRole('button', { name: 'Reopen' }).click();
		await expect(page.getByTestId('review-state')).toHaveText('Draft', SLOW);
		await expect(ed.text).toHaveAttribute('contenteditable', 'true', SLOW);
		await ed.text.click();
		await page.keyboard.press('ControlOrMeta+End');
		await page.keyboard.type(' The canal reopened on March 20.', { delay: 10 });
		await expect(ed.save).toHaveText('Saved', SLOW);
		const md = await (await page.request.get(`${page.url().replace('/pieces/', '/api/pieces/')}/content?format=markdown`)).text();
		expect(md).toContain('([Talmar Press Agency](#), March 15). The canal reopened on March 20.');

		// back to the board: the issue as a PDF and as Markdown, opened
		await page.goBack();
		await page.waitForURL(/\/issues\/(?!import)[A-Za-z0-9_-]+$/, SLOW);
		// Back changes the address before the board replaces the piece's page (and its own export buttons)
		await expect(page.getByRole('group', { name: 'Export this issue' })).toBeVisible(SLOW);
		const pdf = await downloadExport(page, 'PDF');
		expect(pdf.name).toBe('basin-watch-vol-7-issue-12.pdf');
		const pages = (await pdfPageTexts(pdf.bytes)).map(squeezed);
		expect(pages[0]).toContain('VOLUMEVII,ISSUE12');
		contentsNumbers(pages[0], CONTENTS_ORDER).forEach((n, i) => {
			expect(pages[n - 1], CONTENTS_ORDER[i]).toContain(squeezed(CONTENTS_ORDER[i]));
			// the reopened brief is a draft again; the rest came in published
			expect(pages[n - 1].includes('DRAFT'), CONTENTS_ORDER[i]).toBe(i === 0);
		});
		expect(pages.join('')).toContain(squeezed('The canal reopened on March 20.'));
		const markdown = new TextDecoder().decode((await downloadExport(page, 'Markdown')).bytes);
		expect(markdown).toMatch(/^Basin Watch\n/);
		expect(markdown).toContain('The canal reopened on March 20.');
		for (const title of CONTENTS_ORDER) expect(squeezed(markdown)).toContain(squeezed(title));
	});

	test('without JavaScript the archive form previews the pasted issue and imports it (?/preview, ?/import)', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		try {
			await signIn(context, galley, EDITOR);
			const page = await context.newPage();
			await page.goto(`${galley.url}/issues/import`);
			await page.getByLabel('Or paste it').fill(bulletinIssue().replace('VOLUME VII, ISSUE 12', 'VOLUME VII, ISSUE 13'));
			await page.getByRole('button', { name: 'Preview' }).click();
			const preview = page.getByRole('region', { name: 'What was found' });
			await expect(preview.getByText('VOLUME VII, ISSUE 13')).toBeVisible();
			await expect(preview.getByRole('list', { name: 'Pieces, in contents order' }).locator('.title')).toHaveText(CONTENTS_ORDER);
			await preview.getByRole('button', { name: 'Import 5 pieces' }).click();
			await page.waitForURL(/\/issues\/(?!import)[A-Za-z0-9_-]+$/, SLOW);
			await expect(page.getByTestId('volume-issue')).toHaveText('VOLUME VII, ISSUE 13');
			expect(await page.locator('li.piece').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')))).toEqual(CONTENTS_ORDER);
		} finally {
			await context.close();
		}
	});
});
