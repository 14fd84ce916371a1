// User story: the editor saves a version of a brief, the text changes, the editor compares it with the
// version beside the text (the insertion and the deletion marked) and restores it; a second browser open on
// the piece shows the restored text at once. axe finds nothing on the compare view.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, SECOND_EDITOR, openPiece, pieceText, typeAtEnd, useGalley } from './helpers';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };

test.describe('versions of a piece', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });

	test('the editor saves a version, compares the changed text with it, and restores it; another browser shows the restored text at once', async ({ browser }) => {
		const created = await galley.editorApi.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: the ferry timetable', text: 'The ferry runs twice a day.\n\nHerders cross at dawn.' });
		expect(created.status, created.text).toBe(201);
		const pieceId = created.json.piece.id as string;
		const a = await galley.pageFor(browser, EDITOR);
		const edA = await openPiece(a, galley, pieceId);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		const edB = await openPiece(b, galley, pieceId);

		// Eda names the text as it is
		await a.getByRole('button', { name: 'Save version…' }).click();
		const dialog = a.getByRole('dialog', { name: 'Save a version' });
		await dialog.getByLabel('Name').fill('Before the cuts');
		await dialog.getByRole('button', { name: 'Save version' }).click();
		await expect(a.getByRole('status').filter({ hasText: 'Saved the version “Before the cuts”' })).toBeVisible(SLOW);

		// the text changes: the first word replaced, a sentence added
		await edA.text.click();
		await a.keyboard.press('ControlOrMeta+Home');
		await a.keyboard.press('Shift+ControlOrMeta+ArrowRight');
		await a.keyboard.type('A');
		await typeAtEnd(a, edA.text, ' Dusk too.');
		await expect(edA.save).toHaveText('Saved', SLOW);
		await expect.poll(() => pieceText(edB.text), SLOW).toContain('Dusk too.');

		// compare with the version, beside the text
		await a.getByRole('link', { name: 'Compare with it' }).click();
		const compare = a.getByRole('region', { name: 'Compare “Before the cuts”' });
		await expect(compare).toBeVisible(SLOW);
		await expect(a).toHaveURL(/\?compare=/);
		const diff = compare.getByTestId('compare-diff');
		await expect(diff.locator('ins').filter({ hasText: 'Dusk too.' })).toBeVisible(SLOW);
		await expect(diff.locator('del').filter({ hasText: 'The' })).toBeVisible();
		await expect(diff.locator('ins').filter({ hasText: /^A$/ })).toBeVisible();
		await expect(edA.text).toBeVisible(); // the text stays beside it

		const axe = await new AxeBuilder({ page: a }).include('section.compare').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
		expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

		// restore it: Bea's page shows the version's text at once
		await compare.getByRole('button', { name: 'Restore this version' }).click();
		const confirm = a.getByRole('dialog', { name: 'Restore “Before the cuts”?' });
		await confirm.getByRole('button', { name: 'Restore' }).click();
		await expect(compare.getByRole('status')).toContainText('Restored.', SLOW);
		await expect.poll(() => pieceText(edB.text), SLOW).toBe('The ferry runs twice a day.Herders cross at dawn.');
		await expect.poll(() => pieceText(edA.text), SLOW).toBe('The ferry runs twice a day.Herders cross at dawn.');
		await expect(compare.getByText('No changes.')).toBeVisible(SLOW);

		// Close takes the compare view away
		await compare.getByRole('button', { name: 'Close' }).click();
		await expect(compare).toBeHidden();
		await expect(a).not.toHaveURL(/compare=/);

		// once submitted for review, the piece offers to compare with the submitted version
		const compareSubmitted = a.getByRole('link', { name: 'Compare with the submitted version' });
		await expect(compareSubmitted).toBeHidden();
		expect((await galley.editorApi.post(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status).toBe(200);
		await compareSubmitted.click(SLOW);
		await expect(a.getByRole('region', { name: 'Compare “Submitted for review”' }).getByText('No changes.')).toBeVisible(SLOW);
	});
});
