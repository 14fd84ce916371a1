// A piece stored before client updates were conformed to the editor schema (an unknown element, an unknown
// mark, text straight in the body) opens in the browser editor without breaking the page, its text kept,
// and can be edited and exported.
import { test, expect } from '@playwright/test';
import * as Y from 'yjs';
import { startGalley } from '../support/galley-server';
import { serverEnv } from '../support/test-database';
import { openDatabase } from '../../src/lib/server/db/client';
import { documentUpdates } from '../../src/lib/server/db/schema';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { TestClient } from '../support/api-client';
import { EDITOR, openPiece, pieceText, typeAtEnd, useGalley } from './helpers';

/** An update a stock Yjs client could have written before the server checked updates against the schema. */
function unknownContent(): Uint8Array {
	const doc = new Y.Doc();
	const marked = new Y.XmlText();
	const script = new Y.XmlElement('script');
	script.insert(0, [new Y.XmlText('alert(1)')]);
	const image = new Y.XmlElement('image');
	image.setAttribute('src', 'javascript:alert(1)');
	const withImage = new Y.XmlElement('paragraph');
	withImage.insert(0, [new Y.XmlText('Beside an image: '), image]);
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.setAttribute('onclick', 'alert(1)');
	paragraph.insert(0, [marked]);
	doc.getXmlFragment(BODY_FRAGMENT).insert(0, [paragraph, script, withImage]);
	marked.insert(0, 'Stored before the schema check.', { blink: {}, bold: {} });
	return Y.encodeStateAsUpdate(doc);
}

test.describe('a piece holding content the editor schema does not have', () => {
	const galley = useGalley();

	test('opens in the browser editor without a page error, keeps its text, and is edited and exported', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('Stored with unknown content', 'article');
		// Write the content into the database with the server stopped (PGlite: one process at a time).
		const { database } = galley.underTest;
		expect(await galley.server.stop()).toBe(0);
		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		try {
			await handle.db.insert(documentUpdates).values({ pieceId, update: unknownContent() });
		} finally {
			await handle.close();
		}
		galley.underTest.server = await startGalley(serverEnv(database));

		const page = await galley.pageFor(browser, EDITOR);
		const errors: string[] = [];
		page.on('pageerror', (err) => errors.push(err.message));
		const ed = await openPiece(page, galley, pieceId);
		await expect.poll(() => pieceText(ed.text)).toContain('Stored before the schema check.');
		await expect.poll(() => pieceText(ed.text)).toContain('Beside an image:');
		await expect(ed.text.locator('strong', { hasText: 'Stored before the schema check.' })).toBeVisible();
		await typeAtEnd(page, ed.text, ' Typed after opening.');
		await expect(ed.save).toHaveText('Saved');
		const api = new TestClient(galley.url); // the restarted server listens on another port
		api.cookie = galley.editorApi.cookie;
		for (const format of ['json', 'html', 'markdown']) {
			const res = await api.get(`/api/pieces/${pieceId}/content?format=${format}`);
			expect(res.status, res.text).toBe(200);
			expect(res.text).toContain('Typed after opening.');
			expect(res.text).toContain('Stored before the schema check.');
			expect(res.text).not.toMatch(/<script|onclick|javascript:/);
		}
		expect(errors).toEqual([]);
	});
});
