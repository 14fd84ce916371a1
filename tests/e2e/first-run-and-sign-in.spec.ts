// First run and signing in, through the UI; each describe block on its own fresh instance.
import { test, expect } from '@playwright/test';
import { EDITOR, createPieceInUi, cspViolations, editorPage, pieceText, typeAtEnd, useGalley } from './helpers';

test.describe('first run', () => {
	const galley = useGalley({ empty: true });

	test('an empty instance sends the first visitor to set-up, whose account becomes the editor and lands on the pieces', async ({ page, browser }) => {
		await page.goto(galley.url + '/');
		await expect(page).toHaveURL(/\/setup$/);
		await expect(page.getByRole('heading', { name: 'Welcome to Galley' })).toBeVisible();

		await page.getByLabel('Your name').fill(EDITOR.name);
		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill(EDITOR.password);
		await page.getByRole('button', { name: 'Create editor account' }).click();

		await expect(page).toHaveURL(/\/pieces$/);
		await expect(page.getByRole('heading', { name: 'Pieces', level: 1 })).toBeVisible();
		// Signed in, as the editor: the header names them and their role, and they may create pieces.
		const header = page.getByRole('banner');
		await expect(header).toContainText(EDITOR.name);
		await expect(header.getByText('editor', { exact: true })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Create piece' })).toBeVisible();

		// Set-up is a one-time thing: now / goes to the pieces, /setup to the sign-in page.
		await page.goto(galley.url + '/');
		await expect(page).toHaveURL(/\/pieces$/);
		const anonymous = await browser.newContext();
		try {
			const other = await anonymous.newPage();
			await other.goto(galley.url + '/setup');
			await expect(other).toHaveURL(/\/login$/);
		} finally {
			await anonymous.close();
		}
	});
});

test.describe('signing in and out', () => {
	const galley = useGalley();

	test('a wrong password is refused with a message; the right one signs in; signing out returns to the sign-in page', async ({ page }) => {
		await page.goto(galley.url + '/');
		await expect(page).toHaveURL(/\/login$/);

		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill('not the password');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password');
		await expect(page).toHaveURL(/\/login$/);
		await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');

		await page.getByLabel('Password').fill(EDITOR.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/pieces$/);
		await expect(page.getByRole('banner')).toContainText(EDITOR.name);

		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect(page).toHaveURL(/\/login$/);
		await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
		// The session is really gone, not just hidden: a signed-in page sends us back to sign in.
		await page.goto(galley.url + '/pieces');
		await expect(page).toHaveURL(/\/login\?next=%2Fpieces$/);
	});

	test('the Content-Security-Policy blocks nothing of the app while signing in, creating a piece and co-editing it, and does block an injected script', async ({ page }) => {
		const violations = await cspViolations(page);
		await page.goto(galley.url + '/login');
		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill(EDITOR.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/pieces$/);

		// The editor: the hydration script, TipTap's inline styles, the collaboration websocket.
		await createPieceInUi(page, galley, 'Under a strict policy');
		const ed = editorPage(page);
		await expect(ed.connection).toHaveText('Connected');
		await expect(ed.text).toHaveAttribute('contenteditable', 'true');
		await typeAtEnd(page, ed.text, ' Typed under the policy.');
		await expect(ed.save).toHaveText('Saved');
		await page.reload();
		await expect(ed.connection).toHaveText('Connected');
		await expect.poll(() => pieceText(ed.text)).toContain('Typed under the policy.');
		expect(violations).toEqual([]);

		// The watch sees a violation when there is one: a script injected into the page is blocked.
		await page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = 'window.injected = true';
			document.body.append(script);
		});
		await expect.poll(() => violations.length).toBeGreaterThan(0);
		expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
	});

	test('before the app has started in the page (or without JavaScript) the sign-in form works as a plain form: a refusal keeps the e-mail, the password never goes into a URL', async ({ browser }) => {
		// JavaScript off stands for "not hydrated yet" (a slow connection, the first moments after the page shows).
		const context = await browser.newContext({ javaScriptEnabled: false });
		try {
			const page = await context.newPage();
			const requested: string[] = [];
			page.on('request', (r) => requested.push(r.url()));
			await page.goto(galley.url + '/login?next=%2Fsettings');
			await page.getByLabel('E-mail').fill(EDITOR.email);
			await page.getByLabel('Password').fill('not the password at all');
			await page.getByLabel('Password').press('Enter');
			await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password');
			await expect(page.getByLabel('E-mail')).toHaveValue(EDITOR.email);
			await expect(page.getByLabel('Password')).toHaveValue('');
			await page.getByLabel('Password').fill(EDITOR.password);
			await page.getByRole('button', { name: 'Sign in' }).click();
			await expect(page).toHaveURL(`${galley.url}/settings`);
			await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
			expect(requested.filter((u) => u.includes('password'))).toEqual([]);
		} finally {
			await context.close();
		}
	});

	test('signing in from a deep link comes back to it', async ({ page }) => {
		await page.goto(galley.url + '/settings');
		await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
		await page.getByLabel('E-mail').fill(EDITOR.email);
		await page.getByLabel('Password').fill(EDITOR.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page).toHaveURL(/\/settings$/);
		await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
	});
});
