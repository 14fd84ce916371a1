// User story: the editor plans an issue in the browser. They create it from the issues page, build its table
// of contents by adding pieces (searched for in each section's picker), dragging them (svelte-dnd-action) and
// moving them with Alt+Arrow keys (each move announced to screen readers), while a second editor's board
// follows live, without a reload.
import { test, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { EDITOR, SECOND_EDITOR, signIn, useGalley } from './helpers';

/** axe finds nothing on the page as it is now (any impact). */
async function expectNoAxeViolations(page: Page, what: string) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
	const report = results.violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`);
	expect(report, `axe on ${what}`).toEqual([]);
}

/** The board's table of contents as shown: each list's heading with its pieces' titles, in order. */
function tableOfContents(page: Page) {
	return page.locator('section.zone').evaluateAll((zones) =>
		zones.map((zone) => [zone.querySelector('h2')?.textContent?.trim(), [...zone.querySelectorAll('li[data-piece-id]')].map((li) => li.getAttribute('aria-label'))])
	);
}

const zone = (page: Page, title: string) => page.locator('section.zone').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const row = (page: Page, title: string) => page.locator(`li[data-piece-id][aria-label="${title}"]`);

/**
 * Drag with the mouse as a person does: press on the row (not its link), move in steps over the target, and
 * hold there until the board shows the piece where it would land (svelte-dnd-action looks at the dragged
 * element a few times a second), then release. While the piece is not there yet, the target is looked up
 * again before each nudge (once the row leaves its own list, that list shrinks and the sections below it
 * move up the page); once it is there, the mouse stays still until released (a row that made room for the
 * piece has moved: pointing at it again would take the piece back). It is released only once the board has
 * shown the piece there for longer than three of the library's looks (200 ms apart): the room the piece left
 * behind closes up, the sections move under the still pointer, and a look after that can take the piece to
 * the section above, where a release straight away would drop it.
 */
async function drag(page: Page, source: Locator, target: Locator, where: 'top' | 'middle', expected: unknown) {
	const from = (await source.boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 5 });
	// two points inside the target, further apart than the library's 10 px tolerance, so each nudge is looked at
	const points = async () => {
		const to = (await target.boundingBox())!;
		const x = to.x + to.width / 2;
		const [y1, y2] = where === 'top' ? [to.y + 3, to.y + 16] : [to.y + to.height / 2 - 7, to.y + to.height / 2 + 7];
		return { x, y1, y2 };
	};
	const start = await points();
	await page.mouse.move(start.x, start.y1, { steps: 20 });
	let nudge = false;
	let shownSince: number | null = null;
	const SETTLED_MS = 700;
	await expect
		.poll(
			async () => {
				const shown = await tableOfContents(page);
				if (JSON.stringify(shown) !== JSON.stringify(expected)) {
					shownSince = null;
					const { x, y1, y2 } = await points();
					await page.mouse.move(x, (nudge = !nudge) ? y2 : y1, { steps: 2 });
					return shown;
				}
				shownSince ??= Date.now();
				return Date.now() - shownSince >= SETTLED_MS ? shown : 'shown, settling';
			},
			{ timeout: 20_000, intervals: [100, 200] }
		)
		.toEqual(expected);
	await page.mouse.up();
}

test.describe('the issue board', () => {
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });
	// tall enough that a drag's source and target are both on screen
	test.use({ viewport: { width: 1280, height: 1500 } });

	test('the editor creates an issue and builds its table of contents by drag and drop and by keyboard; another editor sees it live', async ({ browser }) => {
		test.setTimeout(120_000); // a long story: two boards, three drags, axe twice
		const titles = ['Sabotage on the Varesh Canal', 'Drought and the Herders of Veyra', 'The Campaign Against the River Wardens'];
		for (const [i, title] of titles.entries()) await galley.pieceViaApi(title, i === 2 ? 'article' : 'brief');
		const eda = await galley.pageFor(browser, EDITOR);

		await eda.goto(galley.url + '/issues');
		await expect(eda.getByRole('heading', { name: 'Issues', level: 1 })).toBeVisible();
		await expectNoAxeViolations(eda, '/issues');
		await eda.getByLabel('Publication', { exact: true }).fill('Basin Watch');
		await eda.getByLabel('Tagline').fill('Weekly analysis of water, conflict and the rivers between');
		await eda.getByLabel('Volume').fill('7');
		await expect(eda.getByText('Printed VOLUME VII')).toBeVisible();
		await eda.getByLabel('Number').fill('12');
		await expect(eda.getByLabel('Sections, in order')).toHaveValue('Briefs, Articles, Interview');
		await eda.getByRole('button', { name: 'Create issue' }).click();
		await expect(eda).toHaveURL(/\/issues\/[^/]+$/);
		await expect(eda.getByRole('heading', { name: 'Basin Watch', level: 1 })).toBeVisible();
		await expect(eda.getByTestId('volume-issue')).toHaveText('VOLUME VII, ISSUE 12');
		await expect(eda.locator('[data-live="open"]')).toBeVisible();

		// the second editor opens the same board and waits for its live stream
		const bea = await galley.pageFor(browser, SECOND_EDITOR);
		await bea.goto(eda.url());
		await expect(bea.locator('[data-live="open"]')).toBeVisible();

		// add the three pieces from each section's picker, which searches the pieces in no issue as one types:
		// the two briefs to Briefs with the mouse (a word, then the beginnings of two), the article by keyboard
		const picker = (section: string) => zone(eda, section).getByRole('combobox', { name: `Add a piece to ${section}` });
		for (const [title, typed] of [[titles[0], 'Varesh'], [titles[1], 'herd vey']]) {
			await picker('Briefs').fill(typed);
			await zone(eda, 'Briefs').getByRole('option', { name: `${title} (Brief)` }).click();
			await expect(row(eda, title)).toBeVisible();
			await expect(eda.getByTestId('board-announcement')).toHaveText(`Added “${title}” to Briefs`);
		}
		// a piece placed in the issue is no longer offered
		await picker('Articles').fill('Varesh');
		await expect(zone(eda, 'Articles').getByRole('status')).toHaveText('No piece outside the issues matches “Varesh”.');
		await picker('Articles').fill('');
		await picker('Articles').press('ArrowDown'); // nothing typed: the pieces in no issue, the article alone
		const offered = zone(eda, 'Articles').getByRole('option', { name: `${titles[2]} (Article)` });
		await expect(offered).toHaveAttribute('aria-selected', 'true');
		await expect(picker('Articles')).toHaveAttribute('aria-activedescendant', (await offered.getAttribute('id'))!);
		await expectNoAxeViolations(eda, 'the board, a picker open');
		await picker('Articles').press('Enter');
		await expect(row(eda, titles[2])).toBeVisible();
		await expect(picker('Articles')).toBeFocused();
		await expect(picker('Articles')).toHaveAttribute('aria-expanded', 'false');
		const planned = [
			['Briefs', [titles[0], titles[1]]],
			['Articles', [titles[2]]],
			['Interview', []],
			['Not in a section', []]
		];
		await expect.poll(() => tableOfContents(eda)).toEqual(planned);
		await expect.poll(() => tableOfContents(bea)).toEqual(planned);

		// drag the second brief above the first
		const dragged = [['Briefs', [titles[1], titles[0]]], ['Articles', [titles[2]]], ['Interview', []], ['Not in a section', []]];
		await drag(eda, row(eda, titles[1]), row(eda, titles[0]), 'top', dragged);
		await expect.poll(() => tableOfContents(eda)).toEqual(dragged);
		await expect.poll(() => tableOfContents(bea)).toEqual(dragged);
		// drag the article into the empty Interview section
		const across = [['Briefs', [titles[1], titles[0]]], ['Articles', []], ['Interview', [titles[2]]], ['Not in a section', []]];
		await drag(eda, row(eda, titles[2]), zone(eda, 'Interview').locator('ul'), 'middle', across);
		await expect.poll(() => tableOfContents(eda)).toEqual(across);
		await expect.poll(() => tableOfContents(bea)).toEqual(across);

		// by keyboard: the canal brief moves down out of Briefs into Articles, announced
		await row(eda, titles[0]).focus();
		await eda.keyboard.press('Alt+ArrowDown');
		await expect(eda.getByTestId('board-announcement')).toHaveText(`Moved “${titles[0]}” to position 1 in Articles`);
		await expect(row(eda, titles[0])).toBeFocused();
		await eda.keyboard.press('Alt+ArrowDown');
		await expect(eda.getByTestId('board-announcement')).toHaveText(`Moved “${titles[0]}” to position 1 in Interview`);
		const keyed = [['Briefs', [titles[1]]], ['Articles', []], ['Interview', [titles[0], titles[2]]], ['Not in a section', []]];
		await expect.poll(() => tableOfContents(eda)).toEqual(keyed);
		await expect.poll(() => tableOfContents(bea)).toEqual(keyed);
		await eda.keyboard.press('Alt+ArrowUp');
		await expect(eda.getByTestId('board-announcement')).toHaveText(`Moved “${titles[0]}” to position 1 in Articles`);

		// a new section, renamed, appears live on the other board too
		await eda.getByLabel('New section').fill('Commentary');
		await eda.getByRole('button', { name: 'Add section' }).click();
		await expect(bea.getByRole('heading', { name: 'Commentary', exact: true })).toBeVisible();
		await eda.getByRole('button', { name: 'Rename the section Commentary' }).click();
		await eda.getByLabel('New title of the section Commentary').fill('Letters');
		await eda.getByRole('button', { name: 'Save' }).click();
		await expect(bea.getByRole('heading', { name: 'Letters', exact: true })).toBeVisible();

		// the masthead's details change, live on the other board too
		await eda.getByRole('button', { name: 'Edit issue details' }).click();
		await eda.getByLabel('Volume').fill('19');
		await eda.getByRole('button', { name: 'Save details' }).click();
		await expect(eda.getByTestId('volume-issue')).toHaveText('VOLUME XIX, ISSUE 12');
		await expect(bea.getByTestId('volume-issue')).toHaveText('VOLUME XIX, ISSUE 12');

		// what the server stored is what both boards show
		const board = (await galley.editorApi.get(eda.url().replace(galley.url, '').replace('/issues/', '/api/issues/'))).json;
		expect(board.sections.map((s: { title: string; pieces: { title: string }[] }) => [s.title, s.pieces.map((p) => p.title)])).toEqual([
			['Briefs', [titles[1]]],
			['Articles', [titles[0]]],
			['Interview', [titles[2]]],
			['Letters', []]
		]);
		await expectNoAxeViolations(bea, 'the board of another editor');
	});

	test('without JavaScript the editor plans the board through its forms: a piece found and added, moved, removed; a section added, moved, renamed; the masthead changed', async ({ browser }) => {
		const created = await galley.editorApi.post('/api/issues', { publication: 'Basin Watch', volume: 7, number: 13, sections: ['Briefs', 'Articles'] });
		expect(created.status, created.text).toBe(201);
		const issueId = created.json.issue.id;
		const title = 'Flood Gates at Nerovia';
		await galley.pieceViaApi(title, 'brief');
		const context = await browser.newContext({ javaScriptEnabled: false });
		try {
			await signIn(context, galley, EDITOR);
			const page = await context.newPage();
			await page.goto(`${galley.url}/issues/${issueId}`);
			const said = page.getByTestId('board-announcement');

			// the picker's text is sent: the pieces in no issue that match come back, each a button that adds it
			await zone(page, 'Briefs').getByRole('combobox', { name: 'Add a piece to Briefs' }).fill('Nerovia');
			await zone(page, 'Briefs').getByRole('button', { name: 'Find', exact: true }).click();
			await zone(page, 'Briefs').getByRole('button', { name: `Add ${title} (Brief)` }).click();
			await expect(said).toHaveText(`Added “${title}” to Briefs`);
			expect(await tableOfContents(page)).toEqual([['Briefs', [title]], ['Articles', []], ['Not in a section', []]]);

			// the move buttons are the dragging's fallback: down from the end of Briefs to the start of Articles
			await row(page, title).getByRole('button', { name: 'Down', exact: true }).click();
			await expect(said).toHaveText(`Moved “${title}” to position 1 in Articles`);
			expect(await tableOfContents(page)).toEqual([['Briefs', []], ['Articles', [title]], ['Not in a section', []]]);

			// a section added, moved up above Articles, renamed
			await page.getByLabel('New section').fill('Commentary');
			await page.getByRole('button', { name: 'Add section' }).click();
			await expect(said).toHaveText('Added the section Commentary');
			await page.getByRole('button', { name: 'Move the section Commentary up' }).click();
			await expect(said).toHaveText('Moved the section Commentary to position 2');
			await page.getByRole('button', { name: 'Rename the section Commentary' }).click();
			await page.getByLabel('New title of the section Commentary').fill('Letters');
			await page.getByRole('button', { name: 'Save', exact: true }).click();
			await expect(said).toHaveText('Renamed the section Commentary to Letters');
			expect(await tableOfContents(page)).toEqual([['Briefs', []], ['Letters', []], ['Articles', [title]], ['Not in a section', []]]);

			// the piece taken out of the issue
			await page.getByRole('button', { name: `Remove “${title}” from the issue` }).click();
			await expect(said).toHaveText(`Removed “${title}” from the issue`);
			await expect(row(page, title)).toHaveCount(0);

			// the masthead: a refusal keeps what was typed, then saved
			await page.getByRole('button', { name: 'Edit issue details' }).click();
			await page.getByLabel('Tagline').fill('Water, conflict and the rivers between');
			await page.getByLabel('Volume').fill('200000');
			await page.getByRole('button', { name: 'Save details' }).click();
			await expect(page.getByRole('alert')).toHaveText('volume: must be at most 100000');
			await expect(page.getByLabel('Tagline')).toHaveValue('Water, conflict and the rivers between');
			await page.getByLabel('Volume').fill('19');
			await page.getByLabel('Publication date').fill('2027-03-01');
			await page.getByRole('button', { name: 'Save details' }).click();
			await expect(page.getByTestId('volume-issue')).toHaveText('VOLUME XIX, ISSUE 13');
			await expect(said).toHaveText('Saved the issue’s details');

			// what the server stored is what the board showed
			const board = (await galley.editorApi.get(`/api/issues/${issueId}`)).json;
			expect(board.issue).toMatchObject({ volume: 19, tagline: 'Water, conflict and the rivers between', date: '2027-03-01' });
			expect(board.sections.map((s: { title: string; pieces: unknown[] }) => [s.title, s.pieces.length])).toEqual([
				['Briefs', 0],
				['Letters', 0],
				['Articles', 0]
			]);
		} finally {
			await context.close();
		}
	});
});
