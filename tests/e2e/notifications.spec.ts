// User story: a contributor's open page shows their unread notifications rise live when the editor moves
// their piece through review (no reload, no polling: the server-sent event stream), they open the
// notifications page, open one (it is marked read) and mark the rest read; they turn e-mail off in Settings.
// axe finds nothing serious on the notifications page, unread or read.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { useGalley } from './helpers';

const SLOW = { timeout: 30_000 };
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'a contributor passphrase' };

async function expectNoSeriousViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

test.describe('notifications', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley({ people: [[CARL, 'contributor']] });

	test('the unread count rises live when the editor requests changes, and the notifications page marks them read', async ({ browser }) => {
		const context = await galley.contextFor(browser, CARL);
		const asCarl = (path: string, data: unknown) => context.request.post(`${galley.url}${path}`, { data, headers: { origin: galley.url } });
		const created = await asCarl('/api/pieces', { kind: 'article', title: 'Basin Watch: the dry spring' });
		expect(created.status()).toBe(201);
		const pieceId = (await created.json()).piece.id as string;
		expect((await asCarl(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status()).toBe(200);

		const page = await context.newPage();
		const listening = page.waitForResponse((r) => r.url().endsWith('/api/events') && r.status() === 200, SLOW);
		await page.goto(`${galley.url}/pieces`);
		await listening;
		const bell = page.locator('header').getByRole('link', { name: /^Notifications/ });
		await expect(bell).toHaveAccessibleName('Notifications');

		// the editor requests changes: Carl's header says so, without a reload
		const editor = galley.editorApi;
		expect((await editor.post(`/api/pieces/${pieceId}/review`, { to: 'changes_requested', comment: 'Add the reservoir gauge table.' })).status).toBe(200);
		await expect(bell).toHaveAccessibleName('Notifications (1 unread)', SLOW);
		await expect(bell).toHaveText('Notifications (1)');

		await bell.click();
		await expect(page).toHaveURL(/\/notifications$/);
		const items = page.getByRole('list', { name: 'Your notifications' }).getByRole('listitem');
		await expect(items).toHaveCount(1);
		await expect(items.first()).toContainText('New');
		await expect(items.first()).toContainText('Eda Editor requested changes to “Basin Watch: the dry spring”: “Add the reservoir gauge table.”');
		await expectNoSeriousViolations(page, 'the notifications page with one unread');

		// resubmitted and approved: the list and the count follow live on this page too
		expect((await asCarl(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status()).toBe(200);
		expect((await editor.post(`/api/pieces/${pieceId}/review`, { to: 'approved' })).status).toBe(200);
		await expect(items).toHaveCount(2, SLOW);
		await expect(bell).toHaveAccessibleName('Notifications (2 unread)');

		// opening one marks it read
		await page.getByRole('link', { name: 'Eda Editor approved “Basin Watch: the dry spring”' }).click();
		await expect(page).toHaveURL(new RegExp(`/pieces/${pieceId}$`));
		await expect(bell).toHaveAccessibleName('Notifications (1 unread)', SLOW);

		await bell.click();
		await page.getByRole('button', { name: 'Mark all read' }).click();
		await expect(bell).toHaveAccessibleName('Notifications');
		await expect(page.getByText('New', { exact: true })).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
		await expectNoSeriousViolations(page, 'the notifications page, all read');
		const stored = await context.request.get(`${galley.url}/api/notifications`);
		expect((await stored.json()).unread).toBe(0);

		// and e-mail is one switch in Settings
		await page.goto(`${galley.url}/settings`);
		const mailMe = page.getByRole('checkbox', { name: 'E-mail me my notifications' });
		await expect(mailMe).toBeChecked();
		await expect(mailMe).toBeEnabled();
		await mailMe.uncheck();
		await expect(page.getByText('Your notifications will no longer be e-mailed to you.')).toBeVisible();
		expect((await (await context.request.get(`${galley.url}/api/me`)).json()).user.emailNotifications).toBe(false);
		await expectNoSeriousViolations(page, 'settings');
	});
});
