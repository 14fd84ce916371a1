import type { JSONContent } from '@tiptap/core';
import { MarkdownSerializer, defaultMarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown';
import type { Node as PmNode, Mark } from '@tiptap/pm/model';
import { editorExtensions, editorSchema, isAllowedHref } from '../../editor/extensions';
import { leadInMarkdown, toPrintForm } from '../../editor/print';

export const CONTENT_FORMATS = ['json', 'markdown', 'html'] as const;
export type ContentFormat = (typeof CONTENT_FORMATS)[number];


/**
 * TipTap's server-side HTML renderer, loaded on the first HTML export: it brings a whole DOM implementation
 * (happy-dom, ~470 modules), which cost every server start 0.6 CPU-seconds when imported up front.
 */
let htmlRenderer: Promise<typeof import('@tiptap/html/server')> | undefined;

/** HTML rendered from the one editor schema; text and attributes are escaped by the renderer. */
export async function renderHTML(json: JSONContent, bios: string[] = []): Promise<string> {
	const { generateHTML } = await (htmlRenderer ??= import('@tiptap/html/server'));
	return generateHTML(sanitizeJSON(toPrintForm(json, { inlineLabels: true, bios })), editorExtensions);
}

/**
 * The piece as the page shows it while its editor loads: the print form (labels as text, numbered notes)
 * without the bios, serialised straight from the schema's `toDOM` specs to a string. `renderHTML` builds a
 * DOM first (TipTap's generateHTML), which takes seconds on a long interview; this takes milliseconds.
 * Null for an empty piece, or one this schema cannot read.
 */
export function renderPreviewHTML(json: JSONContent): string | null {
	let doc: PmNode;
	try {
		doc = editorSchema.nodeFromJSON(sanitizeJSON(toPrintForm(json, { inlineLabels: true })));
	} catch {
		return null;
	}
	if (doc.textContent.trim() === '') return null;
	const out: string[] = [];
	doc.forEach((node) => writeNode(node, out));
	return out.join('');
}

/**
 * The piece as the bulletin prints it (labels as text, citations and [n] notes, the authors' bios, then its
 * Notes), serialised from the schema's `toDOM` specs like renderPreviewHTML: the print exports' body, fast on
 * a long piece. Empty for a piece this schema cannot read.
 */
export function renderPrintHTML(json: JSONContent, bios: string[] = []): string {
	let doc: PmNode;
	try {
		doc = editorSchema.nodeFromJSON(sanitizeJSON(toPrintForm(json, { inlineLabels: true, bios })));
	} catch {
		return '';
	}
	const out: string[] = [];
	doc.forEach((node) => writeNode(node, out));
	return out.join('');
}

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'input', 'wbr', 'col', 'area', 'source']);
export const escapeHTML = (s: string) => s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

function writeNode(node: PmNode, out: string[]): void {
	if (node.isText) {
		let html = escapeHTML(node.text ?? '');
		for (let i = node.marks.length - 1; i >= 0; i--) {
			const mark = node.marks[i];
			const toDOM = mark.type.spec.toDOM;
			if (!toDOM) continue;
			const inner = html;
			const parts: string[] = [];
			writeSpec(toDOM(mark, true), parts, () => parts.push(inner));
			html = parts.join('');
		}
		out.push(html);
		return;
	}
	const toDOM = node.type.spec.toDOM;
	if (!toDOM) return node.forEach((child) => writeNode(child, out));
	writeSpec(toDOM(node), out, () => node.forEach((child) => writeNode(child, out)));
}

/** A `DOMOutputSpec` (`[tag, attrs?, ...children]`, 0 for the hole) as HTML; `hole` writes the content. */
export function writeSpec(spec: unknown, out: string[], hole: () => void): void {
	if (typeof spec === 'string') return void out.push(escapeHTML(spec));
	if (!Array.isArray(spec)) return; // a DOM node (editor-only node views): nothing to show here
	const tag = String(spec[0]).split(' ').pop()!.toLowerCase();
	if (!/^[a-z][a-z0-9-]*$/.test(tag)) return;
	let start = 1;
	let attrs = '';
	const maybeAttrs = spec[1];
	if (maybeAttrs && typeof maybeAttrs === 'object' && !Array.isArray(maybeAttrs)) {
		start = 2;
		for (const [name, value] of Object.entries(maybeAttrs as Record<string, unknown>)) {
			if (value == null || !/^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/.test(name)) continue;
			attrs += ` ${name.split(' ').pop()}="${escapeHTML(String(value))}"`;
		}
	}
	out.push(`<${tag}${attrs}>`);
	if (VOID_ELEMENTS.has(tag)) return;
	for (let i = start; i < spec.length; i++) {
		if (spec[i] === 0) hole();
		else writeSpec(spec[i], out, hole);
	}
	out.push(`</${tag}>`);
}

/** Drop links whose href is not http(s)/mailto before rendering anything. */
export function sanitizeJSON(node: JSONContent): JSONContent {
	const marks = node.marks
		?.filter((m) => m.type !== 'link' || isAllowedHref(m.attrs?.href))
		.map((m) => (m.type === 'citation' && m.attrs?.url && !isAllowedHref(m.attrs.url) ? { ...m, attrs: { ...m.attrs, url: null } } : m));
	return {
		...node,
		...(node.marks ? { marks } : {}),
		...(node.content ? { content: node.content.map(sanitizeJSON) } : {})
	};
}

// prosemirror-markdown's default nodes and marks under TipTap's names; our own below: the schema's nodes
// it does not know, and those whose stored attributes must be checked before they are printed (a heading's
// level, a code block's language, a list's start), or whose text is escaped our way (see escapedText).
const { nodes: defaultNodes, marks: defaultMarks } = defaultMarkdownSerializer;

const markdown = new MarkdownSerializer(
	{
		paragraph: defaultNodes.paragraph,
		blockquote: defaultNodes.blockquote,
		listItem: defaultNodes.list_item,
		horizontalRule: defaultNodes.horizontal_rule,
		hardBreak: defaultNodes.hard_break,
		doc(state, node) {
			state.renderContent(node);
		},
		heading(state, node) {
			state.write(state.repeat('#', headingLevel(node.attrs.level)) + ' ');
			state.renderInline(node, false);
			state.closeBlock(node);
		},
		codeBlock(state, node) {
			const backticks = node.textContent.match(/`{3,}/gm);
			const fence = backticks ? backticks.sort().slice(-1)[0] + '`' : '```';
			state.write(fence + codeLanguage(node.attrs.language) + '\n');
			state.text(node.textContent, false);
			state.write('\n');
			state.write(fence);
			state.closeBlock(node);
		},
		bulletList(state, node) {
			state.renderList(node, '  ', () => '- ');
		},
		orderedList(state, node) {
			const start = listStart(node.attrs.start);
			const maxW = String(start + node.childCount - 1).length;
			const space = state.repeat(' ', maxW + 2);
			state.renderList(node, space, (i) => {
				const n = String(start + i);
				return state.repeat(' ', maxW - n.length) + n + '. ';
			});
		},
		text(state, node) {
			state.text(escapedText(state, node.text ?? ''), false);
		},
		participants() {},
		participant() {},
		leadIn(state, node) {
			let first = true;
			state.write(
				leadInMarkdown(node.toJSON(), (text) => {
					const escaped = escapedText(state, text, first);
					first = false;
					return escaped;
				})
			);
			state.closeBlock(node);
		},
		qaBlock(state, node) {
			const label = String(node.attrs.label ?? '?');
			node.forEach((child, _offset, index) => {
				if (index === 0) state.write(`${state.esc(label, true)}: `);
				state.render(child, node, index);
			});
		},
		endnote(state, node) {
			state.write(`[${node.attrs.number ?? '?'}]`);
		}
	},
	{
		italic: defaultMarks.em,
		bold: defaultMarks.strong,
		underline: { open: '', close: '' },
		citation: { open: '', close: '' },
		strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
		code: { open: '`', close: '`', escape: false },
		link: {
			open: '[',
			close(_state: MarkdownSerializerState, mark: Mark) {
				const href = isAllowedHref(mark.attrs.href) ? mark.attrs.href : '#';
				return `](${markdownDestination(href)})`;
			}
		}
	},
	{ escapeExtraCharacters: /</g }
);

export function renderMarkdown(json: JSONContent, bios: string[] = []): string {
	const typed = withoutLiteralMarkers(json);
	const node = editorSchema.nodeFromJSON(sanitizeJSON(toPrintForm(typed, { bios: bios.map(stripLiteralMarkers), literal: (text) => LITERAL_OPEN + text + LITERAL_CLOSE })));
	return markdown.serialize(node) + '\n';
}

/**
 * The file name an export downloads as: the piece's (or issue's) title in ASCII letters, digits and dashes (accents
 * dropped, anything else a dash), at most 80 characters, `piece` when nothing is left; then the extension.
 * Safe inside a quoted Content-Disposition filename and on any file system.
 */
export function exportFilename(title: string, format: Exclude<ContentFormat, 'json'> | 'pdf'): string {
	const base =
		title
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^A-Za-z0-9]+/g, '-')
			.slice(0, 80)
			.replace(/^-+|-+$/g, '') || 'piece';
	return `${base}.${format === 'markdown' ? 'md' : format}`;
}

// Markdown export escapes typed text as prosemirror-markdown's serializer does (`esc`: `*`, `_`, `` ` ``, `\`,
// `~`, `[`, `]` everywhere; `#`, `>`, `-`, `+ `, `*`, `1. ` at the start of a line), and `<` (raw HTML), so
// nothing typed becomes structure downstream. The brackets the print form adds itself (a citation's
// qualifier, a note's number) are wrapped in these two private-use characters by toPrintForm and printed
// as they are; the characters are first removed from everything the piece holds.
const LITERAL_OPEN = '\uE000';
const LITERAL_CLOSE = '\uE001';
const LITERAL_MARKERS = /[\uE000\uE001]/g;
const LITERAL_SPAN = /\uE000([^\uE001]*)\uE001/;

function stripLiteralMarkers(text: string): string {
	return text.replace(LITERAL_MARKERS, '');
}

function withoutLiteralMarkers(json: JSONContent): JSONContent {
	const serialised = JSON.stringify(json);
	return LITERAL_MARKERS.test(serialised) ? (JSON.parse(stripLiteralMarkers(serialised)) as JSONContent) : json;
}

/**
 * Text escaped for Markdown, except the print form's own literal spans. `startOfLine`: does the text start
 * a line (as the serializer tracks it); every line after a newline in the text starts one too.
 */
function escapedText(state: MarkdownSerializerState, text: string, startOfLine = (state as unknown as { atBlockStart: boolean }).atBlockStart): string {
	let out = '';
	let rest = text;
	let atStart = startOfLine;
	const before = () => (out ? out.slice(-1) : (state as unknown as { out: string }).out.slice(-1));
	while (rest) {
		const literal = LITERAL_SPAN.exec(rest);
		const typed = literal ? rest.slice(0, literal.index) : rest;
		out += typed
			.split('\n')
			.map((line, i) => escapeLine(state, line, i > 0 || (atStart && out === ''), i === 0 ? before() : ''))
			.join('\n');
		if (!literal) break;
		out += literal[1];
		atStart = false;
		rest = rest.slice(literal.index + literal[0].length);
	}
	return out;
}

/**
 * One typed line, escaped as prosemirror-markdown's serializer does, except square brackets: the bulletin
 * prints typed brackets as they are (`[with either]`, a `[Talmari]` qualifier typed in a note), so a bracket is
 * escaped only where it could make structure. A link or image needs `](`, so `(` after `]` is escaped; a
 * reference definition needs `[` at the start of a line (up to three spaces in), so that `[` is escaped,
 * and with no definition a bracketed word is only text. `before` is the character printed just before the
 * line (a note's `[n]` or a typed `]` in the previous text): a `(` or `:` right after a `]` is escaped too.
 */
function escapeLine(state: MarkdownSerializerState, line: string, startOfLine: boolean, before: string): string {
	let out = state.esc(line, startOfLine).replace(/\\(\\*)([[\]])/g, (all, backslashes: string, bracket: string) => (backslashes.length % 2 ? all : backslashes + bracket));
	out = out.replace(/\](?=\()/g, ']\\');
	if (startOfLine) out = out.replace(/^( {0,3})\[/, '$1\\[');
	if (before === ']' && /^[(:]/.test(out)) out = '\\' + out;
	return out;
}

/** A link's destination as Markdown prints it: parentheses escaped, whitespace and angle brackets percent-encoded (nothing can end it early). */
function markdownDestination(href: string): string {
	return href.replace(/[\s<>]/g, (c) => encodeURIComponent(c)).replace(/[()]/g, '\\$&');
}

/** A code block's language as the fence's info string: letters, digits and `+#.-` only (a newline or backtick would end the fence). */
function codeLanguage(language: unknown): string {
	return typeof language === 'string' ? language.replace(/[^\w+#.-]/g, '').slice(0, 40) : '';
}

/** An ordered list's first number: a whole number from 0 up, else 1 (a stored string could print as HTML). */
function listStart(start: unknown): number {
	const n = typeof start === 'number' ? start : Number(start);
	return Number.isSafeInteger(n) && n >= 0 && n < 1e9 ? n : 1;
}

/** A heading's level as Markdown can print it (a stored level outside 1–6, or not a number, prints as 2). */
function headingLevel(level: unknown): number {
	return typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2;
}

export async function renderContent(json: JSONContent, format: ContentFormat, bios: string[] = []): Promise<{ body: string; contentType: string }> {
	switch (format) {
		case 'json':
			return { body: JSON.stringify(sanitizeJSON(json)), contentType: 'application/json' };
		case 'markdown':
			return { body: renderMarkdown(json, bios), contentType: 'text/markdown; charset=utf-8' };
		case 'html':
			return { body: await renderHTML(json, bios), contentType: 'text/html; charset=utf-8' };
	}
}
