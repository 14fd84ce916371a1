import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseTranscript } from '../domain/transcript';
import { interviewContent } from './transcript-import';
import { renderMarkdown, renderHTML } from '../server/content/render';
import { jsonFromYjsState, yjsStateFromJSON } from '../server/content/document';
import type { JSONContent } from '@tiptap/core';
import { participantsNodeJSON } from './participants';

const sample = fs.readFileSync(path.resolve(process.cwd(), '../shared/sample-issue.txt'), 'utf8');
const interviewText = sample.slice(sample.indexOf('Terrorism Monitor *sat down')).trim();

function interviewDoc(): JSONContent {
	const { participants, leadIn, blocks } = interviewContent(parseTranscript(interviewText), [], {
		TM: { name: 'Terrorism Monitor', role: 'interviewer' },
		AG: { name: 'Antonio Giustozzi', role: 'interviewee' }
	});
	return { type: 'doc', content: [participantsNodeJSON(participants), leadIn!, ...blocks] };
}

describe('interview print form', () => {
	it('renders the imported sample interview as Markdown exactly as the bulletin prints it', () => {
		// through Yjs and back, as the server does
		const json = jsonFromYjsState(yjsStateFromJSON(interviewDoc()));
		const markdown = renderMarkdown(json).trim();
		expect(markdown).toBe(interviewText.replace(/\n{2,}/g, '\n\n'));
	});

	it('relabels every block when a participant label changes', () => {
		const doc = interviewDoc();
		const ag = doc.content![0].content!.find((p) => p.attrs!.label === 'AG')!;
		ag.attrs = { ...ag.attrs, label: 'GIUSTOZZI' };
		const markdown = renderMarkdown(doc);
		expect(markdown.match(/^GIUSTOZZI: /gm)).toHaveLength(7);
		expect(markdown.match(/^AG: /gm)).toBeNull();
		expect(markdown.match(/^TM: /gm)).toHaveLength(7);
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
				{ type: 'paragraph', content: [{ type: 'text', text: 'Fighters lacked weapons ' }, cite('Dawn', 'https://dawn.com/x', 'August 26'), { type: 'text', text: '.' }] },
				{ type: 'paragraph', content: [{ type: 'text', text: 'Claimed ' }, cite('Jihadology', '#', 'March 4'), cite('Jihadology', '#', 'March 11'), { type: 'text', text: '.' }] },
				{ type: 'paragraph', content: [{ type: 'text', text: 'Saleh ' }, cite('The National', '#', 'August 21', 'UAE'), { type: 'text', text: '.' }] }
			]
		};
		expect(renderMarkdown(doc).trim().split('\n\n')).toEqual([
			'Fighters lacked weapons ([Dawn](https://dawn.com/x), August 26).',
			'Claimed ([Jihadology](#), March 4; [Jihadology](#), March 11).',
			'Saleh ([The National](#) [UAE], August 21).'
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

	it('escapes hostile text and drops javascript: links in HTML', () => {
		const doc: JSONContent = {
			type: 'doc',
			content: [{ type: 'paragraph', content: [{ type: 'text', text: '<script>alert(1)</script>', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }]
		};
		const html = renderHTML(doc);
		expect(html).not.toContain('<script>');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('javascript:');
	});
});

describe('markdown safety', () => {
	it('never turns typed text into HTML or a link', () => {
		const doc: JSONContent = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'see [x](javascript:alert(1)) and <img src=x onerror=alert(1)>' }] }] };
		const md = renderMarkdown(doc);
		expect(md).toContain('\\[x\\](javascript:alert(1))');
		expect(md).toContain('\\<img');
	});
});
