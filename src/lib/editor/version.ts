/**
 * The editor schema's version. Bump it whenever nodes, marks or attributes change in a way an older
 * client would mangle. The client sends it as `?schema=N`; an outdated client is refused (close 4009).
 */
export const EDITOR_SCHEMA_VERSION = 2;
