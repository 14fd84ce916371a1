// A long transcript (a day of hearings) is as quick to work in as a brief: the second person to open it reads
// it at once, with a progress bar, while the editor loads it; nothing claims the piece has no notes before
// the editor knows; and both people then type in it together. (The timings are measured by
// `npm run bench:interview`, never asserted here.)
import { test, expect } from '@playwright/test';
import { EDITOR, SECOND_EDITOR, editorPage, openPiece, pieceText, useGalley } from './helpers';

const SLOW = { timeout: 60_000 };
const TURNS = 1500;
const FIRST_QUESTION = 'Where were the flood-gate crews that night?';

/** A made-up Basin Watch hearing: BW asks, AV answers, TURNS turns. */
function hearing(): string {
	const lines = ['_Basin Watch followed a day of hearings on the Halm weir._', ''];
	for (let i = 0; i < TURNS; i++) {
		if (i === 0) lines.push(`BW: ${FIRST_QUESTION}`);
		else if (i % 2 === 0) lines.push(`BW: Turn ${i + 1}: who answered to the River Wardens in the Kessel Hills that week?`);
		else lines.push(`AV: Turn ${i + 1}: the gauging teams did, since the winter floods cut the road to Talmar and nobody else could reach the weirs.`);
		lines.push('');
	}
	return lines.join('\n');
}

test.describe('a long interview', () => {
	test.describe.configure({ timeout: 240_000 });
	const galley = useGalley({ people: [[SECOND_EDITOR, 'editor']] });

	test('opens readable at once with a progress bar (no empty box, no "No endnotes") while the editor loads it, then both people type in it', async ({ browser }) => {
		const pieceId = await galley.pieceViaApi('A day of hearings on the Halm weir', 'interview');
		const imported = await galley.editorApi.post(`/api/pieces/${pieceId}/transcript?mode=replace`, hearing(), { 'content-type': 'text/plain' });
		expect(imported.status, imported.text).toBe(201);

		const a = await galley.pageFor(browser, EDITOR);
		const edA = await openPiece(a, galley, pieceId);
		await expect(edA.text.locator('.qa-block')).toHaveCount(TURNS, SLOW);

		// Bea opens the piece while the server's answer is held back: what a slow network or a long sync shows.
		const context = await galley.contextFor(browser, SECOND_EDITOR);
		let holding = true;
		const held: (() => void)[] = [];
		await context.routeWebSocket(/\/collab\//, (ws) => {
			const server = ws.connectToServer();
			server.onMessage((message) => (holding ? held.push(() => ws.send(message)) : ws.send(message)));
		});
		const b = await context.newPage();
		await b.goto(`${galley.url}/pieces/${pieceId}`);
		// The text is readable from its first turn, with its labels, more than the first screens of it (not the
		// whole of a long piece: that would hold the server up), and the page says it is still opening.
		await expect(b.getByText(FIRST_QUESTION)).toBeVisible(SLOW);
		await expect(b.getByText('Turn 200: the gauging teams did')).toBeAttached();
		await expect(b.getByText(`Turn ${TURNS}: the gauging teams did`)).toHaveCount(0);
		await expect(b.getByText('The rest of the piece follows as soon as it has opened…')).toBeAttached();
		await expect(b.getByRole('progressbar', { name: 'Opening the piece' })).toBeVisible();
		await expect(b.getByText('No endnotes')).toHaveCount(0);
		await expect(b.getByText('Loading the notes…')).toBeVisible();
		const edB = editorPage(b);
		await expect(edB.text).toHaveAttribute('contenteditable', 'false'); // nothing to type into yet
		expect((await pieceText(edB.text)).trim()).toBe('');

		// Eda keeps typing in the first turn meanwhile.
		await edA.text.locator('.qa-block p').first().click();
		await a.keyboard.press('End');
		await a.keyboard.type(' Nobody slept.', { delay: 40 });

		// The server's answer arrives: the editor replaces the preview, with Eda's words in it.
		holding = false;
		held.splice(0).forEach((send) => send());
		await expect(edB.text).toHaveAttribute('contenteditable', 'true', SLOW);
		await expect(b.getByRole('progressbar', { name: 'Opening the piece' })).toHaveCount(0);
		await expect(b.getByTestId('piece-preview')).toHaveCount(0);
		await expect(b.getByText('No endnotes. Insert one')).toBeVisible();
		await expect(edB.text.locator('.qa-block').first()).toContainText(`${FIRST_QUESTION} Nobody slept.`, SLOW);
		await expect(edB.text.locator('.qa-block').first().locator('p').first()).toHaveAttribute('data-label', 'BW:');

		// Both type at once, in different turns; each sees the other's words.
		await edB.text.locator('.qa-block').nth(3).locator('p').first().click();
		await b.keyboard.press('End');
		await Promise.all([b.keyboard.type(' The gauges stopped at midnight.', { delay: 40 }), a.keyboard.type(' Not one warden.', { delay: 40 })]);
		await expect.poll(() => pieceText(edA.text), SLOW).toContain('The gauges stopped at midnight.');
		await expect.poll(() => pieceText(edB.text), SLOW).toContain(`${FIRST_QUESTION} Nobody slept. Not one warden.`);
		await expect.poll(() => pieceText(edA.text), SLOW).toContain(`${FIRST_QUESTION} Nobody slept. Not one warden.`);
	});
});
