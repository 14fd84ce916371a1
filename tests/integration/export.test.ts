// Exporting an issue or a piece (GET /api/issues/{id}/export, GET /api/pieces/{id}/export) as a script does
// it: Bearer token, no Origin. Markdown, print HTML and PDF; the PDF's contents page numbers checked against
// the pages where the titles are; DRAFT on every page of a piece not approved; 503 without Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, signedInToken, tokenClient } from '../support/api-client';
import { buildExportIssue, type ExportPiece } from '../support/export-issue';
import { contentsNumbers, pdfPageTexts, squeezed } from '../support/pdf-text';

const START_TIMEOUT = 120_000;
const PDF_TIMEOUT = 120_000;
const CONTRIBUTOR = { email: 'lucia@example.org', name: 'Lucía Ferraro', password: 'contributor secret 1', role: 'contributor' };

/** GET as `client` (its token, no Origin), the body as bytes. */
async function download(client: TestClient, path: string) {
	const res = await fetch(client.base + path, { headers: client.token ? { authorization: `Bearer ${client.token}` } : {} });
	return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.each(oneDatabaseKind())('exporting issues and pieces on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let script: TestClient;
	let lucia: TestClient;
	let issueId: string;
	let pieces: ExportPiece[];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		script = await tokenClient(editor, 'export');
		expect((await editor.post('/api/people', CONTRIBUTOR)).status).toBe(201);
		lucia = await signedInToken(galley.url, CONTRIBUTOR, 'export');
		({ issueId, pieces } = await buildExportIssue(script));
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('exports the issue as Markdown: masthead, then every piece in contents order, as a download named after the issue', async () => {
		const res = await download(script, `/api/issues/${issueId}/export?format=markdown`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="basin-watch-vol-7-issue-12.md"');
		expect(res.headers.get('content-security-policy')).toBe('sandbox');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		const md = text(res.bytes);
		expect(md.startsWith('Basin Watch\n')).toBe(true);
		expect(md).toContain('VOLUME VII, ISSUE 12');
		const at = pieces.map((p) => md.indexOf(p.title));
		expect(at.every((i) => i > 0)).toBe(true);
		expect([...at].sort((a, b) => a - b)).toEqual(at);
	});

	it('exports the issue as one self-contained print page with no script, sandboxed', async () => {
		const res = await download(script, `/api/issues/${issueId}/export?format=html`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="basin-watch-vol-7-issue-12.html"');
		expect(res.headers.get('content-security-policy')).toBe('sandbox');
		const html = text(res.bytes);
		expect(html).toContain('<nav class="contents"');
		expect(html).not.toMatch(/<script|<link /i);
		for (const p of pieces) expect(html).toContain(p.final ? `${p.title}</span>` : `${p.title}<span class="toc-draft">DRAFT</span>`);
	});

	it('exports a piece alone in each format, named after its title', async () => {
		const piece = pieces[0];
		const md = await download(script, `/api/pieces/${piece.id}/export?format=markdown`);
		expect(md.status).toBe(200);
		expect(md.headers.get('content-disposition')).toBe('attachment; filename="Sabotage-on-the-Varesh-Canal-Tests-Talmar-s-New-Water-Pact.md"');
		expect(text(md.bytes)).toContain(piece.title);
		const html = await download(script, `/api/pieces/${piece.id}/export?format=html`);
		expect(html.headers.get('content-disposition')).toMatch(/\.html"$/);
		expect(text(html.bytes)).not.toContain('class="contents"');
		const pdf = await download(script, `/api/pieces/${piece.id}/export?format=pdf`);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expect(pdf.headers.get('content-disposition')).toMatch(/\.pdf"$/);
		expect(squeezed((await pdfPageTexts(pdf.bytes))[0])).toContain(squeezed(piece.title));
	}, PDF_TIMEOUT);

	it('answers 400 naming `format` for a missing or unknown format, 404 for no such issue or piece, 401 without a token', async () => {
		for (const path of [`/api/issues/${issueId}/export`, `/api/issues/${issueId}/export?format=docx`, `/api/pieces/${pieces[0].id}/export?format=PDF`]) {
			const res = await script.get(path);
			expect(res.status, path).toBe(400);
			expect(res.json).toEqual({ error: { message: 'format: must be one of markdown, html, pdf', field: 'format' } });
		}
		expect((await script.get('/api/issues/no-such-issue/export?format=markdown')).status).toBe(404);
		expect((await script.get('/api/pieces/no-such-piece/export?format=pdf')).json).toEqual({ error: { message: 'No such piece' } });
		expect((await new TestClient(galley.url).get(`/api/issues/${issueId}/export?format=markdown`)).status).toBe(401);
	});

	it('exports only what the caller may see: a contributor gets 404 for a piece not theirs and an issue without it', async () => {
		expect((await lucia.get(`/api/pieces/${pieces[0].id}/export?format=markdown`)).status).toBe(404);
		const res = await lucia.get(`/api/issues/${issueId}/export?format=markdown`);
		expect(res.status).toBe(200);
		expect(res.text).toContain('VOLUME VII, ISSUE 12');
		for (const p of pieces) expect(res.text).not.toContain(p.title);
	});

	it('prints a PDF whose contents give, for every piece, the page where its title is, and DRAFT on every page of a piece not approved', async () => {
		const res = await download(script, `/api/issues/${issueId}/export?format=pdf`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toBe('attachment; filename="basin-watch-vol-7-issue-12.pdf"');
		const pages = (await pdfPageTexts(res.bytes)).map(squeezed);
		const numbers = contentsNumbers(pages[0], pieces.map((p) => p.title));
		// each title is on the page the contents give, and on no page between the contents and it
		numbers.forEach((n, i) => {
			const title = squeezed(pieces[i].title);
			expect(pages[n - 1], `${pieces[i].title} on page ${n}`).toContain(title);
			expect(pages.slice(1, n - 1).some((p) => p.includes(title)), `${pieces[i].title} before page ${n}`).toBe(false);
		});
		// the print HTML's contents carry the same numbers, so the page printed from a browser numbers as the PDF does
		const html = text((await download(script, `/api/issues/${issueId}/export?format=html`)).bytes);
		expect([...html.matchAll(/data-target="#piece-\d+">(\d*)</g)].map((m) => Number(m[1]))).toEqual(numbers);
		// the pieces are of different lengths: the numbers are not simply consecutive
		expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
		expect(numbers[numbers.length - 1] - numbers[0]).toBeGreaterThan(pieces.length);
		// every page of a draft piece says DRAFT, no page of a final one does
		numbers.forEach((start, i) => {
			const end = i + 1 < numbers.length ? numbers[i + 1] - 1 : pages.length;
			for (let page = start; page <= end; page++) expect(pages[page - 1].includes('DRAFT'), `page ${page} (${pieces[i].title})`).toBe(!pieces[i].final);
		});
	}, PDF_TIMEOUT);

	it('answers 503 with the install command for a PDF where Chromium is missing (GALLEY_CHROMIUM_PATH), while Markdown and HTML (without the contents’ numbers) still work', async () => {
		// its own database: an embedded one is used by one process at a time
		const other = await freshTestDatabase(kind);
		const without = await startGalley({ ...serverEnv(other), GALLEY_CHROMIUM_PATH: '/nonexistent/chromium' });
		try {
			const client = await tokenClient(await setUpEditor(without.url), 'export');
			const { issue } = (await client.post('/api/issues', { publication: 'Basin Watch', volume: 7, number: 13 })).json;
			const { piece } = (await client.post('/api/pieces', { kind: 'brief', title: 'A short brief', text: 'The canal reopened.' })).json;
			expect((await client.patch(`/api/pieces/${piece.id}`, { issueId: issue.id })).status).toBe(200);
			for (const path of [`/api/issues/${issue.id}/export?format=pdf`, `/api/pieces/${piece.id}/export?format=pdf`]) {
				const res = await client.get(path);
				expect(res.status).toBe(503);
				expect(Object.keys(res.json)).toEqual(['error']);
				expect(res.json.error.message).toContain('apt-get install -y chromium');
			}
			const md = await client.get(`/api/issues/${issue.id}/export?format=markdown`);
			expect(md.status).toBe(200);
			expect(md.text).toContain('The canal reopened.');
			expect((await client.get(`/api/pieces/${piece.id}/export?format=html`)).status).toBe(200);
			const html = await client.get(`/api/issues/${issue.id}/export?format=html`);
			expect(html.status).toBe(200);
			expect(html.text).toContain('data-target="#piece-1"></span>'); // numbers left to the printer
		} finally {
			await without.stop();
			await other.drop();
		}
	}, START_TIMEOUT);
});
