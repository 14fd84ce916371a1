// A click that places the caret holds while another person types. The fault this guards: the browser
// moves its selection on the click at once, but ProseMirror reads it only on `selectionchange` (a task
// queued after the click); another person's keystroke (a remote Yjs change) or caret (redrawn in a task
// of its own after their awareness change) arriving in between made the editor write the selection it still
// held into the page, over the click, and the word typed next landed where the caret had been before the
// click (see src/lib/editor/remote-change-caret.ts). Two SEPARATE browser contexts, one
// typing fast and without a pause while the other clicks at several places and types a word after each.
import { test, expect, type Page } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, openPiece, pieceText, textsOf, useGalley } from './helpers';

const SLOW = { timeout: 30_000 };

const TRANSCRIPT = [
	'BW: What happened in the delta?',
	'G: The flooding cut the road to the market towns.',
	'BW: And the markets themselves?',
	'G: Prices doubled within a week and stayed there.',
	'BW: Who brought food in?',
	'G: Relief convoys waited at the bridge for days.',
	'BW: What comes next?',
	'G: Nobody in the delta expects the water to go down soon.'
].join('\n\n');

/**
 * Click, as a person does with the mouse, right after `after` in the turn whose text starts with `start`
 * (the position is taken inside the paragraph, which Playwright finds and scrolls to at the click).
 */
async function clickAfter(page: Page, start: string, after: string) {
	const paragraph = page.locator('[data-testid=editor] .qa-block p').filter({ hasText: new RegExp(`^${start}`) });
	const position = await paragraph.evaluate((p, after) => {
		const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const offset = node.textContent!.indexOf(after);
			if (offset < 0) continue;
			const range = document.createRange();
			range.setStart(node, offset + after.length);
			range.collapse(true);
			const at = range.getBoundingClientRect();
			const box = p.getBoundingClientRect();
			return { x: at.left - box.left, y: at.top - box.top + at.height / 2 };
		}
		throw new Error(`no “${after}” in ${p.textContent}`);
	}, after);
	await paragraph.click({ position });
}

test.describe('a click while someone else types', () => {
	test.describe.configure({ timeout: 180_000 });
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });
	test.use({ viewport: { width: 1280, height: 1200 } });

	test('one person types without a pause in one answer while the other clicks at five places in other turns and types a word after each: every word lands where its click was', async ({
		browser
	}) => {
		const pieceId = await galley.pieceViaApi('Clicks in the delta', 'interview');
		const res = await galley.editorApi.post(`/api/pieces/${pieceId}/transcript`, { text: TRANSCRIPT, mode: 'replace' });
		expect(res.status, res.text).toBe(201);
		const typist = await galley.pageFor(browser, EDITOR);
		const clicker = await galley.pageFor(browser, SECOND_EDITOR);
		const edT = await openPiece(typist, galley, pieceId);
		await openPiece(clicker, galley, pieceId);
		await expect(clicker.locator('[data-testid=editor] .qa-block')).toHaveCount(8, SLOW);

		// the typist at the end of the last answer, typing a long sentence key by key (20 ms apart)
		const last = typist.locator('[data-testid=editor] .qa-block p', { hasText: 'Nobody in the delta' });
		await last.click();
		await typist.keyboard.press('End');
		const typed = ' The spring rains were late and the river rose all through the night while the villagers watched the embankments and counted the sandbags they still had.';
		const typing = typist.keyboard.type(typed, { delay: 20 });

		// meanwhile the other person clicks in other turns, each time somewhere else, and types a word at once
		const clicks: [string, string, string][] = [
			['The flooding', 'The flooding', ' first'],
			['Prices doubled', 'Prices doubled', ' again'],
			['Relief convoys', 'Relief convoys', ' still'],
			['The flooding', 'cut the road', ' north'],
			['Prices doubled', 'within a week', ' only']
		];
		for (const [turn, after, word] of clicks) {
			await clickAfter(clicker, turn, after);
			await clicker.keyboard.type(word);
		}
		await typing;

		const expected = [
			'The flooding first cut the road north to the market towns.',
			'Prices doubled again within a week only and stayed there.',
			'Relief convoys still waited at the bridge for days.',
			'Nobody in the delta expects the water to go down soon.' + typed
		];
		for (const page of [typist, clicker]) {
			for (const text of expected) {
				await expect.poll(() => textsOf(page.locator('[data-testid=editor] .qa-block p')), SLOW).toContain(text);
			}
		}
		await expect.poll(() => pieceText(edT.text), SLOW).toContain('What comes next?');
	});
});
