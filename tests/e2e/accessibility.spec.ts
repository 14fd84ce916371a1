// Every page passes axe with no serious or critical violation, in the states a person meets it in.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, SECOND_EDITOR, createAccountViaApi, openPiece, setUpEditorViaApi, signIn, signedInContext, typeAtEnd, useGalley } from './helpers';
import type { TestClient } from '../support/api-client';

/** Run axe on the page as it is now; fail listing every serious or critical violation. */
async function expectNoSeriousViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	const report = serious.map(
		(v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`
	);
	expect(report, `axe on ${what}`).toEqual([]);
}

test.describe('accessibility', () => {
	// One instance for the file. The set-up page is checked first, while the instance is empty; the other
	// tests create the accounts and the piece they need when they are not there yet, so each also runs on
	// its own (after a failure Playwright starts a new worker, hence a new, empty instance).
	const galley = useGalley({ empty: true });
	let editorApi: TestClient | null = null;
	let pieceId: string | null = null;

	async function accounts(): Promise<TestClient> {
		if (!editorApi) {
			editorApi = await setUpEditorViaApi(galley);
			await createAccountViaApi(editorApi, SECOND_EDITOR, 'editor');
		}
		return editorApi;
	}

	async function piece(): Promise<string> {
		if (!pieceId) {
			const res = await (await accounts()).post('/api/pieces', { title: 'Checkpoints on the northern road', kind: 'article' });
			expect(res.status, res.text).toBe(201);
			pieceId = res.json.piece.id as string;
		}
		return pieceId;
	}

	test('the set-up page has no serious accessibility violations, also when it shows an error', async ({ page }) => {
		await page.goto(galley.url + '/setup');
		await expect(page.getByRole('button', { name: 'Create editor account' })).toBeVisible();
		await expectNoSeriousViolations(page, '/setup');
		await page.getByRole('button', { name: 'Create editor account' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoSeriousViolations(page, '/setup with an error');
	});

	test('the sign-in page has no serious accessibility violations, also after a wrong password', async ({ page }) => {
		await accounts();
		await page.goto(galley.url + '/login');
		await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
		await expectNoSeriousViolations(page, '/login');
		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill('wrong password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoSeriousViolations(page, '/login with an error');
	});

	test('the pieces list has no serious accessibility violations, empty or with pieces', async ({ page }) => {
		await accounts();
		await signIn(page.context(), galley, EDITOR);
		if (!pieceId) {
			await page.goto(galley.url + '/pieces');
			await expect(page.getByText('No pieces yet.')).toBeVisible();
			await expectNoSeriousViolations(page, '/pieces (empty)');
		}
		await piece();
		await page.goto(galley.url + '/pieces');
		await expect(page.getByRole('link', { name: 'Checkpoints on the northern road' })).toBeVisible();
		await expectNoSeriousViolations(page, '/pieces (with a piece)');
	});

	test('the editor has no serious accessibility violations, with a second person present', async ({ browser }) => {
		const id = await piece();
		const mine = await signedInContext(browser, galley, EDITOR);
		const theirs = await signedInContext(browser, galley, SECOND_EDITOR);
		try {
			const page = await mine.newPage();
			const ed = await openPiece(page, galley, id);
			const b = await openPiece(await theirs.newPage(), galley, id);
			// Their name and caret are on the page too.
			await typeAtEnd(b.text.page(), b.text, ' A second voice.');
			await expect(ed.people).toContainText(SECOND_EDITOR.name);
			await expect(ed.caretLabels).toHaveText([SECOND_EDITOR.name]);
			await expectNoSeriousViolations(page, '/pieces/<id>');
		} finally {
			await Promise.all([mine.close(), theirs.close()]);
		}
	});

	test('the people page has no serious accessibility violations, in both ways of inviting', async ({ page }) => {
		await accounts();
		await signIn(page.context(), galley, EDITOR);
		await page.goto(galley.url + '/people');
		await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
		await expectNoSeriousViolations(page, '/people');
		// The form works once the app has started in the page (its submit button is enabled then).
		await expect(page.getByRole('button', { name: 'Create invite link' })).toBeEnabled();
		await page.getByLabel('Set an initial password now').check();
		await expect(page.getByRole('textbox', { name: 'Initial password' })).toBeVisible();
		await expectNoSeriousViolations(page, '/people (initial password)');
	});

	test('the settings page has no serious accessibility violations, before and after creating a token', async ({ page }) => {
		await accounts();
		await signIn(page.context(), galley, EDITOR);
		await page.goto(galley.url + '/settings');
		await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
		await expectNoSeriousViolations(page, '/settings (no tokens)');
		await page.getByLabel('Token name').fill('Transcript importer');
		await page.getByRole('button', { name: 'Create token' }).click();
		await expect(page.getByLabel('New API token')).toBeVisible();
		await expectNoSeriousViolations(page, '/settings (with a token)');
	});
});
