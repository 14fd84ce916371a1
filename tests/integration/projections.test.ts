// The relational projections (qa_blocks, citations, endnotes) against a real Galley process: two stock
// y-websocket clients edit one interview concurrently; once they converge and their edits are durable, the
// rows served by GET /api/qa-blocks and GET /api/citations, and the rows in the database, must say what the
// converged document says.
//
// The expected rows are never computed with the projection code under test. They come from two independent
// places that must agree: the test's own knowledge of its edits (written out by hand below) and a walk of
// the converged Yjs XML itself (`rowsFromYjs`, which reads Y.XmlElement attributes and Y.XmlText deltas,
// not the ProseMirror JSON the server projects from).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { eq, asc } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { editorSchema } from '../../src/lib/editor/extensions';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';
import { bulletinIssues, citations, endnotes, pieces, qaBlocks } from '../../src/lib/server/db/schema';
import { DocumentStore } from '../../src/lib/server/collab/persistence';
import { writeProjections } from '../../src/lib/server/content/projections';
import { holdsFor } from '../support/holds';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;
/** Projections are rebuilt about a second after a store; allow for a busy machine. */
const PROJECTION_TIMEOUT = 20_000;

const CONTRIBUTOR = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };

interface QaExpect {
	position: number;
	blockId: string | null;
	role: 'question' | 'answer';
	speaker: string;
	speakerName: string | null;
	text: string;
	timestamp: string | null;
}
interface CitationExpect {
	position: number;
	source: string;
	url: string | null;
	date: string | null;
}
interface EndnoteExpect {
	number: number;
	noteId: string | null;
	text: string;
}
interface Rows {
	qa: QaExpect[];
	citations: CitationExpect[];
	endnotes: EndnoteExpect[];
}

/**
 * The rows a document should project to, read straight from its Yjs XML: the participants element's
 * `participant` children's attributes, each qaBlock element's attributes and its paragraphs' Y.XmlText deltas (the citation
 * mark is a formatting attribute there; consecutive delta runs carrying equal citation attributes are one
 * citation, a run split by an endnote is two), endnote elements' ids and texts in document order.
 */
function rowsFromYjs(doc: Y.Doc): Rows {
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	const participantsElement = body.toArray().find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'participants');
	// One `participant` element per person, its attributes the participant (editor schema 3).
	const participants = (participantsElement?.toArray() ?? [])
		.filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'participant')
		.map((n) => n.getAttributes() as unknown as { id: string; name: string; label: string });
	const rows: Rows = { qa: [], citations: [], endnotes: [] };
	const plainText = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): string => {
		if (node instanceof Y.XmlText) return (node.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
		if (node instanceof Y.XmlElement && node.nodeName !== 'endnote') return node.toArray().map(plainText).join('');
		return '';
	};
	const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook) => {
		if (node instanceof Y.XmlText) {
			let previous: string | null = null;
			for (const op of node.toDelta() as { insert: unknown; attributes?: Record<string, Record<string, unknown>> }[]) {
				// y-tiptap names the attribute `citation--<hash of the mark>`: the mark does not exclude itself
				const citeKey = Object.keys(op.attributes ?? {}).find((k) => k === 'citation' || k.startsWith('citation--'));
				const cite = citeKey ? op.attributes![citeKey] : undefined;
				const key = cite ? JSON.stringify(Object.entries(cite).sort()) : null;
				if (cite && key !== previous) {
					rows.citations.push({
						position: rows.citations.length,
						source: String(cite.source || op.insert),
						url: typeof cite.url === 'string' && /^https?:\/\//.test(cite.url) ? cite.url : null,
						date: (cite.date as string) || null
					});
				}
				previous = key;
			}
			return;
		}
		if (!(node instanceof Y.XmlElement)) return;
		if (node.nodeName === 'qaBlock') {
			const attrs = node.getAttributes() as Record<string, string | undefined>;
			const speaker = participants.find((p) => p.id === attrs.speaker);
			rows.qa.push({
				position: rows.qa.length,
				blockId: attrs.id ?? null,
				role: attrs.kind === 'answer' ? 'answer' : 'question',
				speaker: speaker ? speaker.label || speaker.name : '?',
				speakerName: speaker?.name ?? null,
				text: node.toArray().map(plainText).join('\n\n'),
				timestamp: attrs.timestamp ?? null
			});
		}
		if (node.nodeName === 'endnote') {
			// editor schema 4: the note's text is the endnote element's own XmlText
			const attrs = node.getAttributes() as Record<string, string | undefined>;
			const noteText = node.toArray().map((c) => (c instanceof Y.XmlText ? plainText(c) : '')).join('');
			rows.endnotes.push({ number: rows.endnotes.length + 1, noteId: attrs.id ?? null, text: noteText });
			return;
		}
		node.toArray().forEach(visit);
	};
	body.toArray().forEach(visit);
	return rows;
}

// Editing as the editor does: read the document as ProseMirror JSON, change it, and let y-tiptap's
// updateYFragment (what the editor's sync plugin runs on every transaction) write the difference to Yjs.
function edit(client: CollabClient, change: (blocks: JSONContent[]) => void): void {
	const fragment = client.doc.getXmlFragment(BODY_FRAGMENT);
	const json = yXmlFragmentToProsemirrorJSON(fragment) as JSONContent;
	change(json.content!);
	prosemirrorJSONToYXmlFragment(editorSchema, json, fragment);
}
const text = (t: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const cite = (source: string, url: string, date: string, shown = source): JSONContent =>
	text(shown, [{ type: 'citation', attrs: { sourceId: null, source, url, date, qualifier: null } }]);
const note = (id: string, body: string): JSONContent => ({ type: 'endnote', attrs: { id }, content: [text(body)] });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const qa = (id: string, kind: 'question' | 'answer', speaker: string, ...paragraphs: JSONContent[]): JSONContent => ({
	type: 'qaBlock',
	attrs: { id, kind, speaker },
	content: paragraphs
});
const indexOfBlock = (blocks: JSONContent[], id: string | null, kind?: string) => {
	const i = blocks.findIndex((b) => b.type === 'qaBlock' && (b.attrs?.id ?? null) === id && (!kind || b.attrs?.kind === kind));
	if (i < 0) throw new Error(`no block ${id}`);
	return i;
};
const renameParticipant = (blocks: JSONContent[], id: string, to: { name: string; label: string }) => {
	const node = blocks.find((b) => b.type === 'participants')!;
	const participant = node.content!.find((p) => p.type === 'participant' && p.attrs?.id === id)!;
	participant.attrs = { ...participant.attrs, ...to };
};

const INTERVIEWER = 'p-interviewer'; // the template's participants (BW asks, G answers)
const GUEST = 'p-guest';
const VARESH_1 = { source: 'Varesh Daily', url: 'https://vareshdaily.example/news/4471', date: 'March 12' };
const VARESH_2 = { source: 'Varesh Daily', url: 'https://vareshdaily.example/news/4502', date: 'March 14' };
const BASIN_WIRE = { source: 'Basin Wire', url: 'https://basinwire.example/2024/0312', date: 'March 12' };

/** A piece's projection rows through the API, as a Bearer-token script (no cookie, no Origin) sees them. */
async function rowsFromApi(api: TestClient, pieceId: string): Promise<Omit<Rows, 'endnotes'>> {
	const [q, c] = await Promise.all([api.get(`/api/qa-blocks?pieceId=${pieceId}`), api.get(`/api/citations?pieceId=${pieceId}`)]);
	expect(q.status).toBe(200);
	expect(c.status).toBe(200);
	for (const row of [...q.json.qaBlocks, ...c.json.citations]) expect(row.pieceId).toBe(pieceId);
	return {
		qa: q.json.qaBlocks.map((r: QaExpect) => ({ position: r.position, blockId: r.blockId, role: r.role, speaker: r.speaker, speakerName: r.speakerName, text: r.text, timestamp: r.timestamp })),
		citations: c.json.citations.map((r: CitationExpect) => ({ position: r.position, source: r.source, url: r.url, date: r.date }))
	};
}

/** A piece's projection rows read from the database tables directly. */
/** Read the tables directly (Postgres can be read while the server runs) and compare with `expected`. */
async function expectRowsInDatabase(databaseUrl: string, pieceId: string, expected: Rows) {
	const handle = await openDatabase({ databaseUrl, dataDir: '' });
	try {
		expect(await rowsFromDatabase(handle, pieceId)).toEqual(expected);
	} finally {
		await handle.close();
	}
}

async function rowsFromDatabase(handle: DatabaseHandle, pieceId: string): Promise<Rows> {
	const { db } = handle;
	const [qa, cites, notes] = await Promise.all([
		db.select().from(qaBlocks).where(eq(qaBlocks.pieceId, pieceId)).orderBy(asc(qaBlocks.position)),
		db.select().from(citations).where(eq(citations.pieceId, pieceId)).orderBy(asc(citations.position)),
		db.select().from(endnotes).where(eq(endnotes.pieceId, pieceId)).orderBy(asc(endnotes.number))
	]);
	return {
		qa: qa.map((r) => ({ position: r.position, blockId: r.blockId, role: r.kind, speaker: r.speaker, speakerName: r.speakerName, text: r.text, timestamp: r.timestamp })),
		citations: cites.map((r) => ({ position: r.position, source: r.sourceName, url: r.url, date: r.dateText })),
		endnotes: notes.map((r) => ({ number: r.number, noteId: r.noteId, text: r.text }))
	};
}

/** Both clients hold the same document, and every edit each made is acknowledged as durable. */
async function convergedAndDurable(a: CollabClient, b: CollabClient): Promise<void> {
	await vi.waitFor(
		() => {
			expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
			expect(yXmlFragmentToProsemirrorJSON(a.doc.getXmlFragment(BODY_FRAGMENT))).toEqual(yXmlFragmentToProsemirrorJSON(b.doc.getXmlFragment(BODY_FRAGMENT)));
			expect(a.ownEditsAcked()).toBe(true);
			expect(b.ownEditsAcked()).toBe(true);
		},
		{ timeout: 15_000 }
	);
}

describe.each(databaseKinds())('projections on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let script: TestClient; // the editor's API token: Bearer, no cookie, no Origin (like curl)
	let editorToken: string;
	let carl: TestClient; // a contributor's API token
	let pieceId: string; // the editor's interview, edited by the two clients
	let carlsPieceId: string; // the contributor's own interview (template only)
	let a: CollabClient;
	let b: CollabClient;
	/** What the document holds after the previous test: the next one starts from it. */
	let expected: Rows;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		script = await tokenClient(editor, 'projection tests');
		editorToken = script.token!;
		expect((await editor.post('/api/people', CONTRIBUTOR)).status).toBe(201);
		const carlSignedIn = new TestClient(galley.url);
		expect((await carlSignedIn.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		carl = await tokenClient(carlSignedIn, 'projection tests');
		pieceId = (await script.post('/api/pieces', { kind: 'interview', title: 'Interview with Dr. Anneli Varga' })).json.piece.id;
		carlsPieceId = (await carl.post('/api/pieces', { kind: 'interview', title: 'Carl’s interview' })).json.piece.id;
		expect(pieceId).toBeTruthy();
		expect(carlsPieceId).toBeTruthy();
	}, START_TIMEOUT);

	afterAll(async () => {
		a?.destroy();
		b?.destroy();
		await galley?.stop();
		await database?.drop();
	});

	it('match the converged document after concurrent edits from two y-websocket clients', async () => {
		a = connectCollab(galley.wsUrl, pieceId, { token: editorToken }, { presence: false });
		b = connectCollab(galley.wsUrl, pieceId, { headers: { authorization: `Bearer ${editorToken}` } }, { presence: false });
		await Promise.all([a.synced, b.synced]);
		// The template: participants, lead-in, an empty question (BW) and an empty answer (G), without ids.
		expect(rowsFromYjs(a.doc).qa.map((r) => [r.blockId, r.role, r.speaker, r.text])).toEqual([
			[null, 'question', 'BW', ''],
			[null, 'answer', 'G', '']
		]);

		// Round 1: seven edits in one synchronous run, alternating clients. Neither client has received
		// anything from the other when it makes its edits (websocket messages are handled between runs).
		edit(a, (blocks) => {
			// A appends a question and an answer citing Varesh Daily, after the template's blocks
			blocks.push(
				qa('a-q1', 'question', INTERVIEWER, paragraph(text('What drives the Brigades’ resurgence?'))),
				qa('a-a1', 'answer', GUEST, paragraph(text('The drought emboldened it, as '), cite(VARESH_1.source, VARESH_1.url, VARESH_1.date), text(' reported.')))
			);
		});
		edit(b, (blocks) => {
			// B inserts an earlier question and answer, with an endnote, before the template's blocks
			const at = indexOfBlock(blocks, null, 'question');
			blocks.splice(
				at,
				0,
				qa('b-q0', 'question', INTERVIEWER, paragraph(text('How did you first study the region?'))),
				qa('b-a0', 'answer', GUEST, paragraph(text('Through fieldwork in the Kessel Hills.'), note('n-b1', 'Fieldwork notes, 2006–2008.')))
			);
		});
		edit(a, (blocks) => {
			// A gives its answer a second paragraph, ending in an endnote
			blocks[indexOfBlock(blocks, 'a-a1')].content!.push(paragraph(text('It now fights on two fronts.'), note('n-a1', 'See the basin commission’s report.')));
		});
		edit(b, (blocks) => {
			// B writes the template's question ...
			blocks[indexOfBlock(blocks, null, 'question')].content = [paragraph(text('Where does the movement stand today?'))];
		});
		edit(b, (blocks) => {
			// ... and deletes the template's empty answer
			blocks.splice(indexOfBlock(blocks, null, 'answer'), 1);
		});
		edit(a, (blocks) => {
			// A adds a question citing two sources, the second name partly bold (two text runs, one citation)
			blocks.push(
				qa(
					'a-q2',
					'question',
					INTERVIEWER,
					paragraph(
						text('Yet '),
						cite(VARESH_2.source, VARESH_2.url, VARESH_2.date),
						text(' and '),
						cite(BASIN_WIRE.source, BASIN_WIRE.url, BASIN_WIRE.date, 'Basin'),
						{ ...cite(BASIN_WIRE.source, BASIN_WIRE.url, BASIN_WIRE.date, ' Wire'), marks: [{ type: 'bold' }, ...cite(BASIN_WIRE.source, BASIN_WIRE.url, BASIN_WIRE.date).marks!] },
						text(' disagree on its strength?')
					)
				)
			);
		});
		edit(b, (blocks) => renameParticipant(blocks, GUEST, { name: 'Anneli Varga', label: 'AV' }));
		await convergedAndDurable(a, b);

		// Round 2: each edits a block the other created, again without seeing the other's edit first.
		edit(a, (blocks) => {
			blocks[indexOfBlock(blocks, 'b-a0')].content![0].content![0] = text('Through fieldwork in the Kessel Hills and the Lower Marl.');
		});
		edit(b, (blocks) => {
			blocks[indexOfBlock(blocks, 'a-q1')].content = [paragraph(text('What drives the Brigades’ resurgence in 2025?'))];
		});
		await convergedAndDurable(a, b);

		// What the test's own edits make, written out by hand. The rename reached A's concurrent answers too.
		const BW = { speaker: 'BW', speakerName: 'Basin Watch', timestamp: null };
		const AV = { speaker: 'AV', speakerName: 'Anneli Varga', timestamp: null };
		expected = {
			qa: [
				{ position: 0, blockId: 'b-q0', role: 'question', ...BW, text: 'How did you first study the region?' },
				{ position: 1, blockId: 'b-a0', role: 'answer', ...AV, text: 'Through fieldwork in the Kessel Hills and the Lower Marl.' },
				{ position: 2, blockId: null, role: 'question', ...BW, text: 'Where does the movement stand today?' },
				{ position: 3, blockId: 'a-q1', role: 'question', ...BW, text: 'What drives the Brigades’ resurgence in 2025?' },
				{ position: 4, blockId: 'a-a1', role: 'answer', ...AV, text: 'The drought emboldened it, as Varesh Daily reported.\n\nIt now fights on two fronts.' },
				{ position: 5, blockId: 'a-q2', role: 'question', ...BW, text: 'Yet Varesh Daily and Basin Wire disagree on its strength?' }
			],
			citations: [
				{ position: 0, ...VARESH_1 },
				{ position: 1, ...VARESH_2 },
				{ position: 2, ...BASIN_WIRE }
			],
			// numbered by their place in the text: B's earlier note is 1, so A's (1 when A wrote it) is 2
			endnotes: [
				{ number: 1, noteId: 'n-b1', text: 'Fieldwork notes, 2006–2008.' },
				{ number: 2, noteId: 'n-a1', text: 'See the basin commission’s report.' }
			]
		};
		// The converged Yjs XML says the same (on both clients).
		expect(rowsFromYjs(a.doc)).toEqual(expected);
		expect(rowsFromYjs(b.doc)).toEqual(expected);

		// The API serves exactly those rows once the projection is rebuilt ...
		const { endnotes: _, ...servable } = expected;
		await vi.waitFor(async () => expect(await rowsFromApi(script, pieceId)).toEqual(servable), { timeout: PROJECTION_TIMEOUT, interval: 200 });
		// ... and they stay so (no later rebuild from an older state overwrites them)
		await holdsFor(1_500, async () => expect(await rowsFromApi(script, pieceId)).toEqual(servable), { interval: 200 });

		// The issue's queries: all answers by AV (by label or name, any case), every citation of Varesh Daily.
		const answersByAg = expected.qa.filter((r) => r.role === 'answer');
		for (const speaker of ['AV', 'av', 'Anneli Varga', 'anneli VARGA']) {
			const res = await script.get(`/api/qa-blocks?speaker=${encodeURIComponent(speaker)}&role=answer`);
			expect(res.status).toBe(200);
			expect(res.json.qaBlocks.map((r: QaExpect) => r.blockId)).toEqual(answersByAg.map((r) => r.blockId));
		}
		expect((await script.get('/api/qa-blocks?speaker=AV&role=question')).json.qaBlocks).toEqual([]);
		expect((await script.get(`/api/qa-blocks?pieceId=${pieceId}&speaker=G`)).json.qaBlocks).toEqual([]); // the old label is gone
		expect((await script.get(`/api/qa-blocks?pieceId=${pieceId}&speaker=Guest`)).json.qaBlocks).toEqual([]); // and the old name
		const questions = (await script.get(`/api/qa-blocks?pieceId=${pieceId}&role=question`)).json.qaBlocks;
		expect(questions.map((r: QaExpect) => r.position)).toEqual([0, 2, 3, 5]);
		expect(questions.every((r: QaExpect & { pieceTitle: string }) => r.speaker === 'BW' && r.pieceTitle === 'Interview with Dr. Anneli Varga')).toBe(true);
		const varesh = (await script.get('/api/citations?source=varesh%20daily')).json.citations;
		expect(varesh.map((r: CitationExpect) => [r.source, r.url, r.date])).toEqual([VARESH_1, VARESH_2].map((c) => [c.source, c.url, c.date]));
		expect((await script.get('/api/citations?source=Basin%20Wire')).json.citations.map((r: CitationExpect) => r.url)).toEqual([BASIN_WIRE.url]);
		expect((await script.get('/api/citations?source=Daw')).json.citations).toEqual([]); // exact, not a prefix

		// Directly in the database (Postgres can be read while the server runs; PGlite is read by the last test).
		if (kind === 'postgres') {
			await expectRowsInDatabase(database.env.DATABASE_URL, pieceId, expected);
		}
	});

	it('drop the rows of deleted turns, citations and endnotes, and relabel every turn of a renamed participant', async () => {
		// Concurrently: A deletes B's answer (and its endnote); B deletes A's last question (two citations)
		// and renames the interviewer, whose turns include A's.
		edit(a, (blocks) => void blocks.splice(indexOfBlock(blocks, 'b-a0'), 1));
		edit(b, (blocks) => void blocks.splice(indexOfBlock(blocks, 'a-q2'), 1));
		edit(b, (blocks) => renameParticipant(blocks, INTERVIEWER, { name: 'Maren Holt', label: 'MH' }));
		await convergedAndDurable(a, b);

		const MH = { speaker: 'MH', speakerName: 'Maren Holt' };
		expected = {
			qa: [
				{ ...expected.qa[0], position: 0, ...MH },
				{ ...expected.qa[2], position: 1, ...MH },
				{ ...expected.qa[3], position: 2, ...MH },
				{ ...expected.qa[4], position: 3 }
			],
			citations: [{ position: 0, ...VARESH_1 }],
			endnotes: [{ number: 1, noteId: 'n-a1', text: 'See the basin commission’s report.' }] // renumbered
		};
		expect(rowsFromYjs(a.doc)).toEqual(expected);
		expect(rowsFromYjs(b.doc)).toEqual(expected);

		const { endnotes: _, ...servable } = expected;
		await vi.waitFor(async () => expect(await rowsFromApi(script, pieceId)).toEqual(servable), { timeout: PROJECTION_TIMEOUT, interval: 200 });
		expect((await script.get('/api/citations?source=Basin%20Wire')).json.citations).toEqual([]);
		expect((await script.get(`/api/qa-blocks?pieceId=${pieceId}&speaker=BW`)).json.qaBlocks).toEqual([]);
		const byJz = (await script.get(`/api/qa-blocks?pieceId=${pieceId}&speaker=maren%20holt`)).json.qaBlocks;
		expect(byJz.map((r: QaExpect) => r.blockId)).toEqual(['b-q0', null, 'a-q1']);

		if (kind === 'postgres') {
			await expectRowsInDatabase(database.env.DATABASE_URL, pieceId, expected);
		}
	});

	it('serve only the pieces the caller may read, to a Bearer token without Origin, and validate their filters', async () => {
		// A raw request exactly as curl sends it: a Bearer token, no cookie, no Origin.
		const raw = await fetch(`${galley.url}/api/qa-blocks`, { headers: { authorization: `Bearer ${editorToken}` } });
		expect(raw.status).toBe(200);
		const everything = (await raw.json()).qaBlocks as (QaExpect & { pieceId: string })[];
		// the editor sees every piece: theirs and Carl's (the template's two empty turns)
		expect(new Set(everything.map((r) => r.pieceId))).toEqual(new Set([pieceId, carlsPieceId]));
		expect(everything.filter((r) => r.pieceId === carlsPieceId).map((r) => [r.role, r.speaker, r.text])).toEqual([
			['question', 'BW', ''],
			['answer', 'G', '']
		]);

		// Carl, a contributor not assigned to the editor's piece, sees only his own piece's rows
		const carlsRows = (await carl.get('/api/qa-blocks')).json.qaBlocks as { pieceId: string }[];
		expect(carlsRows.length).toBe(2);
		expect(carlsRows.every((r) => r.pieceId === carlsPieceId)).toBe(true);
		expect((await carl.get('/api/citations')).json.citations).toEqual([]);
		expect((await carl.get('/api/citations?source=Varesh%20Daily')).json.citations).toEqual([]);
		expect((await carl.get('/api/qa-blocks?speaker=AV')).json.qaBlocks).toEqual([]);
		// naming a piece he may not see answers 404, as for the piece itself
		expect((await carl.get(`/api/qa-blocks?pieceId=${pieceId}`)).status).toBe(404);
		expect((await carl.get(`/api/citations?pieceId=${pieceId}`)).status).toBe(404);
		expect((await script.get('/api/citations?pieceId=no-such-piece')).status).toBe(404);

		// no credentials: 401; bad filters: 400 naming the field
		expect((await fetch(`${galley.url}/api/citations`)).status).toBe(401);
		expect((await fetch(`${galley.url}/api/qa-blocks`)).status).toBe(401);
		const badRole = await script.get('/api/qa-blocks?role=comment');
		expect(badRole.status).toBe(400);
		expect(badRole.json.error.field).toBe('role');
		const emptySource = await script.get('/api/citations?source=%20');
		expect(emptySource.status).toBe(400);
		expect(emptySource.json.error.field).toBe('source');
	});

	it('are in the database as the stored document says once it unloads; an issue filters them after a restart', async () => {
		a.destroy();
		b.destroy();
		// the last connection closed: the document unloads, storing everything and rebuilding what is pending
		expect(await galley.stop()).toBe(0);

		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		const issueId = 'issue-vii-12';
		try {
			// The stored Yjs state (what a reload would serve) walks to the same rows the clients' copies did,
			// and the tables hold exactly those rows.
			const stored = await new DocumentStore(handle.db).load(pieceId);
			const doc = new Y.Doc();
			Y.applyUpdate(doc, stored.update!);
			expect(rowsFromYjs(doc)).toEqual(expected);
			expect(await rowsFromDatabase(handle, pieceId)).toEqual(expected);

			// Rebuilds of one piece racing each other (two processes, or an unload beside the debounce)
			// leave one set of rows, never two.
			const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(BODY_FRAGMENT)) as JSONContent;
			for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 4 }, () => writeProjections(handle.db, pieceId, json)));
			expect(await rowsFromDatabase(handle, pieceId)).toEqual(expected);
			doc.destroy();

			// Put the editor's piece in an issue (there is no API for issues yet).
			await handle.db.insert(bulletinIssues).values({ id: issueId, publication: 'Basin Watch', volume: 7, number: 12 });
			await handle.db.update(pieces).set({ issueId }).where(eq(pieces.id, pieceId));
		} finally {
			await handle.close();
		}

		galley = await startGalley(serverEnv(database));
		script = new TestClient(galley.url);
		script.token = editorToken;
		const { endnotes: _, ...servable } = expected;
		// the rows outlive the process
		expect(await rowsFromApi(script, pieceId)).toEqual(servable);
		const inIssue = (await script.get(`/api/qa-blocks?issueId=${issueId}`)).json.qaBlocks as (QaExpect & { pieceId: string; issueId: string })[];
		expect(inIssue.map((r) => [r.pieceId, r.issueId, r.position])).toEqual(expected.qa.map((r) => [pieceId, issueId, r.position]));
		const vareshInIssue = (await script.get(`/api/citations?issueId=${issueId}&source=Varesh%20Daily`)).json.citations;
		expect(vareshInIssue.map((r: CitationExpect) => r.url)).toEqual([VARESH_1.url]);
		expect((await script.get('/api/citations?issueId=another-issue')).json.citations).toEqual([]);
		const carlAgain = new TestClient(galley.url);
		carlAgain.token = carl.token;
		expect((await carlAgain.get(`/api/qa-blocks?issueId=${issueId}`)).json.qaBlocks).toEqual([]); // still not his to read
		expect((await carlAgain.get(`/api/qa-blocks?issueId=${issueId}&pieceId=${carlsPieceId}`)).json.qaBlocks).toEqual([]); // his piece is in no issue
	}, START_TIMEOUT);
});
