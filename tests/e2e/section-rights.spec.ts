// Two contributors, each assigned one section of an article, type in their own sections at the same time in
// two separate browsers; neither can type in the other's section (nor in a heading, nor before the first
// heading): those keystrokes do nothing, and both screens show the same text. The assignments are written
// into the database by a test helper (the assignments API is another part of the work).
import { test, expect } from '@playwright/test';
import * as Y from 'yjs';
import { tokenClient } from '../support/api-client';
import { connectCollab } from '../support/collab-client';
import { writeFerryAndDam } from '../support/ferry-and-dam';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import type { Locator } from '@playwright/test';
import { editorPage, openPiece, pieceText, useGalley } from './helpers';

const CARL = { email: 'carl@example.org', name: 'Carl Ferryman', password: 'contributor secret 1' };
const DORA = { email: 'dora@example.org', name: 'Dora Damsworth', password: 'contributor secret 2' };

/** The texts of the editor's blocks, without others' carets and the assignees shown beside headings. */
function blockTexts(text: Locator): Promise<string[]> {
	return text.locator(':scope > p, :scope > h2').evaluateAll((els) =>
		els.map((el) => {
			const copy = el.cloneNode(true) as HTMLElement;
			copy.querySelectorAll('.collaboration-carets__caret, .section-assignees').forEach((c) => c.remove());
			return copy.textContent ?? '';
		})
	);
}

test.describe('section rights in the browser', () => {
	const galley = useGalley({ people: [[CARL, 'contributor'], [DORA, 'contributor']] });

	/** An article written by the editor (an opening, the ferry, the dam), the ferry assigned to Carl and the dam to Dora; returns its id. */
	async function articleAssigned(title: string): Promise<string> {
		const pieceId = await galley.pieceViaApi(title, 'article');
		await writeFerryAndDam(galley.server.wsUrl, pieceId, (await tokenClient(galley.editorApi, 'section rights story')).token!);
		const people = (await galley.editorApi.get('/api/people')).json.people as { id: string; email: string }[];
		const idOf = (email: string) => people.find((p) => p.email === email)!.id;
		for (const [email, sectionId] of [[CARL.email, 'sec-ferry'], [DORA.email, 'sec-dam']]) {
			const res = await galley.editorApi.post(`/api/pieces/${pieceId}/assignments`, { userId: idOf(email), role: 'author', sectionId });
			expect(res.status, JSON.stringify(res.json)).toBe(201);
		}
		return pieceId;
	}

	test('two section authors type in their own sections at once; neither can type in the other’s', async ({ browser }) => {
		const pieceId = await articleAssigned('Basin Watch: the ferry and the dam');

		const carlPage = await galley.pageFor(browser, CARL);
		const doraPage = await galley.pageFor(browser, DORA);
		const carl = await openPiece(carlPage, galley, pieceId);
		const dora = await openPiece(doraPage, galley, pieceId);
		for (const [page, ed] of [
			[carlPage, carl],
			[doraPage, dora]
		] as const) {
			await expect(page.getByTestId('sections-banner')).toContainText('You edit only your section');
			await expect(ed.text.locator('.section-writable')).toHaveCount(1);
		}
		await expect(carl.text.locator('.section-assignees')).toHaveText(['Carl Ferryman', 'Dora Damsworth']);

		const paragraph = (ed: typeof carl, text: string) => ed.text.locator('p', { hasText: text });
		/** Click at the end of the block holding `text` and type `words`. */
		const typeInto = async (page: typeof carlPage, ed: typeof carl, text: string, words: string) => {
			const target = paragraph(ed, text);
			// the caret is where the click put it before typing (a remote change arriving with the click may
			// have moved it: click again then)
			await expect(async () => {
				await target.click();
				await page.keyboard.press('End');
				expect(await target.evaluate((el) => el.contains(getSelection()?.anchorNode ?? null))).toBe(true);
			}).toPass({ timeout: 10_000 });
			await page.keyboard.type(words, { delay: 20 });
		};

		// both at once, each in their own section
		await Promise.all([typeInto(carlPage, carl, 'Ferry text.', ' Carl writes the crossing.'), typeInto(doraPage, dora, 'Dam text.', ' Dora writes the spillway.')]);
		const expected = ['Basin Watch opens the week.', 'The ferry', 'Ferry text. Carl writes the crossing.', 'The dam', 'Dam text. Dora writes the spillway.'];
		for (const ed of [carl, dora]) await expect.poll(() => blockTexts(ed.text)).toEqual(expected);

		// each in the other's section, in a heading and before the first heading: nothing happens
		await typeInto(carlPage, carl, 'Dam text.', ' Carl was here.');
		await typeInto(doraPage, dora, 'Ferry text.', ' Dora was here.');
		await carl.text.locator('h2', { hasText: 'The ferry' }).click();
		await carlPage.keyboard.type(' heading');
		await typeInto(doraPage, dora, 'Basin Watch opens', ' intro');
		await doraPage.keyboard.press('Enter');
		await doraPage.keyboard.type('A new paragraph before the ferry');
		// and once more in their own, so we know the keystrokes before were handled
		await typeInto(carlPage, carl, 'Carl writes', ' Done.');
		await typeInto(doraPage, dora, 'Dora writes', ' Done.');
		const final = ['Basin Watch opens the week.', 'The ferry', 'Ferry text. Carl writes the crossing. Done.', 'The dam', 'Dam text. Dora writes the spillway. Done.'];
		for (const ed of [carl, dora]) {
			await expect.poll(() => blockTexts(ed.text)).toEqual(final);
			await expect.poll(() => pieceText(ed.text)).not.toMatch(/was here|heading|intro|A new paragraph/);
			await expect(ed.save).toHaveText('Saved');
		}
		// nothing was refused by the server: the browsers never sent anything outside
		await expect(carlPage.getByTestId('resync-notice')).toHaveCount(0);
		await expect(doraPage.getByTestId('resync-notice')).toHaveCount(0);
	});

	test('an edit the server refuses (the section was deleted meanwhile) disappears from the page: it opens the piece afresh', async ({ browser }) => {
		const pieceId = await articleAssigned('Basin Watch: a section deleted meanwhile');
		const context = await galley.contextFor(browser, CARL);
		// Carl's outgoing frames can be held, as a slow network holds them
		let holding = false;
		const held: (string | Buffer)[] = [];
		let release = () => {};
		await context.routeWebSocket(/\/collab\//, (ws) => {
			const server = ws.connectToServer();
			ws.onMessage((message) => (holding ? held.push(message) : server.send(message)));
			server.onMessage((message) => ws.send(message));
			release = () => {
				holding = false;
				for (const message of held.splice(0)) server.send(message);
			};
		});
		const page = await context.newPage();
		const carl = await openPiece(page, galley, pieceId);
		await expect(carl.save).toHaveText('Saved');
		const ferry = carl.text.locator('p', { hasText: 'Ferry text.' });
		await ferry.click();
		await page.keyboard.press('End');
		holding = true;
		await page.keyboard.type(' Carl types while the editor deletes the heading.');
		await expect(ferry).toContainText('Carl types while');
		// meanwhile the editor deletes the ferry's heading: Carl's section is detached, his typing is outside
		const editor = await tokenClient(galley.editorApi, 'section rights story');
		const writer = connectCollab(galley.server.wsUrl, pieceId, { token: editor.token! }, { presence: false });
		await writer.synced;
		writer.doc.getXmlFragment(BODY_FRAGMENT).delete(1, 1);
		const frame = writer.framesSent();
		await expect.poll(() => writer.settledFrames()).toBeGreaterThanOrEqual(frame);
		await expect(carl.text.locator('h2', { hasText: 'The ferry' })).toHaveCount(0); // it reached Carl
		release();
		// refused: the page says so and shows the piece as the server has it
		await expect(page.getByTestId('resync-notice')).toBeVisible();
		await expect.poll(() => blockTexts(editorPage(page).text)).toEqual(['Basin Watch opens the week.', 'Ferry text.', 'The dam', 'Dam text.']);
		const texts = (writer.doc.getXmlFragment(BODY_FRAGMENT).toArray() as Y.XmlElement[]).map((el) => el.toArray().join(''));
		expect(texts).toEqual(['Basin Watch opens the week.', 'Ferry text.', 'The dam', 'Dam text.']);
		writer.destroy();
	});
});
