// Editing without a connection to the server (issue #3): the browser keeps the unsent edits in IndexedDB,
// shows them again after a reload or in a reopened tab, never claims "Saved" for them, and sends them when
// the connection comes back.
//
// How the connection is cut. `context.setOffline(true)` alone is not enough in Chromium: it makes new
// connections fail (a new websocket gets net::ERR_INTERNET_DISCONNECTED, close 1006), but a websocket that
// is already open stays open: the editor keeps showing "Connected" while its frames silently go nowhere
// until y-websocket's 30 s no-message watchdog gives up. A real outage drops the connection, so every
// browser context here routes the collaboration websocket through `context.routeWebSocket` (a pass-through
// to the real server) and `cut()` closes the page's side with 1006, as a dropped network does, and refuses
// every reconnection attempt until `restore()`.
//
// How a page is reloaded "while offline". A browser that is really offline cannot fetch the page's HTML
// again (Galley has no service worker), so reloading under `setOffline(true)` shows Chromium's error page,
// which is not what we want to test. What a user really meets is one of:
//   1. the collaboration server is unreachable while pages still load (an outage of the websocket path: a
//      proxy dropping upgrades, the document failing to load), and the user reloads or reopens the tab;
//   2. the network drops, the user closes the tab, and reopens the piece once the network is back.
// The first test is 1: the websocket is cut, plain HTTP works, and after the reload the text must come back
// from IndexedDB with no connection to the server at all (the route counts them: none) and with a status
// that is not "Saved". The second test is 2 with a real `setOffline(true)`.
import { test, expect, type Browser } from '@playwright/test';
import { tokenClient, type TestClient } from '../support/api-client';
import { EDITOR, SECOND_EDITOR, cuttableCollab, editorPage, neverReads, openPiece, pieceText, typeAtEnd, useGalley } from './helpers';

const UNSAVED = 'Not saved yet (kept in this browser)';

// The stories run on PGlite only: they prove what the browser keeps and sends, and the server stores a
// reconnected client's edits the same way on either database (tests/integration/durability and
// database-outage prove that on both).
test.describe('offline editing', () => {
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });
	let scriptApi: TestClient;
	test.beforeAll(async () => {
		scriptApi = await tokenClient(galley.editorApi, 'offline-editing');
	});

	/** The piece as the server renders it, asked for with an API token (not the browser's cookie). */
	async function serverMarkdown(pieceId: string): Promise<string> {
		const res = await scriptApi.get(`/api/pieces/${pieceId}/content?format=markdown`);
		expect(res.status, res.text).toBe(200);
		return res.text;
	}

	/**
	 * A new piece opened by the editor in a browser whose collaboration websockets can be cut, once the
	 * page shows the piece (its template) as Saved: from here on this browser has its own copy.
	 */
	async function pieceOpenedOnline(browser: Browser, title: string) {
		const pieceId = await galley.pieceViaApi(title);
		const context = await galley.contextFor(browser, EDITOR);
		const collab = await cuttableCollab(context);
		const page = await context.newPage();
		const ed = await openPiece(page, galley, pieceId);
		await expect(ed.save).toHaveText('Saved');
		await expect(ed.text.locator('p[data-placeholder^="Write the brief here"]')).toHaveCount(1);
		return { pieceId, context, collab, page, ed };
	}

	/** A second person in a fresh browser (no IndexedDB copy) sees `words`: they came from the server. */
	async function secondPersonSees(browser: Browser, pieceId: string, words: string) {
		const other = await galley.pageFor(browser, SECOND_EDITOR);
		const ed = await openPiece(other, galley, pieceId);
		await expect.poll(() => pieceText(ed.text)).toContain(words);
	}

	test('text typed during an outage survives a reload during the outage and reaches the server', async ({ browser }) => {
		const words = ' Typed while the server was unreachable.';
		const { pieceId, collab, page, ed } = await pieceOpenedOnline(browser, 'Written through an outage');

		// The connection drops; the page says so.
		await collab.cut();
		await expect(ed.connection).not.toHaveText('Connected');

		await typeAtEnd(page, ed.text, words);
		await expect(ed.save).toHaveText(UNSAVED);
		const typed = await pieceText(ed.text);
		expect(typed).toContain(words.trim());
		expect(await serverMarkdown(pieceId)).not.toContain(words.trim());

		// Reload while the server is still unreachable: the page loads (HTTP works), the collaboration
		// connection does not. The text is back from this browser's IndexedDB copy, and it is not "Saved":
		// the edits were made by the previous page (another Yjs client id) and the server never had them.
		const reachedBefore = collab.state.forwardedToServer;
		await page.reload();
		const reloaded = editorPage(page);
		await expect.poll(() => pieceText(reloaded.text)).toBe(typed);
		await expect(reloaded.save).toHaveText(UNSAVED);
		await expect(reloaded.connection).not.toHaveText('Connected');
		expect(collab.state.forwardedToServer, 'no websocket reached the server since the cut').toBe(reachedBefore);
		expect(await serverMarkdown(pieceId)).not.toContain(words.trim());
		// Still not "Saved" a moment later (no late flip once everything has loaded).
		await neverReads(reloaded.save, 'Saved', 500);
		await expect(reloaded.save).toHaveText(UNSAVED);
		// The local copy is the piece as this browser last had it: it can be edited further, offline.
		await expect(reloaded.text).toHaveAttribute('contenteditable', 'true');
		const more = ' And more after the reload.';
		await typeAtEnd(page, reloaded.text, more);
		await expect(reloaded.save).toHaveText(UNSAVED);
		const typedAfterReload = await pieceText(reloaded.text);
		expect(typedAfterReload).toBe(typed + more);

		// The server is reachable again: the provider reconnects by itself and sends what IndexedDB kept.
		collab.restore();
		await expect(reloaded.connection).toHaveText('Connected', { timeout: 15_000 });
		await expect(reloaded.save).toHaveText('Saved');
		expect(collab.state.forwardedToServer).toBeGreaterThan(reachedBefore);
		await expect.poll(() => serverMarkdown(pieceId)).toContain(`${words.trim()}${more}`);
		await secondPersonSees(browser, pieceId, `${words.trim()}${more}`);
		await expect.poll(() => pieceText(reloaded.text)).toBe(typedAfterReload);
	});

	test('a second tab opened during an outage shows the piece and can edit it; what both tabs typed reaches the server', async ({ browser }) => {
		const { pieceId, context, collab, page: first, ed: one } = await pieceOpenedOnline(browser, 'Two tabs through an outage');
		await collab.cut();
		await expect(one.connection).not.toHaveText('Connected');
		await typeAtEnd(first, one.text, ' First tab, offline.');

		// The second tab never reaches the server: it has the piece from this browser (the first tab over
		// BroadcastChannel, and the IndexedDB copy), so it is editable, and not "Saved".
		const second = await context.newPage();
		await second.goto(`${galley.url}/pieces/${pieceId}`);
		const two = editorPage(second);
		await expect(two.text).toContainText('First tab, offline.');
		await expect(two.text).toHaveAttribute('contenteditable', 'true');
		await expect(two.save).toHaveText(UNSAVED);
		await typeAtEnd(second, two.text, ' Second tab, offline.');
		await expect.poll(() => pieceText(one.text)).toContain('First tab, offline. Second tab, offline.');

		collab.restore();
		await expect(one.save).toHaveText('Saved', { timeout: 15_000 });
		await expect(two.save).toHaveText('Saved', { timeout: 15_000 });
		await expect.poll(() => serverMarkdown(pieceId)).toContain('First tab, offline. Second tab, offline.');
	});

	test('a tab closed while the browser is offline loses nothing', async ({ browser }) => {
		const words = ' Typed offline, then the tab was closed.';
		const { pieceId, context, collab, page, ed } = await pieceOpenedOnline(browser, 'Closed while offline');

		// The network goes away. setOffline fails new connections but leaves the open websocket alone (see
		// the top of the file), so that one is dropped by hand, as the lost network would.
		await context.setOffline(true);
		const reconnection = page.waitForEvent('websocket', { predicate: (ws) => ws.url().includes('/collab/'), timeout: 15_000 });
		await collab.cut();
		collab.restore(); // reconnection attempts now meet the real (emulated) offline network
		await expect(ed.connection).not.toHaveText('Connected');

		await typeAtEnd(page, ed.text, words);
		await expect(ed.save).toHaveText(UNSAVED);
		const typed = await pieceText(ed.text);
		// a reconnection attempt has failed against the offline network
		const attempt = await reconnection;
		if (!attempt.isClosed()) await attempt.waitForEvent('close');
		await expect(ed.connection).not.toHaveText('Connected');
		await page.close();
		expect(await serverMarkdown(pieceId)).not.toContain(words.trim());

		// Back online; the piece is opened again in the same browser: the text is there, and sent.
		await context.setOffline(false);
		const again = await context.newPage();
		const reopened = await openPiece(again, galley, pieceId);
		await expect.poll(() => pieceText(reopened.text)).toBe(typed);
		await expect(reopened.save).toHaveText('Saved');
		await expect.poll(() => serverMarkdown(pieceId)).toContain(words.trim());
		await secondPersonSees(browser, pieceId, words.trim());
	});
});
