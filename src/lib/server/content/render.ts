import type { JSONContent } from '@tiptap/core';
import { generateHTML } from '@tiptap/html/server';
import { MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown';
import type { Node as PmNode, Mark } from '@tiptap/pm/model';
import { editorExtensions, editorSchema, isAllowedHref } from '../../editor/extensions';
import { leadInMarkdown, toPrintForm } from '../../editor/print';

export const CONTENT_FORMATS = ['json', 'markdown', 'html'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];

/** HTML rendered from the one editor schema; text and attributes are escaped by the renderer. */
export function renderHTML(json: JSONContent, bios: string[] = []): string {
	return generateHTML(sanitizeJSON(toPrintForm(json, { inlineLabels: true, bios })), editorExtensions);
}

/** Drop links whose href is not http(s)/mailto before rendering anything. */
function sanitizeJSON(node: JSONContent): JSONContent {
	const marks = node.marks
		?.filter((m) => m.type !== 'link' || isAllowedHref(m.attrs?.href))
		.map((m) => (m.type === 'citation' && m.attrs?.url && !isAllowedHref(m.attrs.url) ? { ...m, attrs: { ...m.attrs, url: null } } : m));
	return {
		...node,
		...(node.marks ? { marks } : {}),
		...(node.content ? { content: node.content.map(sanitizeJSON) } : {})
	};
}

const markdown = new MarkdownSerializer(
	{
		doc(state, node) {
			state.renderContent(node);
		},
		paragraph(state, node) {
			state.renderInline(node);
			state.closeBlock(node);
		},
		heading(state, node) {
			state.write(state.repeat('#', node.attrs.level) + ' ');
			state.renderInline(node, false);
			state.closeBlock(node);
		},
		blockquote(state, node) {
			state.wrapBlock('> ', null, node, () => state.renderContent(node));
		},
		codeBlock(state, node) {
			const backticks = node.textContent.match(/`{3,}/gm);
			const fence = backticks ? backticks.sort().slice(-1)[0] + '`' : '```';
			state.write(fence + (node.attrs.language || '') + '\n');
			state.text(node.textContent, false);
			state.write('\n');
			state.write(fence);
			state.closeBlock(node);
		},
		horizontalRule(state, node) {
			state.write('---');
			state.closeBlock(node);
		},
		bulletList(state, node) {
			state.renderList(node, '  ', () => '- ');
		},
		orderedList(state, node) {
			const start = (node.attrs.start as number) || 1;
			const maxW = String(start + node.childCount - 1).length;
			const space = state.repeat(' ', maxW + 2);
			state.renderList(node, space, (i) => {
				const n = String(start + i);
				return state.repeat(' ', maxW - n.length) + n + '. ';
			});
		},
		listItem(state, node) {
			state.renderContent(node);
		},
		hardBreak(state: MarkdownSerializerState, node: PmNode, parent: PmNode, index: number) {
			for (let i = index + 1; i < parent.childCount; i++) {
				if (parent.child(i).type !== node.type) {
					state.write('\\\n');
					return;
				}
			}
		},
		text(state, node) {
			// The bulletin's print form, not strict Markdown: brackets, asterisks and underscores stay as typed.
			// Only what a Markdown renderer would turn into markup from typed text is escaped: raw HTML
			// (`<`) and link syntax (`](`), so "[x](javascript:…)" typed as text never becomes a live link.
			state.text((node.text ?? '').replace(/</g, '\\<').replace(/\]\(/g, ']\\('), false);
		},
		participants() {},
		participant() {},
		leadIn(state, node) {
			state.write(leadInMarkdown(node.toJSON()));
			state.closeBlock(node);
		},
		qaBlock(state, node) {
			const label = String(node.attrs.label ?? '?');
			node.forEach((child, _offset, index) => {
				if (index === 0) state.write(`${label}: `);
				state.render(child, node, index);
			});
		},
		endnote(state, node) {
			state.write(`[${node.attrs.number ?? '?'}]`);
		}
	},
	{
		italic: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
		bold: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
		underline: { open: '', close: '' },
		citation: { open: '', close: '' },
		strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
		code: { open: '`', close: '`', escape: false },
		link: {
			open: '[',
			close(_state: MarkdownSerializerState, mark: Mark) {
				const href = isAllowedHref(mark.attrs.href) ? mark.attrs.href : '#';
				return `](${href.replace(/[()]/g, '\\$&')})`;
			}
		}
	}
);

export function renderMarkdown(json: JSONContent, bios: string[] = []): string {
	const node = editorSchema.nodeFromJSON(sanitizeJSON(toPrintForm(json, { bios })));
	return markdown.serialize(node) + '\n';
}

/**
 * The file name an export downloads as: the piece's title in ASCII letters, digits and dashes (accents
 * dropped, anything else a dash), at most 80 characters, `piece` when nothing is left; then the extension.
 * Safe inside a quoted Content-Disposition filename and on any file system.
 */
export function exportFilename(title: string, format: Exclude<ContentFormat, 'json'>): string {
	const base =
		title
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^A-Za-z0-9]+/g, '-')
			.slice(0, 80)
			.replace(/^-+|-+$/g, '') || 'piece';
	return `${base}.${format === 'markdown' ? 'md' : 'html'}`;
}

export function renderContent(json: JSONContent, format: ContentFormat, bios: string[] = []): { body: string; contentType: string } {
	switch (format) {
		case 'json':
			return { body: JSON.stringify(sanitizeJSON(json)), contentType: 'application/json' };
		case 'markdown':
			return { body: renderMarkdown(json, bios), contentType: 'text/markdown; charset=utf-8' };
		case 'html':
			return { body: renderHTML(json, bios), contentType: 'text/html; charset=utf-8' };
	}
}
