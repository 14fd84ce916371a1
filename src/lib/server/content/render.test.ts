import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { exportFilename, renderContent, renderHTML, renderMarkdown } from './render';
import { jsonFromYjsState, yjsStateFromJSON } from './document';

const text = (t: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const link = (href: string) => [{ type: 'link', attrs: { href } }];

const small: JSONContent = {
	type: 'doc',
	content: [
		{ type: 'heading', attrs: { level: 2 }, content: [text('Findings')] },
		{ type: 'paragraph', content: [text('BW:', [{ type: 'bold' }]), text(' a '), text('quiet', [{ type: 'italic' }]), text(' answer, see '), text('source', link('https://example.org/a'))] },
		{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('one')] }] }, { type: 'listItem', content: [{ type: 'paragraph', content: [text('two')] }] }] }
	]
};

describe('renderMarkdown', () => {
	it('renders headings, marks, links and lists', () => {
		expect(renderMarkdown(small)).toBe('## Findings\n\n**BW:** a *quiet* answer, see [source](https://example.org/a)\n\n- one\n\n- two\n');
	});

	it('escapes typed Markdown syntax as prosemirror-markdown does (brackets only where they could make a link or a definition), so nothing typed becomes structure downstream', () => {
		const typed = ['# x', '* x', '> x', '1. x', '- x', '+ x', '[x]: http://evil.example/', 'use `code` here', '_a_ and snake_case', '*not bold* and [x](y)', 'a < b', '~~gone~~'];
		const md = renderMarkdown({ type: 'doc', content: typed.map((t) => ({ type: 'paragraph', content: [text(t)] })) });
		expect(md.trimEnd().split('\n\n')).toEqual([
			'\\# x',
			'\\* x',
			'\\> x',
			'1\\. x',
			'\\- x',
			'\\+ x',
			'\\[x]: http://evil.example/',
			'use \\`code\\` here',
			'\\_a\\_ and snake_case',
			'\\*not bold\\* and [x]\\(y)',
			'a \\< b',
			'\\~\\~gone\\~\\~'
		]);
	});

	it('escapes the start of every line of a text, and typed text after a speaker label or in a heading', () => {
		const md = renderMarkdown({
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [text('first\n# second\n> third')] },
				{ type: 'heading', attrs: { level: 3 }, content: [text('*x*')] }
			]
		});
		expect(md).toBe('first\n\\# second\n\\> third\n\n### \\*x\\*\n');
	});

	it('prints the print form’s own brackets as they are and escapes what was typed inside them', () => {
		const citation = { type: 'citation', attrs: { sourceId: null, source: 'Radio Kessland', url: '#', date: 'March 3', qualifier: 'Talmari*' } };
		const md = renderMarkdown({
			type: 'doc',
			content: [
				{
					type: 'paragraph',
					content: [text('Orsolya '), text('Radio Kessland', [citation]), text('.'), { type: 'endnote', attrs: { id: 'n1', note: '[x]: http://evil.example/ *a*' } }]
				},
				// the private-use characters that mark the print form's brackets are removed from typed text
				{ type: 'paragraph', content: [text('\uE000[y](javascript:alert(1))\uE001')] }
			]
		});
		expect(md).toBe('Orsolya ([Radio Kessland](#) [Talmari\\*], March 3).[1]\n\n\\[y]\\(javascript:alert(1))\n\n## Notes\n\n[1] [x]: http://evil.example/ \\*a\\*\n');
	});

	it('keeps typed brackets as the bulletin prints them, but nothing typed after a note number or a bracket makes a link or a definition', () => {
		const note = { type: 'endnote', attrs: { id: 'n1' }, content: [text('A note.')] };
		const md = renderMarkdown({
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [text('a close arrangement [with either] might')] },
				{ type: 'paragraph', content: [text('See'), note, text('(javascript:alert(1))')] },
				{ type: 'paragraph', content: [note, text(': http://evil.example/')] },
				{ type: 'paragraph', content: [text('a [x]'), text('(y)', [{ type: 'bold' }]), text('[z]'), text('(w)', link('https://a.example/'))] },
				{ type: 'paragraph', content: [text('   [x]: http://evil.example/')] }
			]
		});
		expect(md.split('\n\n').slice(0, 5)).toEqual([
			'a close arrangement [with either] might',
			'See[1]\\(javascript:alert(1))',
			'[2]\\: http://evil.example/',
			'a [x]**(y)**[z][(w)](https://a.example/)',
			'   \\[x]: http://evil.example/'
		]);
	});

	it('prints attribute values so that they cannot end a link, a code fence or a list marker early', () => {
		const md = renderMarkdown({
			type: 'doc',
			content: [
				{ type: 'paragraph', content: [text('click', link('https://a.example/\n\n<script>alert(1)</script>'))] },
				{ type: 'codeBlock', attrs: { language: 'js\n```\n<script>' }, content: [text('x = 1')] },
				{ type: 'orderedList', attrs: { start: '<img src=x onerror=alert(1)>' }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('item')] }] }] }
			]
		});
		expect(md).toBe('[click](https://a.example/%0A%0A%3Cscript%3Ealert\\(1\\)%3C/script%3E)\n\n```jsscript\nx = 1\n```\n\n1. item\n');
	});

	it.each(['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x'])('drops a link to %s but keeps its text', (href) => {
		const md = renderMarkdown({ type: 'doc', content: [{ type: 'paragraph', content: [text('click', link(href))] }] });
		expect(md).toBe('click\n');
	});
});

describe('renderHTML', () => {
	it('renders the same small document as HTML', async () => {
		const html = await renderHTML(small);
		expect(html).toContain('<h2>Findings</h2>');
		expect(html).toContain('<strong>BW:</strong> a <em>quiet</em> answer, see <a');
		expect(html).toMatch(/<a [^>]*href="https:\/\/example\.org\/a"[^>]*>source<\/a>/);
		expect(html).toContain('<ul><li><p>one</p></li><li><p>two</p></li></ul>');
	});

	it('escapes text and attribute values', async () => {
		const html = await renderHTML({
			type: 'doc',
			content: [{ type: 'paragraph', content: [text('<script>alert(1)</script> & "x"'), text('q', link('https://example.org/?a="><script>'))] }]
		});
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;');
		// the quote cannot end the attribute early: inside a quoted value, `<` is inert and `"` is escaped
		expect(html).toContain('href="https://example.org/?a=&quot;><script>"');
		expect(html.replace(/ href="[^"]*"/g, '')).not.toContain('<script>');
	});

	it.each(['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x'])('drops a link to %s', async (href) => {
		const html = await renderHTML({ type: 'doc', content: [{ type: 'paragraph', content: [text('click', link(href))] }] });
		expect(html).not.toContain('<a');
		expect(html).not.toMatch(/javascript|data:/i);
		expect(html).toContain('click');
	});
});

describe('renderContent', () => {
	it('returns each format with its content type, from a Yjs state round trip', async () => {
		const json = jsonFromYjsState(yjsStateFromJSON(small));
		expect(await renderContent(json, 'json')).toEqual({ body: JSON.stringify(json), contentType: 'application/json' });
		expect((await renderContent(json, 'markdown')).contentType).toBe('text/markdown; charset=utf-8');
		expect((await renderContent(json, 'markdown')).body).toBe(renderMarkdown(small));
		expect(await renderContent(json, 'html')).toEqual({ body: await renderHTML(small), contentType: 'text/html; charset=utf-8' });
	});

	it('renders an empty state as an empty document', () => {
		expect(jsonFromYjsState(null)).toEqual({ type: 'doc', content: [] });
		expect(renderMarkdown(jsonFromYjsState(null)).trim()).toBe('');
	});
});

describe('exportFilename', () => {
	it('makes a safe ASCII file name from the title: accents dropped, anything else a dash', () => {
		expect(exportFilename('Élections: "Varesh" / 2026 <draft>', 'html')).toBe('Elections-Varesh-2026-draft.html');
		expect(exportFilename('../../etc/passwd\r\nX-Injected: 1', 'markdown')).toBe('etc-passwd-X-Injected-1.md');
		expect(exportFilename('Кабул', 'html')).toBe('piece.html');
		expect(exportFilename('', 'markdown')).toBe('piece.md');
		expect(exportFilename('a'.repeat(200), 'html')).toBe(`${'a'.repeat(80)}.html`);
	});
});

describe('heading ids in exports', () => {
	const withIds: JSONContent = {
		type: 'doc',
		content: [
			{ type: 'heading', attrs: { level: 2, id: 'sec-ferry-1' }, content: [text('The ferry')] },
			{ type: 'paragraph', content: [text('Basin Watch notes the crossing.')] },
			{ type: 'heading', attrs: { level: 3, id: 'bad id"<x>' }, content: [text('Costs')] }
		]
	};

	it('HTML gives a heading its id as an anchor (only a safe one); Markdown prints no id at all', async () => {
		const html = await renderHTML(withIds);
		expect(html).toContain('id="sec-ferry-1"');
		expect(html).not.toMatch(/\sid="bad id/);
		expect(renderMarkdown(withIds)).toBe('## The ferry\n\nBasin Watch notes the crossing.\n\n### Costs\n');
	});
});
