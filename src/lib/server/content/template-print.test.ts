// A new piece's template prompts are placeholders: nothing of them is in the piece's content, so an
// untouched template prints and exports as nothing at all.
import { describe, expect, it } from 'vitest';
import { pieceTemplate, templatePrompt, TEMPLATE_PROMPTS } from '../../domain/templates';
import { PIECE_KINDS } from '../../domain/pieces';
import { editorSchema } from '../../editor/extensions';
import { renderHTML, renderMarkdown } from './render';

describe('template prompts', () => {
	it.each(PIECE_KINDS)('an untouched %s template holds no prompt text and prints and exports nothing', async (kind) => {
		const template = pieceTemplate(kind);
		editorSchema.nodeFromJSON(template).check();
		const json = JSON.stringify(template);
		const markdown = renderMarkdown(template);
		const html = await renderHTML(template);
		for (const prompt of [...Object.values(TEMPLATE_PROMPTS), 'Write the brief here', 'spoke with …', 'First section heading']) {
			expect(json).not.toContain(prompt);
			expect(markdown).not.toContain(prompt);
			expect(html).not.toContain(prompt);
		}
		// Nothing but the interview's two empty turns (their speakers' labels), which print as turns do.
		expect(markdown.trim()).toBe(kind === 'interview' ? 'BW: \n\nG:' : '');
	});

	it('asks for each kind’s opening, an article’s section heading and an interview’s lead-in, and for nothing else', () => {
		expect(templatePrompt('brief', { type: 'paragraph', first: true })).toBe(TEMPLATE_PROMPTS.brief);
		expect(templatePrompt('brief', { type: 'paragraph', first: false })).toBe('');
		expect(templatePrompt('article', { type: 'paragraph', first: true })).toBe(TEMPLATE_PROMPTS.articleOpening);
		expect(templatePrompt('article', { type: 'heading', first: false })).toBe(TEMPLATE_PROMPTS.sectionHeading);
		expect(templatePrompt('interview', { type: 'leadIn', first: false })).toBe(TEMPLATE_PROMPTS.interviewLeadIn);
		expect(templatePrompt('interview', { type: 'paragraph', first: true })).toBe('');
	});
});
