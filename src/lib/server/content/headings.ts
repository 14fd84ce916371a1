import type { JSONContent } from '@tiptap/core';
import type { PieceHeading } from '../../domain/assignments';

/** The text of a node, its descendants' texts joined. */
function textOf(node: JSONContent): string {
	if (typeof node.text === 'string') return node.text;
	return (node.content ?? []).map(textOf).join('');
}

/**
 * The top-level headings of a piece's text that have an `id` (what a section assignment names), in order.
 * Read from the current text, not from `pieces.headings`, which is rebuilt only after the text is stored.
 */
export function headingsOf(doc: JSONContent): PieceHeading[] {
	const out: PieceHeading[] = [];
	for (const node of doc.content ?? []) {
		if (node.type !== 'heading') continue;
		const id = node.attrs?.id;
		if (typeof id !== 'string' || !id) continue;
		const level = Number(node.attrs?.level);
		out.push({ id, level: Number.isFinite(level) ? level : 2, title: textOf(node).trim() });
	}
	return out;
}
