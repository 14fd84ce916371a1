// Signing out deletes this browser's copies of the pieces (the y-indexeddb databases `galley-piece-<id>`),
// so the next person at the browser does not find them; when an open page holds edits the server has not
// acknowledged, it warns first and signs out only if told to.
import { test, expect, type Page } from '@playwright/test';
import { EDITOR, cuttableCollab, openPiece, typeAtEnd, useGalley } from './helpers';

const UNSAVED = 'Not saved yet (kept in this browser)';

/** The names of the IndexedDB databases of the page's origin. */
function databases(page: Page): Promise<string[]> {
	return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

test.describe('signing out', () => {
	const galley = useGalley({ kind: 'pglite' });

	test('deletes the piece’s IndexedDB copy once its edits are saved, without asking', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Signed out after saving');
		const page = await galley.pageFor(browser, EDITOR);
		page.on('dialog', (dialog) => {
			throw new Error(`unexpected dialog: ${dialog.message()}`);
		});
		const ed = await openPiece(page, galley, pieceId);
		await typeAtEnd(page, ed.text, ' Typed before signing out.');
		await expect(ed.save).toHaveText('Saved');
		expect(await databases(page)).toContain(`galley-piece-${pieceId}`);

		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/login/);
		await expect.poll(() => databases(page)).not.toContain(`galley-piece-${pieceId}`);
		expect((await databases(page)).filter((name) => name.startsWith('galley-piece-'))).toEqual([]);
	});

	test('warns when a page holds edits not yet saved: cancelling keeps everything, confirming signs out and deletes the copy', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Signed out with unsaved edits');
		const context = await galley.contextFor(browser, EDITOR);
		const collab = await cuttableCollab(context);
		const page = await context.newPage();
		const ed = await openPiece(page, galley, pieceId);
		await expect(ed.save).toHaveText('Saved');
		await collab.cut();
		await typeAtEnd(page, ed.text, ' Typed while the server was unreachable.');
		await expect(ed.save).toHaveText(UNSAVED);

		const messages: string[] = [];
		page.once('dialog', (dialog) => {
			messages.push(dialog.message());
			void dialog.dismiss();
		});
		await page.getByRole('button', { name: 'Sign out' }).click();
		await expect.poll(() => messages.length).toBe(1);
		expect(messages[0]).toContain('1 piece has edits not yet saved');
		// cancelled: still here, still signed in, the copy kept
		await expect(page).toHaveURL(new RegExp(`/pieces/${pieceId}$`));
		await expect(ed.text).toContainText('Typed while the server was unreachable.');
		expect((await context.request.get(`${galley.url}/api/me`)).status()).toBe(200);
		expect(await databases(page)).toContain(`galley-piece-${pieceId}`);

		page.once('dialog', (dialog) => {
			messages.push(dialog.message());
			void dialog.accept();
		});
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/login/);
		expect(messages).toHaveLength(2);
		await expect.poll(() => databases(page)).not.toContain(`galley-piece-${pieceId}`);
		expect((await context.request.get(`${galley.url}/api/me`)).status()).toBe(401);
	});

	test('counts the unsaved edits of a piece open in another tab of the browser in its warning', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Unsaved in another tab');
		const context = await galley.contextFor(browser, EDITOR);
		const collab = await cuttableCollab(context);
		const editing = await context.newPage();
		const ed = await openPiece(editing, galley, pieceId);
		await expect(ed.save).toHaveText('Saved');
		await collab.cut();
		await typeAtEnd(editing, ed.text, ' Typed in the other tab.');
		await expect(ed.save).toHaveText(UNSAVED);

		const list = await context.newPage();
		await list.goto(`${galley.url}/pieces`);
		await expect(list.getByRole('button', { name: 'Create piece' })).toBeEnabled(); // hydrated
		const messages: string[] = [];
		list.once('dialog', (dialog) => {
			messages.push(dialog.message());
			void dialog.dismiss();
		});
		await list.getByRole('button', { name: 'Sign out' }).click();
		await expect.poll(() => messages.length).toBe(1);
		expect(messages[0]).toContain('1 piece has edits not yet saved');
		// cancelled: both tabs stay signed in, the copy and its edits kept
		expect((await context.request.get(`${galley.url}/api/me`)).status()).toBe(200);
		await expect(ed.text).toContainText('Typed in the other tab.');
		expect(await databases(list)).toContain(`galley-piece-${pieceId}`);
	});
});
