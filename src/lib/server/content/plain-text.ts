import type { JSONContent } from '@tiptap/core';

/**
 * A piece's content from plain text (POST /api/pieces `text`): blank lines separate paragraphs, a line
 * starting with `## ` (or `### `) is a heading of that level, single line breaks inside a paragraph are kept.
 */
export function contentFromPlainText(text: string): JSONContent {
	const blocks: JSONContent[] = [];
	for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
		const lines = chunk.split('\n').map((l) => l.trim());
		let paragraph: string[] = [];
		const flush = () => {
			const kept = paragraph.filter(Boolean);
			if (kept.length) blocks.push({ type: 'paragraph', content: kept.flatMap((l, i) => (i ? [{ type: 'hardBreak' }, { type: 'text', text: l }] : [{ type: 'text', text: l }])) });
			paragraph = [];
		};
		for (const line of lines) {
			const heading = /^(#{2,3})\s+(.+)$/.exec(line);
			if (heading) {
				flush();
				blocks.push({ type: 'heading', attrs: { level: heading[1].length }, content: [{ type: 'text', text: heading[2] }] });
			} else paragraph.push(line);
		}
		flush();
	}
	return { type: 'doc', content: blocks.length ? blocks : [{ type: 'paragraph' }] };
}
