// User story: a contributor submits a brief; the editor cannot request changes without saying what, then
// does, with a reason; the contributor's open page (never reloaded) shows the request with its reason and
// the new entry of the piece's history. The review dialog is keyboard-usable (focus in, Escape, focus
// back), keeps what was typed when the server refuses, and axe finds nothing on it or on the timeline.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, createPieceInUi, openPiece, useGalley } from './helpers';

const SLOW = { timeout: 30_000 };
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'a contributor passphrase' };
/** The reason, with markup that must show as text. */
const REASON = 'Cut the second paragraph: the <em>Kessel</em> gauge readings repeat the lead.';

async function expectNoViolations(page: Page, selector: string, what: string) {
	const results = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

test.describe('review with a reason, and the history of a piece', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley({ people: [[CARL, 'contributor']] });

	test('the editor requests changes with a reason the contributor reads at once on the piece and in its history', async ({ browser }) => {
		const carl = await galley.pageFor(browser, CARL);
		const pieceId = await createPieceInUi(carl, galley, 'Basin Watch: the Kessel gauges', 'Brief');
		await openPiece(carl, galley, pieceId);
		const carlHistory = carl.getByTestId('history');
		await expect(carlHistory).toContainText('Nothing yet', SLOW);
		await carl.getByRole('group', { name: 'Review' }).getByRole('button', { name: 'Submit for review' }).click();
		await expect(carl.getByTestId('review-state')).toHaveText('In review', SLOW);
		await expect(carlHistory.getByTestId('history-entry')).toHaveText([/^Carl Contributor submitted it for review · /], SLOW);

		const eda = await galley.pageFor(browser, EDITOR);
		await openPiece(eda, galley, pieceId);
		const ask = eda.getByRole('group', { name: 'Review' }).getByRole('button', { name: 'Request changes' });
		const dialog = eda.getByRole('dialog', { name: 'Request changes' });
		const reason = dialog.getByRole('textbox', { name: /Reason/ });
		const send = dialog.getByRole('button', { name: 'Send' });

		// no reason, no request: Send stays disabled and says why; Escape closes and focus returns
		await ask.click();
		await expect(dialog).toBeVisible();
		await expect(reason).toBeFocused();
		await expect(reason).toHaveAttribute('aria-required', 'true');
		await expect(send).toBeDisabled();
		await expect(send).toHaveAccessibleDescription(/once a reason is written/);
		await reason.fill('   ');
		await expect(send).toBeDisabled();
		await expectNoViolations(eda, 'dialog', 'the review dialog');
		await eda.keyboard.press('Escape');
		await expect(dialog).toBeHidden();
		await expect(ask).toBeFocused();
		await expect(eda.getByTestId('review-state')).toHaveText('In review');

		// a refusal from the server is shown in the dialog, and what was typed stays
		await ask.click();
		await reason.fill(REASON);
		await eda.route(`**/api/pieces/${pieceId}/review`, (route) =>
			route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { message: 'Say what should change (refused for the test)', field: 'comment' } }) })
		);
		await send.click();
		await expect(dialog.getByRole('alert')).toHaveText('Say what should change (refused for the test)', SLOW);
		await expect(reason).toHaveValue(REASON);
		await eda.unroute(`**/api/pieces/${pieceId}/review`);
		await send.click();
		await expect(dialog).toBeHidden(SLOW);
		await expect(eda.getByTestId('review-state')).toHaveText('Changes requested', SLOW);

		// Carl's page, not reloaded: the request with who asked and the reason (as text), and the timeline entry
		await expect(carl.getByTestId('review-state')).toHaveText('Changes requested', SLOW);
		const notice = carl.getByTestId('changes-requested');
		await expect(notice).toContainText(`${EDITOR.name} asked for changes`, SLOW);
		await expect(notice.locator('blockquote')).toHaveText(REASON);
		await expect(notice.locator('em')).toHaveCount(0);
		await expect(carlHistory.getByTestId('history-entry').first()).toHaveText(new RegExp(`^${EDITOR.name} requested changes · .+ — “${REASON.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`), SLOW);
		await expect(carlHistory.getByTestId('history-entry')).toHaveCount(2);
		await expectNoViolations(carl, '[data-testid="history"]', 'the history timeline');
		await expectNoViolations(carl, '[data-testid="changes-requested"]', 'the request for changes');

		// Carl resubmits: the notice goes, the timeline says so on both pages
		await carl.getByRole('button', { name: 'Resubmit for review' }).click();
		await expect(notice).toHaveCount(0, SLOW);
		await expect(eda.getByTestId('history').getByTestId('history-entry').first()).toHaveText(/^Carl Contributor resubmitted it for review · /, SLOW);
	});
});
