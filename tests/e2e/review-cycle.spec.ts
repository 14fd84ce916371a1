// User story (the review issue's acceptance): a contributor and the editor take a brief from draft to
// published without leaving Galley. The contributor writes the brief and submits it; the editor selects a
// sentence, comments on it and requests changes with a reason; the contributor's open page shows the thread,
// its highlight, the reason and the notifications live; the contributor replies, revises and resubmits; the
// editor compares the text with the submitted version and sees the revision marked, approves (both browsers
// lock at once), publishes and reopens. The piece's history tells the whole story, on both pages. axe finds
// nothing on the comment panel, the history and the compare view.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, createPieceInUi, openPiece, selectInEditor, typeAtEnd, useGalley } from './helpers';

const SLOW = { timeout: 30_000 };
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'a contributor passphrase' };
const OPENING = 'The Kessel weir held through the March floods.';
const CLAIM = 'Herders say the gauges were read only twice.';
const REVISION = ' The weir keeper logged them on 3 and 17 March.';
const QUESTION = 'Who read the gauges, and when?';
const REASON = 'Source the gauge readings before this runs.';

async function expectNoViolations(page: Page, selector: string, what: string) {
	const results = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

const reviewBar = (page: Page) => page.getByRole('group', { name: 'Review' });

test.describe('review without e-mail', () => {
	const galley = useGalley({ people: [[CARL, 'contributor']] });

	test('a brief goes from draft to published: comment, request for changes with a reason, reply, revision, resubmission, compare, approve, publish, reopen', async ({ browser }) => {
		test.setTimeout(240_000);
		// the contributor writes the brief and submits it
		const carl = await galley.pageFor(browser, CARL);
		const pieceId = await createPieceInUi(carl, galley, 'Basin Watch: the Kessel weir', 'Brief');
		const carlEd = await openPiece(carl, galley, pieceId);
		await typeAtEnd(carl, carlEd.text, OPENING);
		await carl.keyboard.press('Enter');
		await carl.keyboard.type(CLAIM);
		await expect(carlEd.save).toHaveText('Saved', SLOW);
		await reviewBar(carl).getByRole('button', { name: 'Submit for review' }).click();
		await expect(carl.getByTestId('review-state')).toHaveText('In review', SLOW);

		// the editor comments on the claim, then requests changes with a reason
		const eda = await galley.pageFor(browser, EDITOR);
		const edaEd = await openPiece(eda, galley, pieceId);
		await expect(edaEd.text).toContainText(CLAIM, SLOW);
		await selectInEditor(eda, CLAIM);
		await eda.getByRole('button', { name: 'Comment', exact: true }).first().click();
		const edaPanel = eda.getByTestId('comments-panel');
		const composer = edaPanel.getByRole('textbox', { name: 'New comment' });
		await expect(composer).toBeFocused();
		await composer.fill(QUESTION);
		await edaPanel.getByRole('button', { name: 'Comment', exact: true }).click();
		const thread = (page: Page) => page.getByTestId('comments-panel').getByRole('article', { name: `Comment by ${EDITOR.name}` });
		await expect(thread(eda)).toContainText(QUESTION, SLOW);
		await reviewBar(eda).getByRole('button', { name: 'Request changes' }).click();
		const dialog = eda.getByRole('dialog', { name: 'Request changes' });
		await dialog.getByRole('textbox', { name: /Reason/ }).fill(REASON);
		await dialog.getByRole('button', { name: 'Send' }).click();
		await expect(eda.getByTestId('review-state')).toHaveText('Changes requested', SLOW);

		// the contributor's page, never reloaded: the thread on the claim, the reason, two notifications
		await expect(thread(carl)).toContainText(QUESTION, SLOW);
		await expect(carl.locator('[data-testid=editor] .comment-highlight')).toHaveText(CLAIM, SLOW);
		await expect(carl.getByTestId('review-state')).toHaveText('Changes requested', SLOW);
		await expect(carl.getByTestId('changes-requested').locator('blockquote')).toHaveText(REASON, SLOW);
		await expect(carl.locator('header').getByRole('link', { name: /^Notifications/ })).toHaveAccessibleName('Notifications (2 unread)', SLOW);
		await expectNoViolations(carl, '[data-testid=comments-panel]', 'the comment panel');

		// the contributor replies, revises and resubmits
		await thread(carl).getByRole('textbox', { name: 'Reply' }).fill('The weir keeper; I have added the dates.');
		await thread(carl).getByRole('button', { name: 'Reply', exact: true }).click();
		await expect(thread(eda).getByRole('list', { name: 'Replies' })).toContainText('The weir keeper; I have added the dates.', SLOW);
		await typeAtEnd(carl, carlEd.text, REVISION);
		await expect(carlEd.save).toHaveText('Saved', SLOW);
		await reviewBar(carl).getByRole('button', { name: 'Resubmit for review' }).click();
		await expect(carl.getByTestId('changes-requested')).toHaveCount(0, SLOW);
		await expect(eda.getByTestId('review-state')).toHaveText('In review', SLOW);

		// the editor compares with the version they asked changes on: the revision is marked, nothing else
		await eda.getByRole('link', { name: 'Compare with the submitted version' }).click();
		const compare = eda.getByRole('region', { name: 'Compare “Submitted for review”' });
		const diff = compare.getByTestId('compare-diff');
		await expect(diff.locator('ins')).toHaveText([REVISION.trim()], SLOW);
		await expect(diff.locator('del')).toHaveCount(0);
		await expect(edaEd.text).toBeVisible(); // beside the text
		await expectNoViolations(eda, 'section.compare', 'the compare view');

		// approved: both browsers lock at once; then published, and reopened for both
		await reviewBar(eda).getByRole('button', { name: 'Approve' }).click();
		for (const [page, text] of [[eda, edaEd.text], [carl, carlEd.text]] as const) {
			await expect(page.getByTestId('review-state')).toHaveText('Approved', SLOW);
			await expect(text).toHaveAttribute('contenteditable', 'false', SLOW);
		}
		await reviewBar(eda).getByRole('button', { name: 'Publish' }).click();
		await expect(carl.getByTestId('review-state')).toHaveText('Published', SLOW);
		await reviewBar(eda).getByRole('button', { name: 'Reopen' }).click();
		await expect(carl.getByTestId('review-state')).toHaveText('Draft', SLOW);
		await expect(carlEd.text).toHaveAttribute('contenteditable', 'true', SLOW);

		// the piece's history tells how it got here, newest first, on both pages
		const story = [
			new RegExp(`^${EDITOR.name} reopened it · `),
			new RegExp(`^${EDITOR.name} published it · `),
			new RegExp(`^${EDITOR.name} approved it · `),
			new RegExp(`^${CARL.name} resubmitted it for review · `),
			new RegExp(`^${EDITOR.name} requested changes · .+ — “${REASON}”`),
			new RegExp(`^${CARL.name} submitted it for review · `)
		];
		for (const page of [eda, carl]) await expect(page.getByTestId('history').getByTestId('history-entry')).toHaveText(story, SLOW);
		await expectNoViolations(carl, '[data-testid=history]', 'the history');
	});
});
