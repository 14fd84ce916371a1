// The editor manages people on the People page: removes someone who has a piece open in another browser
// (that page is told at once that its access ended, and the person cannot sign in again), issues a reset
// link that the person uses to set a new password, changes a role, revokes an invite; everyone changes
// their own password in Settings.
import { test, expect, type Page } from '@playwright/test';
import { EDITOR, createPieceInUi, openPiece, useGalley } from './helpers';

const LEAVER = { email: 'leo@example.org', name: 'Leo Leaver', password: 'leaving the bulletin' };
const FORGETFUL = { email: 'fay@example.org', name: 'Fay Forgetful', password: 'forgotten already' };
const RUSHED = { email: 'ray@example.org', name: 'Ray Rushed', password: 'in a hurry always' };

test.describe('People', () => {
	const galley = useGalley({ people: [[LEAVER, 'contributor'], [FORGETFUL, 'contributor'], [RUSHED, 'contributor']] });

	async function peoplePage(page: Page) {
		await page.goto(`${galley.url}/people`);
		// shown (a choice made before the app has started in the page is sent once it has: typed-before-start.ts)
		await expect(page.getByRole('button', { name: 'Create invite link' })).toBeEnabled();
	}

	async function signInInUi(page: Page, email: string, password: string) {
		await page.goto(`${galley.url}/login`);
		await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
		await page.getByLabel('E-mail').fill(email);
		await page.getByLabel('Password').fill(password);
		await page.getByRole('button', { name: 'Sign in' }).click();
	}

	test('the editor removes a person whose piece is open elsewhere: that page is told its access ended, and they cannot sign in', async ({ browser }) => {
		const leaverPage = await galley.pageFor(browser, LEAVER);
		const pieceId = await createPieceInUi(leaverPage, galley, 'Last brief of Leo', 'Brief');
		const ed = await openPiece(leaverPage, galley, pieceId);

		const editor = await galley.pageFor(browser, EDITOR);
		await peoplePage(editor);
		editor.once('dialog', (dialog) => {
			expect(dialog.message()).toContain('Remove Leo Leaver?');
			void dialog.accept();
		});
		await editor.getByRole('button', { name: 'Remove Leo Leaver' }).click();
		await expect(editor.getByRole('status').filter({ hasText: 'Leo Leaver was removed.' })).toBeVisible();
		await expect(editor.getByRole('button', { name: 'Remove Leo Leaver' })).toHaveCount(0);

		// the open editor is told at once, and stops being editable
		await expect(leaverPage.getByRole('alert')).toHaveText('Your access to this piece was withdrawn.', { timeout: 3_000 });
		await expect(ed.connection).toHaveText('Disconnected');
		await expect(ed.text).toHaveAttribute('contenteditable', 'false');

		// signed out everywhere, and no way back in
		await leaverPage.goto(`${galley.url}/pieces`);
		await expect(leaverPage).toHaveURL(/\/login/);
		await signInInUi(leaverPage, LEAVER.email, LEAVER.password);
		await expect(leaverPage.getByRole('alert')).toBeVisible();
		await expect(leaverPage).toHaveURL(/\/login/);

		// the piece stays, and the audit list tells what happened
		const piece = await galley.editorApi.get(`/api/pieces/${pieceId}`);
		expect(piece.json.piece.title).toBe('Last brief of Leo');
		await editor.reload();
		await expect(editor.getByRole('list', { name: 'Audit' }).getByRole('listitem').first()).toContainText('Eda Editor removed Leo Leaver');
	});

	test('a reset link, shown once with a copy button, lets the person set a new password and signs out their other browsers', async ({ browser }) => {
		const oldBrowser = await galley.pageFor(browser, FORGETFUL);
		await oldBrowser.goto(`${galley.url}/settings`);
		await expect(oldBrowser.getByRole('heading', { name: 'Settings' })).toBeVisible();

		const editorContext = await galley.contextFor(browser, EDITOR);
		await editorContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: galley.url });
		const editor = await editorContext.newPage();
		await peoplePage(editor);
		await editor.getByRole('button', { name: 'Reset link for Fay Forgetful' }).click();
		const link = editor.getByRole('textbox', { name: 'Reset link' });
		await expect(link).toHaveValue(/\/reset\/[a-z0-9]+$/);
		const url = await link.inputValue();
		await editor.getByRole('button', { name: 'Copy' }).click();
		await expect(editor.getByRole('button', { name: 'Copied' })).toBeVisible();
		expect(await editor.evaluate(() => navigator.clipboard.readText())).toBe(url);
		// shown once: gone after a reload
		await editor.reload();
		await expect(editor.getByRole('textbox', { name: 'Reset link' })).toHaveCount(0);

		const fresh = await (await browser.newContext()).newPage();
		await fresh.goto(url);
		await expect(fresh.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
		await expect(fresh.getByRole('button', { name: 'Set password and sign in' })).toBeEnabled();
		await fresh.getByLabel('New password', { exact: true }).fill('remembered this time');
		await fresh.getByLabel('The new password again').fill('remembered this time');
		await fresh.getByRole('button', { name: 'Set password and sign in' }).click();
		await fresh.waitForURL(/\/pieces$/);

		// the browser signed in before the reset is signed out
		await oldBrowser.reload();
		await expect(oldBrowser).toHaveURL(/\/login/);
		// the link works once
		await fresh.goto(url);
		await expect(fresh.getByRole('heading', { name: 'This reset link cannot be used' })).toBeVisible();
		await expect(fresh.getByRole('status')).toContainText('already used');
		await fresh.context().close();
		// the new password signs in, the old one does not
		await signInInUi(oldBrowser, FORGETFUL.email, FORGETFUL.password);
		await expect(oldBrowser.getByRole('alert')).toBeVisible();
		await signInInUi(oldBrowser, FORGETFUL.email, 'remembered this time');
		await oldBrowser.waitForURL(/\/pieces/);
	});

	test('a role chosen while the page is still starting is sent once it has started', async ({ browser }) => {
		const editor = await galley.pageFor(browser, EDITOR);
		// the app's scripts are held back: the server's page is there, with nothing listening to its select yet
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await editor.route('**/_app/immutable/**', async (route) => {
			await held;
			await route.continue();
		});
		await editor.goto(`${galley.url}/people`, { waitUntil: 'commit' });
		await editor.getByLabel('Role of Ray Rushed').selectOption('editor');
		release();
		await expect(editor.getByRole('status').filter({ hasText: 'Ray Rushed is now an editor.' })).toBeVisible();
		await editor.unroute('**/_app/immutable/**');
		await editor.reload();
		await expect(editor.getByLabel('Role of Ray Rushed')).toHaveValue('editor');
		// back to a contributor, so that the next story's editor is the last editor again
		await editor.getByLabel('Role of Ray Rushed').selectOption('contributor');
		await expect(editor.getByRole('status').filter({ hasText: 'Ray Rushed is now a contributor.' })).toBeVisible();
	});

	test('the editor changes a role and revokes an invite, whose link then says it was revoked', async ({ browser }) => {
		const editor = await galley.pageFor(browser, EDITOR);
		await peoplePage(editor);
		await editor.getByLabel('Role of Fay Forgetful').selectOption('editor');
		await expect(editor.getByRole('status').filter({ hasText: 'Fay Forgetful is now an editor.' })).toBeVisible();
		// with Fay a contributor again, Eda is the last editor: she cannot step down
		await editor.getByLabel('Role of Fay Forgetful').selectOption('contributor');
		await expect(editor.getByRole('status').filter({ hasText: 'Fay Forgetful is now a contributor.' })).toBeVisible();
		await editor.getByLabel('Role of Eda Editor').selectOption('contributor');
		await expect(editor.getByRole('alert')).toContainText('at least one editor');
		await expect(editor.getByLabel('Role of Eda Editor')).toHaveValue('editor');

		await editor.getByLabel('Name').fill('Ivy Invited');
		await editor.getByLabel('E-mail').fill('ivy@example.org');
		await editor.getByRole('button', { name: 'Create invite link' }).click();
		const inviteUrl = await editor.getByRole('textbox', { name: 'Invite link' }).inputValue();
		await editor.getByRole('button', { name: 'Revoke the invite for ivy@example.org' }).click();
		await expect(editor.getByRole('status').filter({ hasText: 'The invite for ivy@example.org was revoked.' })).toBeVisible();

		const invitee = await (await browser.newContext()).newPage();
		await invitee.goto(inviteUrl);
		await expect(invitee.getByRole('heading', { name: 'This invite was revoked' })).toBeVisible();
		await invitee.context().close();
	});

	test('everyone changes their own password in Settings; a wrong current password is refused', async ({ browser }) => {
		const page = await galley.pageFor(browser, EDITOR);
		await page.goto(`${galley.url}/settings`);
		await expect(page.getByRole('button', { name: 'Change password' })).toBeEnabled();
		await page.getByLabel('Current password').fill('not the password');
		await page.getByLabel('New password', { exact: true }).fill('the editor’s new passphrase');
		await page.getByLabel('The new password again').fill('the editor’s new passphrase');
		await page.getByRole('button', { name: 'Change password' }).click();
		await expect(page.getByRole('alert')).toHaveText('The current password is wrong');
		await page.getByLabel('Current password').fill(EDITOR.password);
		await page.getByRole('button', { name: 'Change password' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
		// this browser stays signed in
		await page.reload();
		await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
	});
});
