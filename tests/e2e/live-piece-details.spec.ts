// User stories: what an open page shows of its piece besides the text — title, review state, the moves
// offered, the lock, the authors — follows what others do, without a reload; an older page never
// overwrites what someone else just did; and a page whose person signed out in another tab says so.
// Two browser contexts as two signed-in people, real typing.
import { test, expect, type Page } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, createPieceInUi, editorPage, openPiece, pieceText, typeAtEnd, useGalley } from './helpers';
import { tokenClient } from '../support/api-client';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'a contributor passphrase' };

/** The Authors and bios panel of a page, and the names it lists. */
function authorsPanel(page: Page) {
	const panel = page.locator('section[aria-labelledby="authors-title"]');
	return {
		panel,
		names: panel.locator('li .who strong'),
		async add(name: string) {
			await panel.getByLabel('Add an author').selectOption({ label: name });
			await panel.getByRole('button', { name: 'Add', exact: true }).click();
		},
		remove: (name: string) => panel.getByRole('button', { name: `Remove ${name} as author` }).click()
	};
}

test.describe('piece details live on every open page', () => {
	test.describe.configure({ timeout: 120_000 });
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor'], [CARL, 'contributor']] });

	test('an author added on one page shows on the other, and removing an author there keeps the one just added', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Basin Watch: the upstream dams', 'article');
		const a = await galley.pageFor(browser, EDITOR);
		await openPiece(a, galley, pieceId);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		await openPiece(b, galley, pieceId);
		const panelA = authorsPanel(a);
		const panelB = authorsPanel(b);
		await expect(panelA.names).toHaveText([EDITOR.name], SLOW);
		await expect(panelB.names).toHaveText([EDITOR.name], SLOW);

		// Eda adds Bea; at once (her page may not have heard of it yet), Bea removes Eda on her page
		await panelA.add(SECOND_EDITOR.name);
		await expect(panelA.names).toHaveText([EDITOR.name, SECOND_EDITOR.name], SLOW);
		await panelB.remove(EDITOR.name);
		await expect(panelB.panel.getByRole('status')).toHaveText('Saved.', SLOW);

		// Bea, just added, stays: in the piece, and on both pages without a reload
		const stored = await galley.editorApi.get(`/api/pieces/${pieceId}/authors`);
		expect(stored.json.authors.map((x: { name: string }) => x.name)).toEqual([SECOND_EDITOR.name]);
		await expect(panelB.names).toHaveText([SECOND_EDITOR.name], SLOW);
		await expect(panelA.names).toHaveText([SECOND_EDITOR.name], SLOW);

		// and an addition on one page shows on the other
		await panelB.add(EDITOR.name);
		await expect(panelA.names).toHaveText([SECOND_EDITOR.name, EDITOR.name], SLOW);
	});

	test('authors reordered on one page (Move up, by keyboard and by click) keep that order after a reload, on another person’s open page and in the export’s byline', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Basin Watch: the salt road', 'article');
		const a = await galley.pageFor(browser, EDITOR);
		await openPiece(a, galley, pieceId);
		const panelA = authorsPanel(a);
		await expect(panelA.names).toHaveText([EDITOR.name], SLOW);
		await panelA.add(SECOND_EDITOR.name);
		await panelA.add(CARL.name);
		await expect(panelA.names).toHaveText([EDITOR.name, SECOND_EDITOR.name, CARL.name], SLOW);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		await openPiece(b, galley, pieceId);
		const panelB = authorsPanel(b);
		await expect(panelB.names).toHaveText([EDITOR.name, SECOND_EDITOR.name, CARL.name], SLOW);
		await expect(panelA.panel.getByRole('button', { name: `Move ${EDITOR.name} up` })).toBeDisabled();
		await expect(panelA.panel.getByRole('button', { name: `Move ${CARL.name} down` })).toBeDisabled();

		// Eda moves Carl up, with the keyboard: Bea's page, not reloaded, follows
		await panelA.panel.getByRole('button', { name: `Move ${CARL.name} up` }).focus();
		await a.keyboard.press('Enter');
		await expect(panelA.names).toHaveText([EDITOR.name, CARL.name, SECOND_EDITOR.name], SLOW);
		await expect(panelB.names).toHaveText([EDITOR.name, CARL.name, SECOND_EDITOR.name], SLOW);

		// Bea moves herself to the top, two quick clicks on a slow connection (her second click comes while the
		// first order is being saved): both are kept, and Eda's page follows
		await b.route(`**/api/pieces/${pieceId}/authors`, async (route) => {
			if (route.request().method() === 'PUT') await new Promise((resolve) => setTimeout(resolve, 400)); // the network's latency
			await route.continue();
		});
		await panelB.panel.getByRole('button', { name: `Move ${SECOND_EDITOR.name} up` }).click();
		await expect(panelB.names).toHaveText([EDITOR.name, SECOND_EDITOR.name, CARL.name], SLOW);
		await panelB.panel.getByRole('button', { name: `Move ${SECOND_EDITOR.name} up` }).click();
		const order = [SECOND_EDITOR.name, EDITOR.name, CARL.name];
		await expect(panelB.names).toHaveText(order, SLOW);
		await expect(panelB.panel.getByRole('status')).toHaveText('Saved.', SLOW);
		await expect(panelB.panel.getByRole('alert')).toHaveCount(0);
		await expect(panelA.names).toHaveText(order, SLOW);

		// stored: a reload shows it, the API lists it, the export's byline prints it
		await a.reload();
		await expect(authorsPanel(a).names).toHaveText(order, SLOW);
		expect((await galley.editorApi.get(`/api/pieces/${pieceId}/authors`)).json.authors.map((x: { name: string }) => x.name)).toEqual(order);
		const markdown = (await galley.editorApi.get(`/api/pieces/${pieceId}/export?format=markdown`)).text;
		expect(markdown).toContain(`${SECOND_EDITOR.name}, ${EDITOR.name} and ${CARL.name}`);
	});

	test('a title or bio saved from a page that missed someone else’s change is refused, and the page shows the newer one and quotes what was typed', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Basin Watch: grain prices', 'article');
		const a = await galley.pageFor(browser, EDITOR);
		await openPiece(a, galley, pieceId);
		const b = await galley.pageFor(browser, SECOND_EDITOR);
		await openPiece(b, galley, pieceId);
		const titleA = a.getByLabel('Title', { exact: true });
		const titleB = b.getByLabel('Title', { exact: true });

		// Eda starts retitling; meanwhile Bea renames and saves
		await titleA.click();
		await a.keyboard.press('ControlOrMeta+A');
		await a.keyboard.type('Basin Watch: grain prices fall', { delay: 15 });
		await titleB.click();
		await b.keyboard.press('ControlOrMeta+A');
		await b.keyboard.type('Basin Watch: bread queues return', { delay: 15 });
		await b.keyboard.press('Enter');
		await expect.poll(async () => (await galley.editorApi.get(`/api/pieces/${pieceId}`)).json.piece.title, SLOW).toBe('Basin Watch: bread queues return');
		// what Eda is typing is not replaced under her fingers
		await expect(titleA).toHaveValue('Basin Watch: grain prices fall');

		// Eda saves: refused, Bea's title kept and shown, Eda's quoted
		await a.keyboard.press('Enter');
		await expect(a.getByRole('alert')).toContainText('your title “Basin Watch: grain prices fall” was not saved', SLOW);
		await expect(titleA).toHaveValue('Basin Watch: bread queues return', SLOW);
		expect((await galley.editorApi.get(`/api/pieces/${pieceId}`)).json.piece.title).toBe('Basin Watch: bread queues return');

		// the same for a bio: Bea's page saves one, Eda's page, written against the older version, is refused
		const bioA = a.getByLabel(`Bio of ${EDITOR.name} for this piece`);
		const bioB = b.getByLabel(`Bio of ${EDITOR.name} for this piece`);
		await bioA.click();
		await a.keyboard.press('ControlOrMeta+A');
		await a.keyboard.type('Eda Editor edits Basin Watch.', { delay: 10 });
		await bioB.click();
		await b.keyboard.press('ControlOrMeta+A');
		await b.keyboard.type('Eda Editor has covered the basin’s markets since 2019.', { delay: 10 });
		await b.getByRole('heading', { name: 'Authors and bios' }).click(); // leaving the box saves it
		await expect(authorsPanel(b).panel.getByRole('status')).toHaveText('Saved.', SLOW);
		await expect(bioA).toHaveValue('Eda Editor edits Basin Watch.'); // Eda's draft stays while she writes
		await a.getByRole('heading', { name: 'Authors and bios' }).click();
		await expect(authorsPanel(a).panel.getByRole('alert')).toContainText('It was: “Eda Editor edits Basin Watch.”', SLOW);
		await expect(bioA).toHaveValue('Eda Editor has covered the basin’s markets since 2019.', SLOW);
		const authors = (await galley.editorApi.get(`/api/pieces/${pieceId}/authors`)).json.authors;
		expect(authors[0].bio).toBe('Eda Editor has covered the basin’s markets since 2019.');
	});

	test('a contributor’s open page follows the editor’s approve and reopen (state, moves, lock, typing) and renames by the editor and by a script', async ({ browser }) => {
		const carl = await galley.pageFor(browser, CARL);
		const pieceId = await createPieceInUi(carl, galley, 'Basin Watch: the ferry at Tessa', 'Brief');
		const carlEd = await openPiece(carl, galley, pieceId);
		const carlState = carl.getByTestId('review-state');
		await carl.getByRole('button', { name: 'Submit for review' }).click();
		await expect(carlState).toHaveText('In review', SLOW);
		await expect(carl.getByRole('button', { name: 'Withdraw from review' })).toBeVisible();

		const eda = await galley.pageFor(browser, EDITOR);
		const edaEd = await openPiece(eda, galley, pieceId);
		await eda.getByRole('button', { name: 'Approve' }).click();
		await expect(eda.getByTestId('review-state')).toHaveText('Approved', SLOW);

		// Carl's page, not reloaded: approved and locked, no Withdraw, the text read-only
		await expect(carlState).toHaveText('Approved', SLOW);
		await expect(carl.getByText('locked until reopened')).toBeVisible();
		await expect(carl.getByRole('button', { name: 'Withdraw from review' })).toHaveCount(0);
		await expect(carlEd.text).toHaveAttribute('contenteditable', 'false', SLOW);

		// the editor reopens: Carl's page says draft, unlocked, and takes his typing again
		await eda.getByRole('button', { name: 'Reopen' }).click();
		await expect(carlState).toHaveText('Draft', SLOW);
		await expect(carl.getByText('locked until reopened')).toHaveCount(0);
		await expect(carl.getByRole('button', { name: 'Submit for review' })).toBeVisible();
		await expect(carlEd.text).toHaveAttribute('contenteditable', 'true', SLOW);
		await carlEd.text.click();
		await carl.keyboard.press('ControlOrMeta+End');
		await carl.keyboard.type(' The ferry runs again.', { delay: 20 });
		await expect.poll(() => pieceText(edaEd.text), SLOW).toContain('The ferry runs again.');

		// the editor renames the piece in place: Carl's title follows
		const edaTitle = eda.getByLabel('Title', { exact: true });
		await edaTitle.fill('');
		await edaTitle.pressSequentially('Basin Watch: the ferry runs again', { delay: 10 });
		await edaTitle.press('Enter');
		await expect(carl.getByLabel('Title', { exact: true })).toHaveValue('Basin Watch: the ferry runs again', SLOW);
		await expect(carl).toHaveTitle('Basin Watch: the ferry runs again · Galley', SLOW);

		// a script renames it through the API (Bearer token, no Origin): both pages follow
		const script = await tokenClient(galley.editorApi, 'rename script');
		const renamed = await script.patch(`/api/pieces/${pieceId}`, { title: 'Basin Watch: ferry timetable restored' });
		expect(renamed.status, renamed.text).toBe(200);
		await expect(carl.getByLabel('Title', { exact: true })).toHaveValue('Basin Watch: ferry timetable restored', SLOW);
		await expect(edaTitle).toHaveValue('Basin Watch: ferry timetable restored', SLOW);
	});

	test('signing out in another tab makes the piece’s page say you signed out (not that access was withdrawn) and sign in again back to the piece; the other person keeps editing', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Basin Watch: the night shift');
		const edaContext = await galley.contextFor(browser, EDITOR);
		const piecePage = await edaContext.newPage();
		await openPiece(piecePage, galley, pieceId);
		const bea = await galley.pageFor(browser, SECOND_EDITOR);
		const beaEd = await openPiece(bea, galley, pieceId);

		const otherTab = await edaContext.newPage();
		await otherTab.goto(`${galley.url}/pieces`);
		await otherTab.getByRole('button', { name: 'Sign out' }).click();
		await otherTab.waitForURL(/\/login/);

		// the piece's tab says why it stopped, and offers the way back to the piece
		await expect(piecePage.getByRole('status').filter({ hasText: 'You signed out' })).toBeVisible(SLOW);
		await expect(piecePage).toHaveURL(new RegExp(`/login\\?signed_out=1&next=${encodeURIComponent(`/pieces/${pieceId}`)}$`));
		await expect(piecePage.getByText('withdrawn')).toHaveCount(0);

		// Bea, signed in elsewhere, is not affected
		await expect(beaEd.connection).toHaveText('Connected');
		await typeAtEnd(bea, beaEd.text, ' Bea is still here.');
		await expect(beaEd.save).toHaveText('Saved', SLOW);

		// signing in again leads back to the piece
		await piecePage.getByLabel('E-mail').fill(EDITOR.email);
		await piecePage.getByLabel('Password').fill(EDITOR.password);
		await piecePage.getByRole('button', { name: 'Sign in' }).click();
		await piecePage.waitForURL(new RegExp(`/pieces/${pieceId}$`), SLOW);
		await expect(editorPage(piecePage).connection).toHaveText('Connected', SLOW);
		await expect.poll(() => pieceText(editorPage(piecePage).text), SLOW).toContain('Bea is still here.');
	});

	test('a page whose sign-in ended elsewhere (no tab of its browser to tell it) says you signed out, with a link to sign in again back to the piece', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Basin Watch: the late ferry');
		const signingOut = await galley.contextFor(browser, EDITOR);
		// the same sign-in in a window that shares no BroadcastChannel with it: only the server can tell it
		const elsewhere = await browser.newContext({ storageState: await signingOut.storageState() });
		try {
			const piecePage = await elsewhere.newPage();
			await openPiece(piecePage, galley, pieceId);
			const bea = await galley.pageFor(browser, SECOND_EDITOR);
			const beaEd = await openPiece(bea, galley, pieceId);

			const list = await signingOut.newPage();
			await list.goto(`${galley.url}/pieces`);
			await list.getByRole('button', { name: 'Sign out' }).click();
			await list.waitForURL(/\/login/);

			const alert = piecePage.getByRole('alert');
			await expect(alert).toContainText('You signed out', SLOW);
			await expect(alert).not.toContainText('withdrawn');
			await expect(editorPage(piecePage).text).toHaveAttribute('contenteditable', 'false');
			await expect(beaEd.connection).toHaveText('Connected');

			await alert.getByRole('link', { name: 'Sign in again' }).click();
			await piecePage.waitForURL(/\/login/);
			await piecePage.getByLabel('E-mail').fill(EDITOR.email);
			await piecePage.getByLabel('Password').fill(EDITOR.password);
			await piecePage.getByRole('button', { name: 'Sign in' }).click();
			await piecePage.waitForURL(new RegExp(`/pieces/${pieceId}$`), SLOW);
			await expect(editorPage(piecePage).connection).toHaveText('Connected', SLOW);
		} finally {
			await elsewhere.close();
		}
	});
});
