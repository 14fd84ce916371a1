import { Placeholder } from '@tiptap/extensions';
import type { PieceKind } from '../domain/pieces';
import { templatePrompt } from '../domain/templates';

/**
 * The prompts of a piece's template ("Write the brief here…", an interview's lead-in) as placeholders:
 * TipTap's Placeholder extension puts the prompt in a `data-placeholder` attribute of an empty top-level
 * block, and app.css shows it there. It is a decoration only, never content: it is not in the Yjs
 * document, the stored JSON, the HTML or the Markdown, and it goes as soon as someone types. Browser
 * only (it carries no schema): the server's extension list does not need it.
 *
 * `kind` is read whenever the prompts are drawn, so a piece whose kind changes gets the new kind's prompts.
 */
export function templatePrompts(kind: () => PieceKind | null) {
	return Placeholder.configure({
		// Every empty block shows its prompt, not only the one with the caret; nothing inside Q&A turns
		// (their speaker label is drawn there) or other nested blocks.
		showOnlyCurrent: false,
		includeChildren: false,
		showOnlyWhenEditable: true,
		emptyNodeClass: 'is-empty',
		placeholder: ({ node, pos }) => templatePrompt(kind(), { type: node.type.name, first: pos === 0 })
	});
}
