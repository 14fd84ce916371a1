// User story: the editor selects a sentence of a contributor's brief and comments on it, mentioning the
// contributor (picked from the @ suggestions); the contributor, with the piece open in another browser, sees
// the highlight, the thread and the notification arrive live, and replies; the editor sees the reply live and
// resolves the thread, which both browsers then list under "Resolved (1)". Once the piece is approved (its text
// read-only), the contributor still selects a sentence and comments with Ctrl+Alt+M. axe finds nothing on the panel.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, openPiece, selectInEditor, useGalley } from './helpers';

const SLOW = { timeout: 30_000 };
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'a contributor passphrase' };
const SENTENCE = 'Herders moved their cattle north of the river.';

async function expectPanelAxeClean(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).include('[data-testid=comments-panel]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	expect(results.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

test.describe('comments', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley({ people: [[CARL, 'contributor']] });

	test('the editor comments on a sentence mentioning the contributor, who sees it live and replies; the editor resolves it', async ({ browser }) => {
		const created = await galley.editorApi.post('/api/pieces', {
			kind: 'brief',
			title: 'Basin Watch: the northern grazing',
			text: `Water levels at the Kariba dam fell all spring.\n\n${SENTENCE} The council met in May.`
		});
		expect(created.status).toBe(201);
		const pieceId = created.json.piece.id as string;
		const people = await galley.editorApi.get('/api/people');
		const carlId = people.json.people.find((p: { email?: string }) => p.email === CARL.email).id;
		expect((await galley.editorApi.post(`/api/pieces/${pieceId}/assignments`, { userId: carlId, role: 'author' })).status).toBe(201);

		const carl = await galley.pageFor(browser, CARL);
		// the assignment's notification read: the bell counts the comment's alone
		expect((await carl.request.post(`${galley.url}/api/notifications/read`, { data: { all: true }, headers: { origin: galley.url } })).status()).toBe(200);
		await openPiece(carl, galley, pieceId);
		const carlPanel = carl.getByTestId('comments-panel');
		await expect(carlPanel.getByText('No open comments.')).toBeVisible();
		const bell = carl.locator('header').getByRole('link', { name: /^Notifications/ });
		await expect(bell).toHaveAccessibleName('Notifications');

		const editor = await galley.pageFor(browser, EDITOR);
		await openPiece(editor, galley, pieceId);
		const panel = editor.getByTestId('comments-panel');
		await expect(panel.getByText('No open comments.')).toBeVisible();

		// select the sentence, Comment: the composer opens with the quote, the focus in it
		await selectInEditor(editor, SENTENCE);
		await editor.getByRole('button', { name: 'Comment', exact: true }).first().click();
		const composer = panel.getByRole('textbox', { name: 'New comment' });
		await expect(composer).toBeFocused();
		await expect(panel.getByText(`On ${SENTENCE}`)).toBeVisible();
		await composer.pressSequentially('Which herders? @Car');
		const suggestions = panel.getByRole('listbox', { name: 'People to mention' });
		await expect(suggestions.getByRole('option', { name: CARL.name })).toBeVisible();
		await expectPanelAxeClean(editor, 'the composer with suggestions');
		await composer.press('Enter');
		await expect(composer).toHaveValue(`Which herders? @${CARL.name} `);
		await composer.pressSequentially('please name the clans.');
		await panel.getByRole('button', { name: 'Comment', exact: true }).click();

		const thread = (page: Page) => page.getByTestId('comments-panel').getByRole('article', { name: `Comment by ${EDITOR.name}` });
		await expect(thread(editor)).toContainText(`Which herders? @${CARL.name} please name the clans.`);
		await expect(editor.locator('[data-testid=editor] .comment-highlight')).toHaveText(SENTENCE);

		// the contributor: highlight, thread and notification, live
		await expect(carl.locator('[data-testid=editor] .comment-highlight')).toHaveText(SENTENCE, SLOW);
		await expect(thread(carl)).toContainText(SENTENCE);
		await expect(bell).toHaveAccessibleName('Notifications (1 unread)', SLOW);
		// clicking the highlight selects its thread
		await carl.locator('[data-testid=editor] .comment-highlight').click();
		await expect(thread(carl).getByRole('button', { pressed: true })).toBeVisible();

		await thread(carl).getByRole('textbox', { name: 'Reply' }).fill('The Tonga clans of the upper valley.');
		await thread(carl).getByRole('button', { name: 'Reply', exact: true }).click();
		await expect(thread(editor).getByRole('list', { name: 'Replies' })).toContainText('The Tonga clans of the upper valley.', SLOW);
		await expectPanelAxeClean(carl, 'a thread with a reply');

		// the editor resolves: both browsers collapse it under "Resolved (1)"
		await thread(editor).getByRole('button', { name: 'Resolve' }).click();
		await expect(panel.getByText('Resolved (1)')).toBeVisible();
		await expect(carlPanel.getByText('Resolved (1)')).toBeVisible(SLOW);
		await expect(carl.locator('[data-testid=editor] .comment-highlight')).toHaveCount(0);
		await expect(carlPanel.getByText('No open comments.')).toBeVisible();
		await expectPanelAxeClean(editor, 'the panel with a resolved thread');

		// approved, the text is read-only for both; the contributor still selects and comments (Ctrl+Alt+M)
		expect((await carl.request.post(`${galley.url}/api/pieces/${pieceId}/review`, { data: { to: 'in_review' }, headers: { origin: galley.url } })).status()).toBe(200);
		expect((await galley.editorApi.post(`/api/pieces/${pieceId}/review`, { to: 'approved' })).status).toBe(200);
		await expect(carl.getByRole('textbox', { name: 'Piece text' })).toHaveAttribute('contenteditable', 'false', SLOW);
		await selectInEditor(carl, 'The council met in May.');
		await carl.keyboard.press('Control+Alt+KeyM');
		const carlComposer = carlPanel.getByRole('textbox', { name: 'New comment' });
		await expect(carlComposer).toBeFocused();
		await expect(carlPanel.getByText('On The council met in May.')).toBeVisible();
		await carlComposer.fill('Was it not April?');
		await carlComposer.press('Control+Enter');
		await expect(panel.getByRole('article', { name: `Comment by ${CARL.name}` })).toContainText('Was it not April?', SLOW);
		await expect(editor.locator('[data-testid=editor] .comment-highlight')).toHaveText('The council met in May.');
	});
});
