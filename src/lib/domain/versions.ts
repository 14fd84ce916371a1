// Versions of a piece: snapshots saved at every review move, on demand with a name, and before a restore.

export const VERSION_KINDS = ['review', 'named', 'before_restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];
