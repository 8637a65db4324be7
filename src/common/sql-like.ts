/** `text` as a literal inside a LIKE pattern (PostgreSQL's default escape character is the backslash). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern for every node under a category path ("水果" → "水果>%"), not the node itself. */
export function descendantsPattern(categoryPath: string): string {
  return `${likeEscape(categoryPath)}>%`;
}
