import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../domain/transcript';
import { interviewContent } from './transcript-import';
import { renderMarkdown, renderHTML } from '../server/content/render';
import { jsonFromYjsState, yjsStateFromJSON } from '../server/content/document';
import type { JSONContent } from '@tiptap/core';
import { participantsNodeJSON } from './participants';
import {
	BULLETIN_INTERVIEW_SPEAKERS,
	bulletinInterview,
	hasReferenceSample,
	referenceInterview
} from '../../../tests/support/bulletin-issue';

const interviewText = bulletinInterview().trim();

function interviewDoc(text = interviewText, speakers: Parameters<typeof interviewContent>[2] = BULLETIN_INTERVIEW_SPEAKERS): JSONContent {
	const { participants, leadIn, blocks } = interviewContent(parseTranscript(text), [], speakers);
	return { type: 'doc', content: [participantsNodeJSON(participants), leadIn!, ...blocks] };
}

/** Markdown through Yjs and back, as the server renders it. */
const printed = (doc: JSONContent) => renderMarkdown(jsonFromYjsState(yjsStateFromJSON(doc))).trim();

describe('interview print form', () => {
	it('renders the imported bulletin interview as Markdown exactly as the bulletin prints it', () => {
		expect(printed(interviewDoc())).toBe(interviewText.replace(/\n{2,}/g, '\n\n'));
	});

	it.runIf(hasReferenceSample)('renders the imported interview of the reference sample exactly as it was printed (when the reference sample is present)', () => {
		const { text, labels } = referenceInterview();
		const doc = interviewDoc(text.trim(), {
			[labels[0]]: { name: 'Interviewer', role: 'interviewer' },
			[labels[1]]: { name: 'Guest', role: 'interviewee' }
		});
		expect(printed(doc)).toBe(text.trim().replace(/\n{2,}/g, '\n\n'));
	});

	it('relabels every block when a participant label changes', () => {
		const doc = interviewDoc();
		const av = doc.content![0].content!.find((p) => p.attrs!.label === 'AV')!;
		av.attrs = { ...av.attrs, label: 'VARGA' };
		const markdown = renderMarkdown(doc);
		expect(markdown.match(/^VARGA: /gm)).toHaveLength(6);
		expect(markdown.match(/^AV: /gm)).toBeNull();
		expect(markdown.match(/^BW: /gm)).toHaveLength(6);
	});

	it('prints a turn whose speaker is nobody in the participants as "?", pointing at no one in the HTML', async () => {
		const doc = interviewDoc();
		const turn = doc.content!.find((n) => n.type === 'qaBlock')!;
		turn.attrs = { ...turn.attrs, speaker: 'javascript:alert(1)' };
		const html = await renderHTML(doc);
		expect(html).not.toContain('javascript:');
		expect(html).toMatch(/<section data-qa="question" data-label="\?" class="qa-block">/);
		expect(renderMarkdown(doc)).toMatch(/^\?: /m);
		// a known speaker is kept
		expect(html).toMatch(/data-speaker="[^"]+" data-label="AV"/);
	});

	it('prints citations with parentheses and dates, grouping adjacent ones', () => {
		const cite = (source: string, url: string, date: string, qualifier: string | null = null) => ({
			type: 'text',
			text: source,
			marks: [{ type: 'citation', attrs: { source, url, date, qualifier, sourceId: null } }]
		});
		const doc: JSONContent = {
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'The embankment was cut ' }, cite('Varesh Daily', 'https://vareshdaily.example/news/4471', 'March 12'), { type: 'text', text: '.' }] },
				{ type: 'paragraph', content: [{ type: 'text', text: 'Claimed ' }, cite('Varesh Daily', '#', 'January 8'), cite('Varesh Daily', '#', 'January 30'), { type: 'text', text: '.' }] },
				{ type: 'paragraph', content: [{ type: 'text', text: 'The pact ' }, cite('The Nerovia Courier', '#', 'February 26', 'Nerovia'), { type: 'text', text: '.' }] }
			]
		};
		expect(renderMarkdown(doc).trim().split('\n\n')).toEqual([
			'The embankment was cut ([Varesh Daily](https://vareshdaily.example/news/4471), March 12).',
			'Claimed ([Varesh Daily](#), January 8; [Varesh Daily](#), January 30).',
			'The pact ([The Nerovia Courier](#) [Nerovia], February 26).'
		]);
	});

	it('numbers endnotes in text order and prints the Notes section', () => {
		const note = (id: string, text: string) => ({ type: 'endnote', attrs: { id, note: text } });
		const doc: JSONContent = {
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [{ type: 'text', text: 'First claim. ' }, note('b', 'Second written, first in text.'), { type: 'text', text: ' Second claim. ' }, note('a', 'Another.')] }
			]
		};
		const md = renderMarkdown(doc);
		expect(md).toContain('First claim. [1] Second claim. [2]');
		expect(md).toContain('## Notes\n\n[1] Second written, first in text.\n\n[2] Another.');
	});

	it('escapes hostile text and drops javascript: links in HTML', async () => {
		const doc: JSONContent = {
			type: 'doc',
			content: [{ type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }]
		};
		const html = await renderHTML(doc);
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('javascript:');
	});
});

describe('markdown safety', () => {
	it('never turns typed text into HTML or a link', () => {
		const doc: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'see [x](javascript:alert(1)) and <img src=x onerror=alert(1)>' }] }] };
		const md = renderMarkdown(doc);
		expect(md).toContain('[x]\\(javascript:alert(1))');
		expect(md).toContain('\\<img');
	});
});
