// @mentions in a comment's body: `@Full Name` of a person who may see the piece. The server decides who is
// mentioned (the longest name that follows an `@` wins: "@Ana Lima Souza" is Ana Lima Souza, not Ana Lima);
// the browser uses the same matching to offer names as one types.

export interface Mentionable {
	id: string;
	name: string;
}

/** Letters and digits continue a name: "@Ana Limas" does not mention Ana Lima. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The people mentioned in `body`, in the order first mentioned, each once. A mention is `@` (at the start or
 * after a character that is not a letter or digit) followed by a person's full name, compared without regard
 * to case, not followed by a letter or digit.
 */
export function findMentions<P extends Mentionable>(body: string, people: readonly P[]): P[] {
	const byLength = [...people].filter((p) => p.name.trim()).sort((a, b) => b.name.length - a.name.length);
	const found: P[] = [];
	const lower = body.toLocaleLowerCase();
	for (let i = body.indexOf('@'); i !== -1; i = body.indexOf('@', i + 1)) {
		if (i > 0 && WORD_CHAR.test(body[i - 1])) continue;
		const rest = lower.slice(i + 1);
		const person = byLength.find((p) => {
			const name = p.name.trim().toLocaleLowerCase();
			return rest.startsWith(name) && !(rest.length > name.length && WORD_CHAR.test(rest[name.length]));
		});
		if (person && !found.includes(person)) found.push(person);
	}
	return found;
}

/**
 * The name being typed after an `@` just before `caret` (for the autocomplete), or null: the text from the
 * last `@` that starts a word, when it is at most a few words long and holds no line break.
 */
export function mentionQuery(body: string, caret: number): { at: number; query: string } | null {
	const before = body.slice(0, caret);
	const at = before.lastIndexOf('@');
	if (at === -1 || (at > 0 && WORD_CHAR.test(before[at - 1]))) return null;
	const query = before.slice(at + 1);
	if (/\n/.test(query) || query.length > 60 || query.split(' ').length > 4) return null;
	return { at, query };
}

/** The people whose name matches what is typed after the `@` (a word of the name starts with it). */
export function mentionCandidates<P extends Mentionable>(query: string, people: readonly P[], max = 6): P[] {
	const q = query.trim().toLocaleLowerCase();
	return people.filter((p) => {
		const name = p.name.toLocaleLowerCase();
		return !q || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
	}).slice(0, max);
}
