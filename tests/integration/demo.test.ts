// `npm run demo` (GALLEY_DEMO=1) loads Galley's own made-up bulletin issue: Basin Watch, Volume VII, Issue 12,
// the issue of tests/fixtures/bulletin-issue.txt. Every piece prints as that issue prints it, under its author's
// bio; nothing of any other publication is loaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient } from '../support/api-client';
import { bulletinInterview, bulletinIssue } from '../support/bulletin-issue';
import { openDatabase } from '../../src/lib/server/db/client';
import { bulletinIssues } from '../../src/lib/server/db/schema';
import { DEMO_ISSUE, DEMO_PEOPLE } from '../../src/lib/server/commands/demo-content';
import { todayIn } from '../../src/lib/domain/due-dates';
import { addDays, format, parseISO } from 'date-fns';

/** The pieces of the made-up issue, in its order: title, author, the section headings inside it, kind. */
const ISSUE_PIECES = [
	{ kind: 'brief', title: "Sabotage on the Varesh Canal Tests Talmar's New Water Pact", author: 'Maren Holt', headings: [] },
	{ kind: 'brief', title: "Did the Drought Push Kessland's Herders Toward the Amber Brigades?", author: 'Maren Holt', headings: [] },
	{
		kind: 'article',
		title: "The Amber Brigades' Campaign Against the River Wardens",
		author: 'Lucía Ferraro',
		headings: ["The Brigades' Case Against the Wardens", "The Brigades' Quarrel With Kessland", 'Notes']
	},
	{ kind: 'article', title: 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar', author: 'Kwame Adjei-Mensah', headings: ['Conclusion'] },
	{ kind: 'interview', title: 'Basin Watch Interview With Dr. Anneli Varga', author: 'Maren Holt', headings: [] }
] as const;

/**
 * A piece as the made-up issue prints it, in Galley's Markdown print form: the text between its author line
 * and the next piece's title (the bio included), with its section headings as `## ` headings and the
 * issue's `\$` escapes read as `$`.
 */
function printedInIssue(index: number): string {
	const raw = bulletinIssue();
	const { title, author, headings } = ISSUE_PIECES[index];
	const start = raw.indexOf(`\n${title}\n\n${author}\n\n`);
	expect(start, `"${title}" by ${author} is in the issue`).toBeGreaterThan(0);
	const next = ISSUE_PIECES[index + 1];
	const end = next ? raw.indexOf(`\n${next.title}\n\n`, start + 1) : raw.length;
	let text = raw.slice(start + `\n${title}\n\n${author}\n\n`.length, end).trim();
	for (const h of headings) text = text.replace(`\n\n${h}\n\n`, `\n\n## ${h}\n\n`);
	return text.replace(/\\\$/g, '$');
}

describe.each(databaseKinds())('npm run demo on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient;
	let pieces: { id: string; kind: string; title: string; createdByName: string }[];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley({ ...serverEnv(database), GALLEY_DEMO: '1' });
		editor = new TestClient(galley.url);
		const login = await editor.post('/api/auth/login', { email: DEMO_PEOPLE[0].email, password: DEMO_PEOPLE[0].password });
		expect(login.status, login.text).toBe(200);
		const res = await editor.get('/api/pieces');
		expect(res.status).toBe(200);
		pieces = res.json.pieces;
	});

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('loads the pieces of the made-up Basin Watch issue, by their authors, and no others', () => {
		const byTitle = new Map(pieces.map((p) => [p.title, p]));
		expect(pieces).toHaveLength(ISSUE_PIECES.length);
		for (const piece of ISSUE_PIECES) {
			expect(byTitle.get(piece.title), piece.title).toMatchObject({ kind: piece.kind, createdByName: piece.author });
		}
	});

	it('prints every brief and article exactly as the issue does: citations, headings, page-break debris, bio, then the Notes', async () => {
		for (const [index, piece] of ISSUE_PIECES.entries()) {
			if (piece.kind === 'interview') continue;
			const id = pieces.find((p) => p.title === piece.title)!.id;
			const md = await editor.get(`/api/pieces/${id}/content?format=markdown`);
			expect(md.status).toBe(200);
			expect(md.text.trim(), piece.title).toBe(printedInIssue(index));
		}
	});

	it('prints the interview exactly as the issue does: the lead-in, then twelve BW/AV turns, with no bio', async () => {
		const id = pieces.find((p) => p.kind === 'interview')!.id;
		const md = await editor.get(`/api/pieces/${id}/content?format=markdown`);
		expect(md.text.trim()).toBe(bulletinInterview().trim());
		const turns = (await editor.get(`/api/qa-blocks?pieceId=${id}`)).json.qaBlocks as { speaker: string; speakerName: string }[];
		expect(turns.map((t) => t.speaker)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'BW' : 'AV')));
		expect(turns.slice(0, 2).map((t) => t.speakerName)).toEqual(['Basin Watch', 'Anneli Varga']);
	});

	it('gives the contributors the affiliations and bios the issue prints', async () => {
		const contributors = (await editor.get('/api/contributors')).json.contributors as { name: string; affiliation: string; bio: string }[];
		expect(contributors.map((c) => c.name).sort()).toEqual(['Kwame Adjei-Mensah', 'Lucía Ferraro', 'Maren Holt']);
		for (const c of contributors) {
			expect(c.bio.startsWith(`${c.name} is `), c.name).toBe(true);
			expect(bulletinIssue().split('\n'), `${c.name}'s bio is printed in the issue`).toContain(c.bio);
			expect(c.bio).toContain(c.affiliation.replace(/^Editor of /, ''));
		}
	});

	it('makes the issue a real one: its sections in order with its pieces placed, and work assigned with one piece late and one due tomorrow', async () => {
		const list = await editor.get('/api/issues');
		expect(list.status).toBe(200);
		expect(list.json.issues).toHaveLength(1);
		const issue = list.json.issues[0];
		expect(issue).toMatchObject({ publication: 'Basin Watch', tagline: DEMO_ISSUE.tagline, volume: 7, number: 12 });
		expect(list.json.next).toEqual({ publication: 'Basin Watch', tagline: DEMO_ISSUE.tagline, volume: 7, number: 13 });
		const board = (await editor.get(`/api/issues/${issue.id}`)).json;
		const titles = ISSUE_PIECES.map((p) => p.title);
		expect(board.sections.map((s: { title: string; pieces: { title: string }[] }) => [s.title, s.pieces.map((p) => p.title)])).toEqual([
			['Briefs', titles.slice(0, 2)],
			['Articles', titles.slice(2, 4)],
			['Interview', titles.slice(4)]
		]);
		expect(board.unplaced).toEqual([]);
		const today = todayIn('UTC'); // the server's GALLEY_TIMEZONE is the default
		const [wardens, floodGates] = board.sections[1].pieces;
		expect(wardens).toMatchObject({ late: true, wordTarget: 1200, authors: ['Lucía Ferraro'], reviewState: 'draft' });
		expect(wardens.dueOn < today).toBe(true);
		expect(wardens.assignments).toEqual([expect.objectContaining({ name: 'Lucía Ferraro', role: 'author', sectionId: null, detached: false, wordTarget: 1200 })]);
		expect(floodGates).toMatchObject({ late: false, wordTarget: 900 });
		expect(floodGates.dueOn).toBe(format(addDays(parseISO(today), 1), 'yyyy-MM-dd')); // due tomorrow
		expect(floodGates.assignments.map((a: { name: string; role: string }) => [a.name, a.role])).toEqual([
			['Kwame Adjei-Mensah', 'author'],
			['Lucía Ferraro', 'reviewer']
		]);
		// a demo contributor's board holds only the pieces they created or are assigned to
		const lucia = new TestClient(galley.url);
		expect((await lucia.post('/api/auth/login', { email: DEMO_PEOPLE[1].email, password: DEMO_PEOPLE[1].password })).status).toBe(200);
		const hers = (await lucia.get(`/api/issues/${issue.id}`)).json;
		expect(hers.sections.map((s: { pieces: { title: string }[] }) => s.pieces.map((p) => p.title))).toEqual([[], titles.slice(2, 4), []]);
	});

	it('files the pieces under the issue Basin Watch, Volume VII, Issue 12', async () => {
		const issueIds = new Set(((await editor.get('/api/citations')).json.citations as { issueId: string | null }[]).map((c) => c.issueId));
		expect(issueIds.size).toBe(1);
		expect(await galley.stop()).toBe(0);
		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		try {
			const issues = await handle.db.select().from(bulletinIssues);
			expect(issues.map((i) => [i.id, i.publication, i.volume, i.number])).toEqual([[[...issueIds][0], 'Basin Watch', 7, 12]]);
		} finally {
			await handle.close();
		}
	});
});
