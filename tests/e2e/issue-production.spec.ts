// The editor runs an issue end to end in three browsers: an issue with its article on the board; two sections
// of the article assigned from beside their headings to two contributors, who see the notification arrive
// live, find the work under "My assignments" and write in their own sections at the same time (each the only
// writable part of their page) while the editor's board shows the word counts moving and a late marker.
import { test, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { tokenClient } from '../support/api-client';
import { writeFerryAndDam } from '../support/ferry-and-dam';
import { EDITOR, openPiece, pieceText, useGalley } from './helpers';

const CARL = { email: 'carl@example.org', name: 'Carl Ferryman', password: 'contributor secret 1' };
const DORA = { email: 'dora@example.org', name: 'Dora Damsworth', password: 'contributor secret 2' };
const TITLE = 'Basin Watch: the ferry and the dam';

async function expectNoAxeViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(results.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

/** Click at the end of the paragraph holding `text` and type there, key by key, while the other person types too. */
async function typeInto(page: Page, text: Locator, holding: string, words: string) {
	await text.locator('p', { hasText: holding }).click();
	await page.keyboard.press('End');
	await page.keyboard.type(words, { delay: 20 });
}

test.describe('running an issue', () => {
	const galley = useGalley({ people: [[CARL, 'contributor'], [DORA, 'contributor']] });
	test.use({ viewport: { width: 1280, height: 1200 } });

	test('the editor plans, assigns two sections and watches progress; each contributor writes only in their own', async ({ browser }) => {
		test.setTimeout(180_000);
		// the issue, and the article placed in it (the board's own story builds a table of contents by hand)
		const api = galley.editorApi;
		const issue = (await api.post('/api/issues', { publication: 'Basin Watch', volume: 7, number: 13, sections: ['Briefs', 'Articles'] })).json.issue;
		const board = (await api.get(`/api/issues/${issue.id}`)).json;
		const articles = board.sections.find((s: { title: string }) => s.title === 'Articles');
		const pieceId = await galley.pieceViaApi(TITLE, 'article');
		expect((await api.patch(`/api/pieces/${pieceId}`, { issueId: issue.id, sectionId: articles.id, position: 0 })).status).toBe(200);
		await writeFerryAndDam(galley.server.wsUrl, pieceId, (await tokenClient(api, 'story')).token!);

		// the contributors wait on "My assignments": nothing yet, no unread notification
		const carlPage = await galley.pageFor(browser, CARL);
		const doraPage = await galley.pageFor(browser, DORA);
		for (const page of [carlPage, doraPage]) {
			await page.goto(galley.url + '/assignments');
			await expect(page.getByText('Nothing is assigned to you.')).toBeVisible();
		}
		const bell = (page: Page) => page.locator('header').getByRole('link', { name: /^Notifications/ });

		// the editor assigns each section from beside its heading
		const editorPage = await galley.pageFor(browser, EDITOR);
		const pageErrors: string[] = [];
		editorPage.on('pageerror', (e) => pageErrors.push(e.message));
		const editor = await openPiece(editorPage, galley, pieceId);
		for (const [section, person] of [
			['The ferry', CARL],
			['The dam', DORA]
		] as const) {
			await editor.text.getByRole('button', { name: `Assign the section “${section}”` }).click();
			const dialog = editorPage.getByRole('dialog', { name: `Assign “${section}”` });
			await dialog.getByLabel('Person').selectOption({ label: person.name });
			await dialog.getByLabel('As').selectOption('author');
			await dialog.getByRole('button', { name: 'Assign' }).click();
			await expect(dialog).toBeHidden();
		}
		// beside each heading, its assignee (and the editor's button), at once, without a reload
		await expect(editor.text.locator('.section-assignees')).toHaveText([`${CARL.name}Assign…`, `${DORA.name}Assign…`]);
		expect(pageErrors).toEqual([]);

		// each contributor hears of it without a reload, and finds the piece under My assignments
		for (const [page, section] of [
			[carlPage, 'The ferry'],
			[doraPage, 'The dam']
		] as const) {
			await expect(bell(page)).toHaveAccessibleName('Notifications (1 unread)');
			await page.reload();
			await expect(page.getByRole('link', { name: TITLE })).toBeVisible();
			await expect(page.getByText(section).first()).toBeVisible();
		}
		await expectNoAxeViolations(carlPage, 'My assignments');

		// Carl's section is due yesterday: the board marks the piece late
		const assignments = (await api.get(`/api/pieces/${pieceId}/assignments`)).json.assignments as { id: string; sectionId: string }[];
		const carls = assignments.find((a) => a.sectionId === 'sec-ferry')!;
		const yesterday = new Date(Date.now() - 36 * 3600_000).toISOString().slice(0, 10);
		expect((await api.patch(`/api/pieces/${pieceId}/assignments/${carls.id}`, { dueOn: yesterday, wordTarget: 40 })).status).toBe(200);
		const boardPage = await galley.pageFor(browser, EDITOR);
		await boardPage.goto(`${galley.url}/issues/${issue.id}`);
		const row = boardPage.locator(`li[data-piece-id="${pieceId}"]`);
		await expect(row.locator('.late')).toHaveText('Late');
		const wordsShown = async () => Number((await row.locator('.words').textContent())!.match(/^[\d,]+/)![0].replace(/,/g, ''));
		const wordsBefore = await wordsShown();
		await expectNoAxeViolations(boardPage, 'the board');

		// both write at once, each in their own section
		await Promise.all([carlPage.getByRole('link', { name: TITLE }).click(), doraPage.getByRole('link', { name: TITLE }).click()]);
		const carl = await openPiece(carlPage, galley, pieceId);
		const dora = await openPiece(doraPage, galley, pieceId);
		await Promise.all([
			typeInto(carlPage, carl.text, 'Ferry text.', ' Carl writes about the night crossing and its pilots.'),
			typeInto(doraPage, dora.text, 'Dam text.', ' Dora writes about the spillway and the gauges.')
		]);
		// (that neither can type in the other's section is section-rights.spec.ts's story)
		for (const ed of [carl, dora, editor]) {
			await expect.poll(() => pieceText(ed.text)).toContain('Ferry text. Carl writes about the night crossing and its pilots.');
			await expect.poll(() => pieceText(ed.text)).toContain('Dam text. Dora writes about the spillway and the gauges.');
		}
		// each sees only their own section as writable
		await expect(carl.text.locator('.section-writable')).toHaveText(['Ferry text. Carl writes about the night crossing and its pilots.']);
		await expect(dora.text.locator('.section-writable')).toHaveText(['Dam text. Dora writes about the spillway and the gauges.']);
		await expect(carl.save).toHaveText('Saved');
		await expect(dora.save).toHaveText('Saved');

		// the board follows: the words counted grow (live, once the text is stored), still late
		await expect.poll(wordsShown, { timeout: 20_000 }).toBeGreaterThanOrEqual(wordsBefore + 16);
		await expect(row.locator('.late')).toHaveText('Late');
	});
});
