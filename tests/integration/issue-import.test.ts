// POST /api/issues/import as a script uses it (a Bearer token, no Origin): the dry run's report, the refusals
// of what is no issue (422, nothing written), the issue written in one go with its sections, pieces,
// contributors and sources (matched by name, never duplicated on a second import), and the round trip: an
// issue imported and exported as Markdown (assembleIssue + issueMarkdown, the one read model of every
// export) reads back to the same pieces, paragraph by paragraph, citation by citation, note by note, turn by
// turn, bio by bio. The round trip opens the server's database itself, so it stops the server: it runs last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { setUpEditor, tokenClient, type TestClient } from '../support/api-client';
import { bulletinIssue, hasReferenceSample, referenceSample, REFERENCE_SAMPLE_SKIP_REASON, secondIssue } from '../support/bulletin-issue';
import { comparablePieces } from '../support/archive-round-trip';
import { openDatabase } from '../../src/lib/server/db/client';
import { DocumentStore } from '../../src/lib/server/collab/persistence';
import { assembleIssue } from '../../src/lib/server/queries/assembly';
import { issueMarkdown } from '../../src/lib/server/export/markdown';
import { parseArchive } from '../../src/lib/server/archive/parse';
import type { Actor } from '../../src/lib/server/auth/sessions';
import { importArchive } from '../../src/lib/server/commands/archive-import';
import { bulletinIssues, contributors, pieces, sections, sources } from '../../src/lib/server/db/schema';
import { signedInToken } from '../support/api-client';

const START_TIMEOUT = 120_000;
const TEXT = { 'content-type': 'text/plain; charset=utf-8' };

describe.each(databaseKinds())('importing an archived issue on %s', (kind) => {
	let database: GalleyTestDatabase;
	let server: RunningGalley | undefined;
	let script: TestClient;
	const imported: { text: string; issueId: string }[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		server = await startGalley(serverEnv(database));
		script = await tokenClient(await setUpEditor(server.url), 'issue import');
	}, START_TIMEOUT);
	afterAll(async () => {
		await server?.stop();
		await database?.drop();
	});

	const issueCount = async () => (await script.get('/api/issues')).json.issues.length;

	it('reports what a dry run found, exactly in the documented shape, and writes nothing', async () => {
		const res = await script.post('/api/issues/import?dryRun=1', bulletinIssue(), TEXT);
		expect(res.status, res.text).toBe(200);
		expect(Object.keys(res.json).sort()).toEqual(['contributors', 'issue', 'pieces', 'sources', 'warnings']);
		expect(res.json.issue).toEqual({ publication: 'Basin Watch', tagline: 'Independent analysis of security and water in the Varesh Basin', volume: 7, number: 12 });
		expect(res.json.pieces.map((p: { kind: string; title: string }) => [p.kind, p.title])).toEqual([
			['brief', "Sabotage on the Varesh Canal Tests Talmar's New Water Pact"],
			['brief', "Did the Drought Push Kessland's Herders Toward the Amber Brigades?"],
			['article', "The Amber Brigades' Campaign Against the River Wardens"],
			['article', 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar'],
			['interview', 'Basin Watch Interview With Dr. Anneli Varga']
		]);
		expect(res.json.pieces[2]).toEqual({ kind: 'article', title: "The Amber Brigades' Campaign Against the River Wardens", authors: ['Lucía Ferraro'], paragraphs: 6, citations: 9, endnotes: 5, qaTurns: 0 });
		expect(res.json.pieces[4]).toMatchObject({ authors: [], qaTurns: 12 });
		expect(res.json.contributors).toEqual([
			{ name: 'Maren Holt', new: true },
			{ name: 'Lucía Ferraro', new: true },
			{ name: 'Kwame Adjei-Mensah', new: true }
		]);
		expect(res.json.sources).toContainEqual({ name: 'Social/@wardenwatch', new: true });
		expect(res.json.warnings).toContain('Joined 4 sentences cut by a page break');
		expect(await issueCount()).toBe(0);
	});

	it('refuses what is no issue with 422 and a message saying what is wrong, and writes nothing', async () => {
		const cases: [string, string | Uint8Array, RegExp][] = [
			['empty', '', /empty/],
			['blank', ' \n\n\t\n', /empty/],
			['binary', '%PDF-1.7\n\u0000\u0001\u0002\u0003\u0004\u0005\u0006', /not text/],
			['not an issue', 'BW: Why was the canal cut?\n\nAV: Nobody has said.', /not an archived issue/],
			['a masthead but no pieces', 'Basin Watch\n\nVOLUME VII, ISSUE 12\n\np.1\n\nMaren Holt\n\nBRIEFS\n', /masthead but no pieces/]
		];
		for (const [name, body, message] of cases) {
			const res = await script.post('/api/issues/import', body as string, TEXT);
			expect(res.status, `${name}: ${res.text}`).toBe(422);
			expect(res.json.error.message, name).toMatch(message);
			expect(res.json.error.field).toBe('text');
		}
		const json = await script.post('/api/issues/import', { text: '' });
		expect(json.status).toBe(422);
		const huge = `Basin Watch\n\nVOLUME VII, ISSUE 12\n\n${'The canal was cut. '.repeat(280_000)}`;
		const tooLarge = await script.post('/api/issues/import', huge, TEXT);
		expect(tooLarge.status).toBe(422);
		expect(tooLarge.json.error.message).toMatch(/too large: the limit is 5 MiB/);
		const wrongType = await script.post('/api/issues/import', '<p>hi</p>', { 'content-type': 'text/html' });
		expect(wrongType.status).toBe(415);
		// a contributor may not import (the policy: the editor only)
		const carl = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1' };
		expect((await script.post('/api/people', { ...carl, role: 'contributor' })).status).toBe(201);
		const refused = await (await signedInToken(server!.url, carl)).post('/api/issues/import?dryRun=1', bulletinIssue(), TEXT);
		expect(refused.status).toBe(403);
		expect(await issueCount()).toBe(0);
	});

	it('imports an issue for a script (Bearer, no Origin): its sections and pieces in contents order, published', async () => {
		const res = await script.post('/api/issues/import', bulletinIssue(), TEXT);
		expect(res.status, res.text).toBe(201);
		expect(res.json.issue).toMatchObject({ publication: 'Basin Watch', volume: 7, number: 12 });
		imported.push({ text: bulletinIssue(), issueId: res.json.issue.id });
		const board = (await script.get(`/api/issues/${res.json.issue.id}`)).json;
		expect(board.sections.map((s: { title: string; pieces: { title: string; kind: string; reviewState: string }[] }) => [s.title, s.pieces.map((p) => [p.kind, p.title, p.reviewState])])).toEqual([
			[
				'BRIEFS',
				[
					['brief', "Sabotage on the Varesh Canal Tests Talmar's New Water Pact", 'published'],
					['brief', "Did the Drought Push Kessland's Herders Toward the Amber Brigades?", 'published']
				]
			],
			[
				'Articles',
				[
					['article', "The Amber Brigades' Campaign Against the River Wardens", 'published'],
					['article', 'Nerovia and Kessland Agree to Share Flood-Gate Data with Talmar', 'published']
				]
			],
			['Interview', [['interview', 'Basin Watch Interview With Dr. Anneli Varga', 'published']]]
		]);
		const article = board.sections[1].pieces[0];
		const authors = (await script.get(`/api/pieces/${article.id}/authors`)).json;
		expect(JSON.stringify(authors)).toContain('Lucía Ferraro is a research fellow at the Kessland Institute of Hydrology.');
		const citations = (await script.get(`/api/citations?pieceId=${article.id}`)).json;
		expect(JSON.stringify(citations)).toContain('The Lowland Herald');
	});

	it('matches contributors and sources by name on a second import (JSON { text }): none is created twice', async () => {
		const dry = await script.post('/api/issues/import?dryRun=1', { text: secondIssue() });
		expect(dry.status, dry.text).toBe(200);
		expect(dry.json.contributors).toEqual([
			{ name: 'Maren Holt', new: false },
			{ name: 'Tomas Reyes', new: true },
			{ name: 'Lucía Ferraro', new: false },
			{ name: 'Ines Okafor', new: true }
		]);
		expect(dry.json.sources).toContainEqual({ name: 'Varesh Daily', new: false });
		expect(dry.json.sources).toContainEqual({ name: 'Social/@saltroadwatch', new: true });
		const res = await script.post('/api/issues/import', { text: secondIssue() });
		expect(res.status, res.text).toBe(201);
		imported.push({ text: secondIssue(), issueId: res.json.issue.id });
		const again = await script.post('/api/issues/import?dryRun=1', bulletinIssue(), TEXT);
		expect(again.json.contributors.every((c: { new: boolean }) => !c.new)).toBe(true);
		expect(again.json.sources.every((s: { new: boolean }) => !s.new)).toBe(true);
		const contributors = (await script.get('/api/contributors')).json.contributors as { name: string }[];
		expect(contributors.filter((c) => c.name === 'Maren Holt')).toHaveLength(1);
		const sources = (await script.get('/api/sources?q=Varesh%20Daily')).json.sources as { name: string }[];
		expect(sources.filter((s) => s.name === 'Varesh Daily')).toHaveLength(1);
	});

	it.skipIf(!hasReferenceSample)(`imports the reference sample (when the reference sample is present; ${REFERENCE_SAMPLE_SKIP_REASON})`, async () => {
		const res = await script.post('/api/issues/import', referenceSample(), TEXT);
		expect(res.status, res.text).toBe(201);
		imported.push({ text: referenceSample(), issueId: res.json.issue.id });
	});

	it('gives back every paragraph, citation, endnote, Q&A turn and bio, piece by piece, when an imported issue is exported as Markdown; an import failing midway writes nothing', async () => {
		expect(imported.length).toBeGreaterThanOrEqual(2);
		const me = (await script.get('/api/me')).json;
		expect(typeof me.user.id).toBe('string');
		const editor: Actor = { id: me.user.id, email: '', name: '', role: 'editor', color: '', via: 'token' };
		await server!.stop(); // the database is opened here (a PGlite folder has one user at a time)
		server = undefined;
		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		try {
			const store = new DocumentStore(handle.db);
			for (const { text, issueId } of imported) {
				const assembled = await assembleIssue(handle.db, async (id) => (await store.load(id)).update, editor, issueId);
				expect(assembled).not.toBeNull();
				const original = parseArchive(text);
				const exported = parseArchive(issueMarkdown(assembled!));
				expect(exported.masthead).toEqual(original.masthead);
				expect(comparablePieces(exported)).toEqual(comparablePieces(original));
			}

			// all or nothing: an import failing at its fourth piece (after the contributors, sources, issue,
			// sections and three pieces were written) leaves nothing behind
			const counts = async () =>
				Promise.all([bulletinIssues, pieces, sections, contributors, sources].map(async (t) => (await handle.db.select().from(t)).length));
			const before = await counts();
			const failing = parseArchive(bulletinIssue().replaceAll('Maren Holt', 'Nadia Quell').replaceAll('Radio Kessland', 'Radio Quell'));
			failing.pieces[3].content = { type: 'doc', content: [{ type: 'no such node' }] };
			await expect(importArchive(handle.db, failing, editor.id)).rejects.toThrow(/no such node/);
			expect(await counts()).toEqual(before);
		} finally {
			await handle.close();
		}
	});
});
