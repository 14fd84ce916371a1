import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { issuePrintHTML, piecePrintHTML } from './print-html';
import type { AssembledIssue, AssembledPiece } from '../queries/assembly';
import type { ReviewState } from '../../domain/pieces';
import { participantsNodeJSON } from '../../editor/participants';

const text = (t: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const cite = (source: string, url: string, date: string, qualifier: string | null = null) =>
	text(source, [{ type: 'citation', attrs: { source, url, date, qualifier, sourceId: null } }]);

function piece(title: string, reviewState: ReviewState, content: JSONContent[], over: Partial<AssembledPiece> = {}): AssembledPiece {
	return {
		id: title,
		kind: 'article',
		title,
		reviewState,
		section: null,
		authors: [{ contributorId: 'c1', name: 'Maren Holt', affiliation: null, bio: 'Maren Holt is the Editor of Basin Watch.' }],
		content: { type: 'doc', content },
		...over
	};
}

const brief = piece('Sabotage on the Varesh Canal', 'approved', [
	para(text('The breach came eleven days after the pact '), cite('The Nerovia Courier', '#', 'February 26', 'Nerovia'), text(' and '), cite('Varesh Daily', 'https://vareshdaily.example/news/4471', 'March 12'), text('.'))
], { kind: 'brief', section: 'BRIEFS' });
const article = piece('Did the Drought Push Kessland’s Herders?', 'in_review', [
	{ type: 'heading', attrs: { level: 2 }, content: [text('The court in Halm')] },
	para(text('A clerk sold the gate schedules'), { type: 'endnote', attrs: { id: 'n-1' }, content: [text('Court records, February 20.')] }, text(' to a courier.'))
], { section: 'ARTICLES' });
const interview = piece('Basin Watch Interview With Dr. Anneli Varga', 'published', [
	participantsNodeJSON([
		{ id: 'bw', name: 'Basin Watch', label: 'BW', role: 'interviewer' },
		{ id: 'av', name: 'Anneli Varga', label: 'AV', role: 'interviewee' }
	]),
	{ type: 'leadIn', content: [text('Basin Watch', [{ type: 'italic' }]), text(' spoke with Dr. Anneli Varga about the pact.')] },
	{ type: 'qaBlock', attrs: { speaker: 'bw' }, content: [para(text('Why did the embankment fail?'))] },
	{ type: 'qaBlock', attrs: { speaker: 'av' }, content: [para(text('It was cut, in two places, at night.'))] }
], { kind: 'interview', authors: [] });

const issue: AssembledIssue = {
	issue: { id: 'i1', publication: 'Basin Watch', tagline: 'Independent analysis of security and water in the Varesh Basin', volume: 19, number: 17, date: '2027-03-15' },
	pieces: [brief, article, interview]
};

describe('issuePrintHTML', () => {
	it('prints the masthead with the volume in Roman numerals, the tagline and the date', () => {
		const html = issuePrintHTML(issue);
		expect(html).toContain('<p class="publication">Basin Watch</p>');
		expect(html).toContain('<p class="tagline">Independent analysis of security and water in the Varesh Basin</p>');
		expect(html).toContain('VOLUME XIX, ISSUE 17');
		expect(html).toContain('15 March 2027');
		expect(html).toMatch(/^<!doctype html>/);
	});

	it('lists the pieces in contents order under their sections, linked to their articles, with the page numbers given', () => {
		const html = issuePrintHTML(issue, [3, 4, 9]);
		const contents = html.slice(html.indexOf('<nav class="contents"'), html.indexOf('</nav>'));
		expect([...contents.matchAll(/class="toc-(section|title)">([^<]*)/g)].map((m) => m[2])).toEqual(['BRIEFS', 'Sabotage on the Varesh Canal', 'ARTICLES', 'Did the Drought Push Kessland’s Herders?', 'Basin Watch Interview With Dr. Anneli Varga']);
		expect([...contents.matchAll(/data-target="#(piece-\d)">(\d*)</g)].map((m) => [m[1], m[2]])).toEqual([['piece-1', '3'], ['piece-2', '4'], ['piece-3', '9']]);
		for (const n of [1, 2, 3]) expect(html).toContain(`id="piece-${n}"`);
	});

	it('leaves the numbers empty when they are not known yet, in a column of the same width (the first print finds them)', () => {
		const contents = issuePrintHTML(issue);
		expect([...contents.matchAll(/data-target="#piece-\d">([^<]*)</g)].map((m) => m[1])).toEqual(['', '', '']);
		expect(contents).toMatch(/\.toc-page \{[^}]*width: 12mm/);
	});

	it('prints citations as links in parentheses with their dates and qualifiers, dropping hrefs that are not http(s)', () => {
		const html = issuePrintHTML(issue);
		expect(html).toMatch(/\(<a [^>]*href="#"[^>]*>The Nerovia Courier<\/a> \[Nerovia\], February 26\)/);
		expect(html).toMatch(/\(<a [^>]*href="https:\/\/vareshdaily\.example\/news\/4471"[^>]*>Varesh Daily<\/a>, March 12\)/);
		const hostile = issuePrintHTML({ ...issue, pieces: [piece('x', 'approved', [para(text('click', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]))])] });
		expect(hostile).not.toContain('javascript:');
		expect(hostile).toContain('click');
	});

	it('numbers the endnotes [n] in the text and lists them under Notes at the end of their piece, after the bios', () => {
		const html = issuePrintHTML(issue);
		const art = html.slice(html.indexOf('id="piece-2"'), html.indexOf('id="piece-3"'));
		expect(art).toMatch(/gate schedules<sup[^>]*>\[1\]<\/sup> to a courier/);
		const bio = art.indexOf('Maren Holt is the Editor of Basin Watch.');
		const notes = art.indexOf('>Notes</h2>');
		expect(bio).toBeGreaterThan(-1);
		expect(notes).toBeGreaterThan(bio);
		expect(art.slice(notes)).toContain('[1] Court records, February 20.');
	});

	it('prints the interview with its participants, the italic lead-in and bold labels', () => {
		const html = issuePrintHTML(issue);
		const iv = html.slice(html.indexOf('id="piece-3"'));
		expect(iv).toContain('<p class="participants"><b>BW</b> Basin Watch · <b>AV</b> Anneli Varga</p>');
		expect(iv).toMatch(/<p [^>]*class="lead-in"[^>]*><em>Basin Watch<\/em> spoke with/);
		expect(iv).toContain('<strong>BW:</strong> Why did the embankment fail?');
		expect(iv).toContain('<strong>AV:</strong> It was cut');
		expect(html).toContain('.lead-in { font-style: italic; }');
	});

	it('marks pieces that are not approved or published as DRAFT, on every printed page (the named page `draft`)', () => {
		const html = issuePrintHTML(issue);
		expect([...html.matchAll(/<article class="([^"]*)"/g)].map((m) => m[1])).toEqual(['piece piece-brief', 'piece piece-article draft', 'piece piece-interview']);
		expect(html).toMatch(/\.piece\.draft \{ page: draft; \}/);
		expect(html).toMatch(/@page draft \{\s*@top-center \{ content: "DRAFT"/);
		expect(html).toContain('DRAFT · In review');
	});

	it('escapes everything typed and needs no script to be read', () => {
		const evil = '<img src=x onerror=alert(1)> & "quotes"';
		const html = issuePrintHTML({
			issue: { ...issue.issue, publication: evil, tagline: evil },
			pieces: [piece(evil, 'draft', [para(text(evil))], { section: evil, authors: [{ contributorId: 'c', name: evil, affiliation: null, bio: evil }] })]
		});
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
		expect(html).not.toMatch(/<script|<link|@import|url\(/i);
	});
});

describe('piecePrintHTML', () => {
	it('prints one piece alone, with no masthead or contents', () => {
		const html = piecePrintHTML(article);
		expect(html).toContain('<h1 class="piece-title">Did the Drought Push Kessland’s Herders?</h1>');
		expect(html).toContain('<title>Did the Drought Push Kessland’s Herders?</title>');
		expect(html).not.toContain('class="masthead"');
		expect(html).not.toContain('class="contents"');
	});
});
