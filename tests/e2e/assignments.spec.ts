// Assigning a piece in the browser: the editor gives a contributor a piece from its Assignments panel; the
// contributor, who could not see it before, finds it under My assignments and writes in it.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, editorPage, markdownOf, openPiece, typeAtEnd, useGalley } from './helpers';

const CARA = { email: 'cara@example.org', name: 'Cara Contributor', password: 'cara contributor secret' };

async function expectNoSeriousViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`),
		`axe on ${what}`
	).toEqual([]);
}

test.describe('assignments', () => {
	const galley = useGalley({ people: [[CARA, 'contributor']] });

	test('the editor assigns a piece from its Assignments panel; the contributor finds it under My assignments and writes in it', async ({ browser }) => {
		const title = 'Ferry crossings resume at Tolvar';
		const pieceId = await galley.pieceViaApi(title, 'article');

		// before: the piece does not exist for her, and nothing is hers
		const cara = await galley.pageFor(browser, CARA);
		expect((await cara.goto(`${galley.url}/pieces/${pieceId}`))?.status()).toBe(404);
		await cara.goto(`${galley.url}/assignments`);
		await expect(cara.getByRole('heading', { name: 'My assignments', level: 1 })).toBeVisible();
		await expect(cara.getByText('Nothing is assigned to you.')).toBeVisible();
		await expectNoSeriousViolations(cara, '/assignments with nothing assigned');

		// the editor assigns her as author, due on a day long past, with a word target
		const editor = await galley.pageFor(browser, EDITOR);
		await openPiece(editor, galley, pieceId);
		const panel = editor.getByRole('region', { name: 'Assignments' });
		await expect(panel.getByText('Nobody is assigned to this piece.')).toBeVisible();
		await panel.getByLabel('Person').selectOption({ label: CARA.name });
		await panel.getByLabel('Role').selectOption({ label: 'Author' });
		await panel.getByLabel('Due').fill('2026-01-15');
		await panel.getByLabel('Word target').fill('600');
		await panel.getByRole('button', { name: 'Assign' }).click();
		await expect(panel.getByRole('status')).toHaveText(`${CARA.name} is assigned.`);
		const row = panel.getByTestId('assignment');
		await expect(row).toHaveCount(1);
		await expect(row).toContainText(CARA.name);
		await expect(row).toContainText('Whole piece · due 15 January 2026 · 600 words');
		await expectNoSeriousViolations(editor, 'the piece page with its Assignments panel');

		// she finds it (the page hears of it by itself), overdue, and opens it from there
		await expect(cara.getByRole('link', { name: title })).toBeVisible();
		const mine = cara.getByTestId('my-assignment');
		await expect(mine).toContainText('Author');
		await expect(mine).toContainText('Overdue');
		await expect(cara.getByRole('heading', { name: /Overdue/, level: 2 })).toBeVisible();
		await expectNoSeriousViolations(cara, '/assignments with an overdue piece');
		await cara.getByRole('link', { name: title }).click();
		await expect(cara).toHaveURL(`${galley.url}/pieces/${pieceId}`);
		const ed = editorPage(cara);
		await expect(ed.connection).toHaveText('Connected');
		await expect(ed.text).toHaveAttribute('contenteditable', 'true');
		// she sees who is assigned, but may not assign
		const herPanel = cara.getByRole('region', { name: 'Assignments' });
		await expect(herPanel.getByTestId('assignment')).toContainText(CARA.name);
		await expect(herPanel.getByRole('button', { name: 'Assign' })).toHaveCount(0);
		await typeAtEnd(cara, ed.text, ' Cara writes about the ferry.');
		await expect(ed.save).toHaveText('Saved');
		expect(await markdownOf(editor, galley, pieceId)).toContain('Cara writes about the ferry.');

		// the editor changes her terms, by keyboard: her open page keeps working with the new rights
		await panel.getByRole('button', { name: `Change the assignment of ${CARA.name}` }).focus();
		await editor.keyboard.press('Enter');
		const form = panel.getByRole('form', { name: `Change the assignment of ${CARA.name}` });
		await form.getByLabel('Word target').fill('650');
		await form.getByLabel('Due').fill('');
		await form.getByLabel('Word target').press('Enter');
		await expect(panel.getByRole('status')).toHaveText('Saved.');
		await expect(row).toContainText('Whole piece · 650 words');
		await expect(herPanel.getByTestId('assignment')).toContainText('650 words');

		// the editor removes her: her page loses the piece
		await panel.getByRole('button', { name: `Remove ${CARA.name} from this piece` }).click();
		await expect(panel.getByText('Nobody is assigned to this piece.')).toBeVisible();
		await cara.goto(`${galley.url}/assignments`);
		await expect(cara.getByText('Nothing is assigned to you.')).toBeVisible();
		expect((await cara.goto(`${galley.url}/pieces/${pieceId}`))?.status()).toBe(404);
	});
});
