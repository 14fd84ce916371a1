import { describe, expect, it } from 'vitest';
import { findMentions, mentionCandidates, mentionQuery } from './mentions';

const people = [
	{ id: 'a', name: 'Ana Lima' },
	{ id: 'b', name: 'Ana Lima Souza' },
	{ id: 'c', name: 'Maren Holt' }
];

describe('mentions', () => {
	it('matches the longest full name after an @, each person once, in order', () => {
		expect(findMentions('@Ana Lima Souza check the gauge, @maren holt too; @Ana Lima Souza again', people).map((p) => p.id)).toEqual(['b', 'c']);
		expect(findMentions('Ask @Ana Lima, please', people).map((p) => p.id)).toEqual(['a']);
	});

	it('needs the whole name, and an @ that starts a word', () => {
		expect(findMentions('@Ana Limas and @Maren', people)).toEqual([]);
		expect(findMentions('water@Maren Holt', people)).toEqual([]);
		expect(findMentions('(@Maren Holt)', people).map((p) => p.id)).toEqual(['c']);
	});

	it('offers names for what is typed after an @', () => {
		expect(mentionQuery('Hello @Ma', 9)).toEqual({ at: 6, query: 'Ma' });
		expect(mentionQuery('mail me@x', 9)).toBeNull();
		expect(mentionCandidates('li', people).map((p) => p.id)).toEqual(['a', 'b']);
		expect(mentionCandidates('hol', people).map((p) => p.id)).toEqual(['c']);
	});
});
