// The pieces list as the editor uses it: searching and filtering (the URL keeps them, the back button
// undoes one), sorting by a column, the list following a change made elsewhere without a reload, archiving
// and restoring, and deleting an archived piece after a confirmation that names it (Escape cancels).
// axe finds nothing serious on the list, nor with the dialog open.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, useGalley } from './helpers';

async function expectNoSeriousViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		serious.map((v) => `${v.impact} ${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		`axe on ${what}`
	).toEqual([]);
}

const CANAL = 'Basin Watch: Varesh Canal closes';
const DAMS = 'Dams upstream hold the melt';
const FERRY = 'Ferry fares rise on the delta';

test.describe('The pieces list', () => {
	const galley = useGalley();
	const ids: Record<string, string> = {};

	test.beforeAll(async () => {
		for (const [key, body] of [
			['canal', { kind: 'brief', title: CANAL, text: 'Flooding closed the Varesh Canal on Tuesday.\n\nBarges waited at the lock gates.' }],
			['dams', { kind: 'article', title: DAMS, text: 'Two dams upstream held back the spring melt.\n\n## Why it matters\n\nDownstream farms went dry.' }],
			['ferry', { kind: 'brief', title: FERRY, text: 'Fares rose by a third.' }]
		] as const) {
			const res = await galley.editorApi.post('/api/pieces', body);
			expect(res.status, res.text).toBe(201);
			ids[key] = res.json.piece.id;
		}
	});

	async function listPage(page: Page, query = '') {
		await page.goto(`${galley.url}/pieces${query}`);
		await expect(page.getByRole('button', { name: 'Create piece' })).toBeEnabled(); // hydrated
	}
	const rows = (page: Page) => page.getByRole('table').getByRole('row').filter({ has: page.getByRole('cell') });

	test('searches and filters as a reader would: the URL keeps them and Back undoes the last', async ({ browser }) => {
		const page = await galley.pageFor(browser, EDITOR);
		await listPage(page);
		await expect(rows(page)).toHaveCount(3);
		await expect(rows(page).filter({ hasText: CANAL })).toContainText('13'); // its word count

		await page.getByLabel('Search titles and text').fill('flooding');
		await page.getByLabel('Search titles and text').press('Enter');
		await expect(page).toHaveURL(/\?q=flooding$/);
		await expect(rows(page)).toHaveCount(1);
		await expect(rows(page)).toContainText(CANAL);

		await page.getByRole('search').getByLabel('Kind').selectOption({ label: 'Article' });
		await expect(page).toHaveURL(/q=flooding&kind=article/);
		await expect(page.getByText('No pieces match.')).toBeVisible();

		await page.goBack();
		await expect(page).toHaveURL(/\?q=flooding$/);
		await expect(page.getByRole('search').getByLabel('Kind')).toHaveValue('');
		await expect(rows(page)).toHaveCount(1);

		await page.getByLabel('Search titles and text').fill('');
		await page.getByLabel('Search titles and text').press('Enter');
		await expect(rows(page)).toHaveCount(3);
		const title = page.getByRole('columnheader', { name: 'Title' });
		await title.getByRole('link').click();
		await expect(title).toHaveAttribute('aria-sort', 'ascending');
		await expect(rows(page).first()).toContainText(CANAL);
		await title.getByRole('link').click();
		await expect(title).toHaveAttribute('aria-sort', 'descending');
		await expect(rows(page).first()).toContainText(FERRY);
		await expectNoSeriousViolations(page, 'the pieces list, sorted by title');
	});

	test('follows a change made elsewhere without a reload, archives and restores, and deletes an archived piece after naming it', async ({ browser }) => {
		const page = await galley.pageFor(browser, EDITOR);
		// the list's own event stream is open before anything changes (hydration does not wait for it: a change
		// made before it opens is in no event; seen at load 12)
		const listening = page.waitForResponse((r) => r.url().endsWith('/api/events?pieces=1') && r.status() === 200);
		await listPage(page, '?sort=title');
		await listening;
		await expect(rows(page)).toHaveCount(3);

		// a script archives a piece: the open list re-reads itself (server-sent events, no polling)
		expect((await galley.editorApi.post(`/api/pieces/${ids.dams}/archive`)).status).toBe(200);
		await expect(rows(page)).toHaveCount(2);

		await page.getByRole('button', { name: `Archive “${FERRY}”` }).click();
		await expect(rows(page)).toHaveCount(1);
		await expect(page.getByRole('status').filter({ hasText: `“${FERRY}” archived` })).toBeAttached();

		await page.getByLabel('Archive', { exact: true }).check();
		await expect(page).toHaveURL(/archived=1/);
		await expect(page.getByRole('heading', { level: 1, name: 'Archive' })).toBeVisible();
		await expect(rows(page)).toHaveCount(2);
		await page.getByRole('button', { name: `Restore “${DAMS}”` }).click();
		await expect(rows(page)).toHaveCount(1);

		// delete: the dialog names the piece; Escape cancels and nothing is deleted
		await page.getByRole('button', { name: `Delete “${FERRY}”` }).click();
		const dialog = page.getByRole('dialog', { name: `Delete “${FERRY}”?` });
		await expect(dialog).toBeVisible();
		await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
		await expectNoSeriousViolations(page, 'the delete confirmation');
		await page.keyboard.press('Escape');
		await expect(dialog).toBeHidden();
		await expect(page.getByRole('button', { name: `Delete “${FERRY}”` })).toBeFocused();
		expect((await galley.editorApi.get(`/api/pieces/${ids.ferry}`)).status).toBe(200);

		await page.getByRole('button', { name: `Delete “${FERRY}”` }).click();
		await dialog.getByRole('button', { name: 'Delete for good' }).click();
		await expect(dialog).toBeHidden();
		await expect(page.getByText('No pieces match.')).toBeVisible();
		expect((await galley.editorApi.get(`/api/pieces/${ids.ferry}`)).status).toBe(404);

		await page.getByLabel('Archive', { exact: true }).uncheck();
		await expect(rows(page)).toHaveCount(2);
		await expect(rows(page).first()).toContainText(CANAL);
		await expect(rows(page).nth(1)).toContainText(DAMS);
	});
	test('a new piece typed into the form while the page was still starting is created as typed', async ({ browser }) => {
		const page = await galley.pageFor(browser, EDITOR);
		// the app's scripts wait until the person has filled the form in (a slow connection)
		let release!: () => void;
		const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/**', async (route) => {
			await scriptsHeld;
			await route.continue();
		});
		await page.goto(`${galley.url}/pieces`, { waitUntil: 'commit' }); // not "load": that waits for the held scripts
		const form = page.getByRole('form', { name: 'New piece' });
		await form.getByLabel('Title', { exact: true }).fill('Sluice keepers strike at Tamsin');
		await form.getByLabel('Kind', { exact: true }).selectOption({ label: 'Interview' });
		// the app starts: the list page's live updates connect once it has mounted
		const started = page.waitForRequest((req) => req.url().includes('/api/events?pieces=1'));
		release();
		await started;
		await expect(form.getByLabel('Title', { exact: true })).toHaveValue('Sluice keepers strike at Tamsin');
		await expect(form.getByLabel('Kind', { exact: true })).toHaveValue('interview');
		await page.getByRole('button', { name: 'Create piece' }).click();
		await page.waitForURL(/\/pieces\/[A-Za-z0-9_-]+$/);
		await expect(page).toHaveTitle(/^Sluice keepers strike at Tamsin/);
		const id = new URL(page.url()).pathname.split('/').pop()!;
		const piece = (await galley.editorApi.get(`/api/pieces/${id}`)).json.piece;
		expect([piece.title, piece.kind]).toEqual(['Sluice keepers strike at Tamsin', 'interview']);
	});
});
