// Two and three people typing at the same moment in one interview: in one Q&A turn (carets far apart and
// a word apart), in the lead-in, in a participant's name, in one endnote of a turn; and splitting and
// merging a turn with the keyboard. Every person is a SEPARATE browser context (two tabs of one context
// also sync through BroadcastChannel, which would hide a broken server), typing key by key with a delay
// so the others' keystrokes arrive in between. What must hold: every person's words are there, whole and
// in the order of their carets, on every screen, and each caret stays where its owner put it.
import { test, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, markdownOf, openPiece, pieceText, textsOf, useGalley } from './helpers';

// The machine running these is shared with other test runs: be patient, but only ever wait for something.
const SLOW = { timeout: 30_000 };
const THIRD_EDITOR = { email: 'cem@example.org', name: 'Cem Arslan', password: 'a third long passphrase' };
const PEOPLE = [EDITOR, SECOND_EDITOR, THIRD_EDITOR];

/** The text from the start of the caret's block (paragraph, lead-in) up to the caret, others' carets left out. */
function textBeforeCaret(page: Page): Promise<string> {
	return page.evaluate(() => {
		const sel = window.getSelection();
		if (!sel || !sel.focusNode) return '';
		let block: Node | null = sel.focusNode;
		while (block && !(block instanceof HTMLElement && /^(P|H2|H3)$/.test(block.tagName))) block = block.parentNode;
		if (!block) return '';
		const range = document.createRange();
		range.setStart(block, 0);
		range.setEnd(sel.focusNode, sel.focusOffset);
		const div = document.createElement('div');
		div.appendChild(range.cloneContents());
		div.querySelectorAll('.collaboration-carets__caret').forEach((c) => c.remove());
		return div.textContent ?? '';
	});
}

test.describe('co-typing in an interview', () => {
	test.describe.configure({ timeout: 180_000 });
	const galley = useGalley({
		people: [
			[SECOND_EDITOR, 'editor'],
			[THIRD_EDITOR, 'editor']
		]
	});

	/**
	 * A new interview open for `count` people: three turns whose answer says `answer` (imported through the
	 * API), or with `answer` null the template as it is (its lead-in, two empty turns).
	 */
	async function interviewFor(browser: Browser, title: string, count: number, answer = 'The flooding cut the road.') {
		const pieceId = await galley.pieceViaApi(title, 'interview');
		const res = await galley.editorApi.post(`/api/pieces/${pieceId}/transcript`, {
			text: `BW: What happened in the delta?\n\nG: ${answer}\n\nBW: And the markets?`,
			leadIn: { text: 'Basin Watch spoke with Anneli Varga about the delta and its markets.' }
		});
		expect(res.status, res.text).toBe(201);
		const pages: Page[] = [];
		for (const person of PEOPLE.slice(0, count)) {
			const page = await galley.pageFor(browser, person);
			await openPiece(page, galley, pieceId);
			await expect(turns(page)).toHaveCount(3, SLOW);
			pages.push(page);
		}
		return { pieceId, pages };
	}

	const turns = (page: Page) => page.locator('[data-testid=editor] .qa-block');
	const answer = (page: Page) => turns(page).nth(1).locator('p').first();
	const leadIn = (page: Page) => page.locator('[data-testid=editor] p.lead-in');

	/**
	 * Put the caret `offset` characters into `block`, as a person would: a click on its first line then Home
	 * and arrow keys, or a click on its last line then End. (Not a click in the middle: another person's
	 * caret label may be drawn there.)
	 */
	async function caretAt(page: Page, block: Locator, offset: number | 'end') {
		const box = (await block.boundingBox())!;
		await block.click({ position: offset === 'end' ? { x: box.width - 4, y: box.height - 6 } : { x: 4, y: 6 } });
		await page.keyboard.press(offset === 'end' ? 'End' : 'Home');
		if (offset !== 'end') for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
	}

	/** Everyone types their words at once, key by key. */
	async function typeTogether(typing: [Page, string][], delay = 60) {
		await Promise.all(typing.map(([page, words]) => page.keyboard.type(words, { delay })));
	}

	test('two people typing at once in one answer, one at its end and one near its start (the reported case): both sentences whole, on both screens, each caret after its own words', async ({
		browser
	}) => {
		const { pages } = await interviewFor(browser, 'Flooding in the delta', 2);
		const [a, b] = pages;
		await caretAt(a, answer(a), 'end');
		await caretAt(b, answer(b), 'The '.length);
		const mine = ' Militants then seized two markets.';
		const theirs = 'seasonal ';
		await typeTogether([
			[a, mine],
			[b, theirs]
		]);
		const expected = 'The seasonal flooding cut the road. Militants then seized two markets.';
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe(expected);
		// Each caret is where its owner left it: right after their own words.
		expect(await textBeforeCaret(a)).toBe(expected);
		expect(await textBeforeCaret(b)).toBe('The seasonal ');
		// and typing on goes on there
		await a.keyboard.type(' Prices rose.', { delay: 20 });
		await b.keyboard.type('spring ', { delay: 20 });
		const next = 'The seasonal spring flooding cut the road. Militants then seized two markets. Prices rose.';
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe(next);
	});

	test('two people typing a word apart in one answer, and three people at once in one turn: every text whole and in order on every screen', async ({ browser }) => {
		const { pages } = await interviewFor(browser, 'Markets after the flood', 3);
		const [a, b, c] = pages;
		// A and B a word apart
		await caretAt(a, answer(a), 'The flooding cut'.length);
		await caretAt(b, answer(b), 'The flooding'.length);
		await typeTogether([
			[a, ' off'],
			[b, ' first']
		]);
		const twoApart = 'The flooding first cut off the road.';
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe(twoApart);
		expect(await textBeforeCaret(a)).toBe('The flooding first cut off');
		expect(await textBeforeCaret(b)).toBe('The flooding first');

		// Then all three: at the end, at the start, and in the middle.
		await caretAt(a, answer(a), 'end');
		await caretAt(b, answer(b), 0);
		await caretAt(c, answer(c), 'The flooding first cut off the'.length);
		await typeTogether([
			[a, ' Convoys waited for a week.'],
			[b, 'In April, '],
			[c, ' only']
		]);
		const three = 'In April, The flooding first cut off the only road. Convoys waited for a week.';
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe(three);
		expect(await textBeforeCaret(a)).toBe(three);
		expect(await textBeforeCaret(b)).toBe('In April, ');
		expect(await textBeforeCaret(c)).toBe('In April, The flooding first cut off the only');
		// The other turns are untouched.
		for (const page of pages) {
			await expect.poll(() => pieceText(turns(page).nth(0)), SLOW).toBe('What happened in the delta?');
			await expect.poll(() => pieceText(turns(page).nth(2)), SLOW).toBe('And the markets?');
		}
	});

	test('two people typing at once in the lead-in: both texts whole, each caret after its own words', async ({ browser }) => {
		const { pages } = await interviewFor(browser, 'Lead-in typed together', 2);
		const [a, b] = pages;
		const before = await pieceText(leadIn(a));
		await caretAt(a, leadIn(a), 'end');
		await caretAt(b, leadIn(b), 'Basin Watch '.length);
		expect(await textBeforeCaret(a)).toBe(before);
		expect(await textBeforeCaret(b)).toBe('Basin Watch ');
		await typeTogether([
			[a, ' Recorded in Varesh.'],
			[b, 'first ']
		]);
		const expected = `Basin Watch first ${before.slice('Basin Watch '.length)} Recorded in Varesh.`;
		for (const page of pages) await expect.poll(() => pieceText(leadIn(page)), SLOW).toBe(expected);
		expect(await textBeforeCaret(a)).toBe(expected);
		expect(await textBeforeCaret(b)).toBe('Basin Watch first ');
	});

	test('a participant renamed in the panel while another person types in that participant’s turn: the turn relabels, the typing goes on where it was', async ({
		browser
	}) => {
		const { pages } = await interviewFor(browser, 'Renamed while typing', 2);
		const [a, b] = pages;
		await caretAt(b, answer(b), 'The flooding'.length);
		const label = a.getByLabel('Label of Guest', { exact: true });
		const typing = b.keyboard.type(' suddenly', { delay: 80 });
		await label.fill('');
		await label.pressSequentially('AV', { delay: 80 });
		await label.press('Tab');
		const name = a.getByLabel('Name of AV', { exact: true });
		await name.fill('');
		await name.pressSequentially('Anneli Varga', { delay: 30 });
		await name.press('Tab');
		await typing;
		const expected = 'The flooding suddenly cut the road.';
		for (const page of pages) {
			await expect.poll(() => pieceText(answer(page)), SLOW).toBe(expected);
			await expect(answer(page)).toHaveAttribute('data-label', 'AV:', SLOW);
			await expect(page.getByLabel('Name of AV', { exact: true })).toHaveValue('Anneli Varga', SLOW);
		}
		expect(await textBeforeCaret(b)).toBe('The flooding suddenly');
	});

	test('two people typing in one participant’s name at once in the Participants panel: both edits kept, on both screens and in the print form', async ({
		browser
	}) => {
		const { pages, pieceId } = await interviewFor(browser, 'A name typed together', 2);
		const [a, b] = pages;
		const nameA = a.getByLabel('Name of G', { exact: true });
		const nameB = b.getByLabel('Name of G', { exact: true });
		await nameA.click();
		await a.keyboard.press('End');
		await nameB.click();
		await b.keyboard.press('Home');
		// B is done first and leaves the field (Tab: the name is written) while A is still typing.
		await Promise.all([
			(async () => {
				await a.keyboard.type(' Anneli Varga', { delay: 90 });
				await a.keyboard.press('Tab');
			})(),
			(async () => {
				await b.keyboard.type('Dr. ', { delay: 30 });
				await b.keyboard.press('Tab');
			})()
		]);
		const expected = 'Dr. Guest Anneli Varga';
		for (const page of pages) await expect(page.getByLabel('Name of G', { exact: true })).toHaveValue(expected, SLOW);
		await expect
			.poll(async () => (await galley.editorApi.get(`/api/pieces/${pieceId}/content?format=json`)).text, SLOW)
			.toContain(`"name":"${expected}"`);
	});

	test('two people typing at once in one endnote of an answer: both texts whole in both Notes panels, the answer untouched', async ({ browser }) => {
		const { pages, pieceId } = await interviewFor(browser, 'A note typed together', 2);
		const [a, b] = pages;
		await caretAt(a, answer(a), 'end');
		await a.getByRole('button', { name: 'Note', exact: true }).click();
		const fieldA = a.getByLabel('[1]', { exact: true });
		const fieldB = b.getByLabel('[1]', { exact: true });
		await fieldA.click();
		await a.keyboard.type('Varesh Daily, March 12.', { delay: 10 });
		await expect(fieldB).toHaveText('Varesh Daily, March 12.', SLOW);

		// A in the middle (after "Varesh Daily,"), B at the end, a few characters apart.
		await fieldA.click();
		await a.keyboard.press('Home');
		for (let i = 0; i < 'Varesh Daily,'.length; i++) await a.keyboard.press('ArrowRight');
		await fieldB.click();
		await b.keyboard.press('End');
		await typeTogether([
			[a, ' front page,'],
			[b, ' Confirmed by the warden.']
		]);
		const merged = 'Varesh Daily, front page, March 12. Confirmed by the warden.';
		for (const field of [fieldA, fieldB]) await expect(field).toHaveText(merged, SLOW);
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe('The flooding cut the road.');
		await expect.poll(() => markdownOf(a, galley, pieceId), SLOW).toContain(`## Notes\n\n[1] ${merged}`);
	});

	test('Ctrl+Shift+Enter splits a turn at the caret into two turns of the same speaker, for both people; Backspace at the new turn’s start merges it back', async ({
		browser
	}) => {
		const { pages } = await interviewFor(browser, 'A turn split in two', 2, 'The flooding cut the road. Prices doubled within a week.');
		const [a, b] = pages;
		await caretAt(a, answer(a), 'The flooding cut the road.'.length);
		await a.keyboard.press('Delete'); // the space between the sentences
		await a.keyboard.press('ControlOrMeta+Shift+Enter');
		for (const page of pages) {
			await expect(turns(page)).toHaveCount(4, SLOW);
			await expect.poll(() => pieceText(turns(page).nth(1)), SLOW).toBe('The flooding cut the road.');
			await expect.poll(() => pieceText(turns(page).nth(2)), SLOW).toBe('Prices doubled within a week.');
			for (const i of [1, 2]) {
				await expect(turns(page).nth(i)).toHaveAttribute('data-qa', 'answer');
				await expect(turns(page).nth(i).locator('p').first()).toHaveAttribute('data-label', 'G:');
			}
		}
		// two turns, two ids
		const ids = await turns(a).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
		expect(new Set(ids).size).toBe(4);
		expect(ids.every((id) => !!id)).toBe(true);
		// A's caret is at the start of the new turn: typing goes there
		await a.keyboard.type('Then ', { delay: 20 });
		await expect.poll(() => pieceText(turns(b).nth(2)), SLOW).toBe('Then Prices doubled within a week.');
		for (let i = 0; i < 'Then '.length; i++) await a.keyboard.press('Backspace');
		// Backspace at its start merges it back: one turn of two paragraphs, then one paragraph again.
		await a.keyboard.press('Backspace');
		for (const page of pages) {
			await expect(turns(page)).toHaveCount(3, SLOW);
			await expect.poll(() => Promise.all([pieceText(turns(page).nth(1).locator('p').nth(0)), pieceText(turns(page).nth(1).locator('p').nth(1))]), SLOW).toEqual([
				'The flooding cut the road.',
				'Prices doubled within a week.'
			]);
			await expect(turns(page).nth(1).locator('p')).toHaveCount(2);
		}
		await a.keyboard.press('Backspace');
		await a.keyboard.type(' ');
		for (const page of pages) await expect.poll(() => pieceText(answer(page)), SLOW).toBe('The flooding cut the road. Prices doubled within a week.');
	});

	test('the other person adding turns above my caret near the bottom of the screen: my caret stays on the screen, and my typing goes on there', async ({ browser }) => {
		const { pages } = await interviewFor(browser, 'Markets of the delta', 2);
		const [a, b] = pages;
		await a.setViewportSize({ width: 1280, height: 560 });
		const last = turns(a).nth(2).locator('p').first();
		await caretAt(a, last, 'end');
		// my caret 40 px above the bottom of the window
		const caretRect = () =>
			a.evaluate(() => {
				const r = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
				return { top: r.top, bottom: r.bottom, height: window.innerHeight };
			});
		const before = await caretRect();
		await a.evaluate((by) => window.scrollBy(0, by), before.bottom - (before.height - 40));
		const nearBottom = async () => {
			const r = await caretRect();
			return r.bottom > r.height - 80 && r.bottom <= r.height;
		};
		await expect.poll(nearBottom, SLOW).toBe(true);
		// the other person adds six turns to the answer above it, on my screen
		await caretAt(b, answer(b), 'end');
		for (let i = 0; i < 6; i++) {
			await b.keyboard.press('Enter');
			await b.keyboard.type(`Turn ${i + 1} on the weirs.`, { delay: 10 });
		}
		await expect(turns(a)).toHaveCount(9, SLOW);
		// (y-sync.ts measures it in the next animation frame and scrolls to it: fails without that)
		const onScreen = async () => {
			const r = await caretRect();
			return r.top >= 0 && r.bottom <= r.height;
		};
		await expect.poll(onScreen, SLOW).toBe(true);
		await a.keyboard.type(' Prices doubled.', { delay: 20 });
		for (const page of pages) await expect.poll(() => pieceText(turns(page).nth(8).locator('p').first()), SLOW).toBe('And the markets? Prices doubled.');
	});

	// The story above failed about 1 run in 8: the sixth new turn stayed empty and "Turn 6 on the weirs." began the
	// turn after it. Every turn is `content-visibility: auto` (app.css), and a turn just put into the page has
	// its contents skipped until the browser's next frame; a key typed before that frame (a fast typist, a busy
	// page) was inserted by the browser at the next text it had laid out: the start of the following turn. Here
	// the Enter and the typing come in one task, before any frame, every time.
	test('Enter at the end of a turn and words typed before the browser draws its next frame: the words go into the new turn', async ({ browser }) => {
		const { pages } = await interviewFor(browser, 'Weirs of the delta', 1);
		const [a] = pages;
		await caretAt(a, answer(a), 'end');
		await a.evaluate(() => {
			const editor = document.querySelector('[data-testid=editor] .ProseMirror')!;
			editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, bubbles: true, cancelable: true }));
			// the browser's own typing (what a key press does), before any frame
			document.execCommand('insertText', false, 'Turn 1 on the weirs.');
		});
		await expect
			.poll(() => textsOf(turns(a)), SLOW)
			.toEqual(['What happened in the delta?', 'The flooding cut the road.', 'Turn 1 on the weirs.', 'And the markets?']);
	});
});
