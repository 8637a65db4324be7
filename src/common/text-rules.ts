/**
 * What text the platform accepts, in one place. Names end up on printed labels (a control
 * character makes a ZPL/TSPL job unprintable), in PostgreSQL (which refuses NUL) and on public
 * pages (where a bidirectional override can make 「合格」 read as something else).
 */

/** Rules a string can break, with the message a client sees. */
export const TEXT_RULES = {
  no_nul: 'must not contain NUL characters',
  well_formed: 'must be well-formed Unicode (no lone surrogates)',
  no_control: 'must not contain control characters',
  no_bidi: 'must not contain bidirectional override characters',
  single_line: 'must be a single line (no line breaks or tabs)',
  max_depth: 'is nested too deeply',
} as const;

export type TextRule = keyof typeof TEXT_RULES;

/** Anything refused in every string: C0 controls other than TAB/LF/CR, DEL, C1 controls, bidi embeddings/overrides/isolates, lone surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANYWHERE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAKS = /[\t\n\r]/;

/** The rule `text` breaks, if any. `multiline` allows TAB, LF and CR (free text such as a reason or a note). */
export function textProblem(text: string, multiline = true): TextRule | undefined {
  const hit = ANYWHERE.exec(text);
  if (hit) {
    const code = hit[0].charCodeAt(0);
    if (code === 0) return 'no_nul';
    if (code >= 0xd800 && code <= 0xdfff) return 'well_formed';
    return code >= 0x202a ? 'no_bidi' : 'no_control';
  }
  return !multiline && LINE_BREAKS.test(text) ? 'single_line' : undefined;
}

export interface TextProblem {
  /** Dotted path, as the validation pipe names fields: `results.0.analyte`; '' for the value itself. */
  field: string;
  rule: TextRule;
  message: string;
}

/** JSON deeper than this is refused before anything recursive (class-transformer, ajv, jsonb) sees it. */
export const MAX_DEPTH = 64;

/**
 * The first string (value or object key) in `value` that breaks a rule, or nesting deeper than
 * MAX_DEPTH. Iterative, so that a hostile depth cannot overflow the stack here either.
 */
export function findTextProblem(value: unknown, root = ''): TextProblem | undefined {
  const stack: { node: unknown; path: string; depth: number }[] = [{ node: value, path: root, depth: 0 }];
  while (stack.length) {
    const { node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      const rule = textProblem(node);
      if (rule) return problem(path, rule);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_DEPTH) return problem(Array.isArray(value) ? root : topField(path, root), 'max_depth');
    const entries = Object.entries(node);
    for (const [key] of entries) {
      // A bad key is reported at its parent: echoing the key itself would echo the bad text.
      const keyRule = textProblem(key, false);
      if (keyRule) return problem(path, keyRule);
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      stack.push({ node: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The top-level field holding `path` (a path 64 segments long names nothing useful). */
function topField(path: string, root: string): string {
  const first = (root ? path.slice(root.length + 1) : path).split('.')[0];
  return [root, first].filter(Boolean).join('.');
}

function problem(field: string, rule: TextRule): TextProblem {
  return { field, rule, message: `${field || 'value'} ${TEXT_RULES[rule]}` };
}
