// Every page passes axe with no serious or critical violation, in the states a person meets it in.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
	EDITOR,
	SECOND_EDITOR,
	GalleyUnderTest,
	createAccountViaApi,
	openPiece,
	setUpEditorViaApi,
	signedInContext,
	typeAtEnd
} from './helpers';
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
	// In order on one instance: set-up only exists while it is empty, and the later pages need its account.
	test.describe.configure({ mode: 'serial' });
	let galley: GalleyUnderTest;
	let editorApi: TestClient;

	test.beforeAll(async () => {
		galley = await GalleyUnderTest.start();
	});
	test.afterAll(async ({}, testInfo) => {
		await galley?.dispose({ printOutput: testInfo.status !== testInfo.expectedStatus });
	});

	test('the set-up page has no serious accessibility violations, also when it shows an error', async ({ page }) => {
		await page.goto(galley.url + '/setup');
		await expect(page.getByRole('button', { name: 'Create editor account' })).toBeVisible();
		await expectNoSeriousViolations(page, '/setup');
		await page.getByRole('button', { name: 'Create editor account' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoSeriousViolations(page, '/setup with an error');

		editorApi = await setUpEditorViaApi(galley);
		await createAccountViaApi(editorApi, SECOND_EDITOR, 'editor');
	});

	test('the sign-in page has no serious accessibility violations, also after a wrong password', async ({ page }) => {
		await page.goto(galley.url + '/login');
		await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
		await expectNoSeriousViolations(page, '/login');
		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill('wrong password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectNoSeriousViolations(page, '/login with an error');
	});

	test('the pieces list, the editor, people and settings have no serious accessibility violations', async ({ browser }) => {
		const context = await signedInContext(browser, galley, EDITOR);
		const page = await context.newPage();
		try {
			await page.goto(galley.url + '/pieces');
			await expect(page.getByText('No pieces yet.')).toBeVisible();
			await expectNoSeriousViolations(page, '/pieces (empty)');

			const res = await editorApi.post('/api/pieces', { title: 'Checkpoints on the northern road', kind: 'article' });
			expect(res.status, res.text).toBe(201);
			const pieceId: string = res.json.piece.id;
			await page.goto(galley.url + '/pieces');
			await expect(page.getByRole('link', { name: 'Checkpoints on the northern road' })).toBeVisible();
			await expectNoSeriousViolations(page, '/pieces (with a piece)');

			// The editor with a second person present, so their caret and name are on the page too.
			const ed = await openPiece(page, galley, pieceId);
			const other = await signedInContext(browser, galley, SECOND_EDITOR);
			try {
				const pageB = await other.newPage();
				const b = await openPiece(pageB, galley, pieceId);
				await typeAtEnd(pageB, b.text, ' A second voice.');
				await expect(ed.caretLabels).toHaveText([SECOND_EDITOR.name]);
				await typeAtEnd(page, ed.text, ' And mine.');
				await expect(ed.save).toHaveText('Saved');
				await expectNoSeriousViolations(page, '/pieces/<id>');
			} finally {
				await other.close();
			}

			await page.goto(galley.url + '/people');
			await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
			await expectNoSeriousViolations(page, '/people');
			await page.getByLabel('Set an initial password now').check();
			await expect(page.getByLabel('Initial password')).toBeVisible();
			await expectNoSeriousViolations(page, '/people (initial password)');

			await page.goto(galley.url + '/settings');
			await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
			await expectNoSeriousViolations(page, '/settings (no tokens)');
			await page.getByLabel('Token name').fill('Transcript importer');
			await page.getByRole('button', { name: 'Create token' }).click();
			await expect(page.getByLabel('New API token')).toBeVisible();
			await expectNoSeriousViolations(page, '/settings (with a token)');
		} finally {
			await context.close();
		}
	});
});
