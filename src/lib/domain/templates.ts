import type { JSONContent } from '@tiptap/core';
import type { PieceKind } from './pieces';

const p = (text?: string, marks?: JSONContent['marks']): JSONContent =>
	text ? { type: 'paragraph', content: [{ type: 'text', text, ...(marks ? { marks } : {}) }] } : { type: 'paragraph' };

/** What a new piece of each kind starts with, shaped like the bulletin prints it. */
export function pieceTemplate(kind: PieceKind): JSONContent {
	switch (kind) {
		case 'brief':
			return { type: 'doc', content: [p('Write the brief here: what happened, with sources, and why it matters.'), p('Author Name is the Editor of the bulletin.', [{ type: 'italic' }])] };
		case 'article':
			return {
				type: 'doc',
				content: [
					p('Open with the development and its significance, citing sources inline: (Source, Month Day).'),
					{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'First section heading' }] },
					p(),
					{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] },
					p(),
					p('Author Name is … (bio).', [{ type: 'italic' }])
				]
			};
		case 'interview':
			return {
				type: 'doc',
				content: [
					p('Terrorism Monitor sat down with … for an interview on … The following has been lightly edited for grammar and clarity.', [{ type: 'italic' }]),
					{ type: 'paragraph', content: [{ type: 'text', text: 'TM:', marks: [{ type: 'bold' }] }, { type: 'text', text: ' ' }] },
					{ type: 'paragraph', content: [{ type: 'text', text: 'AG:', marks: [{ type: 'bold' }] }, { type: 'text', text: ' ' }] }
				]
			};
	}
}
