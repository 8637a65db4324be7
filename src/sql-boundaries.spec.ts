import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Features meet through public files (dependency-cruiser checks imports); this checks the other way
 * a feature can reach into another: hand-written SQL naming another feature's tables. A feature's
 * SQL names only its own tables; reading several features' tables at once is the job of a named read
 * model, listed here with what it is for. An entry needs a reason another feature's service cannot
 * serve (one recursive query, a fold, a measured hot path); a listed file that no longer reads
 * across features fails too, so it gets taken off.
 */
const READ_MODELS: Record<string, string> = {
  'src/modules/dashboard/dashboard-lists.service.ts':
    "the dashboard's drill-down lists: batches, samples and certificates of a jurisdiction with producer names",
  'src/modules/certificates/certificate-gaps.service.ts':
    'the certificate-gap report: batches of mandatory categories without a valid certificate, by producer',
  'src/modules/events/lot-graph.service.ts':
    'the trace graph: lot links with product and producer names on each node, in one recursive query',
  'src/modules/categories/certificate-flags.ts':
    'moves batches into or out of the certificate-rate denominator when a category flips (an indicator fold)',
  'src/modules/certificates/issue-subject.ts':
    "issuing: the batch, issuer, product and site in the statement that locks the batch's row — five round trips before (issue 21, certificates/s)",
  'src/modules/audit/row-auditor.ts':
    "audit entries carry the acting organisation's region, so a regulator reads its jurisdiction's log",
};

const ROOT = join(__dirname, '..');
const MODULES = join(ROOT, 'src', 'modules');
const SQL_TABLE = /\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_][a-z0-9_]*)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const featureOf = (file: string) => relative(MODULES, file).split(sep)[0];

/** The text of every string and template literal (SQL lives there, never in comments). */
function literals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' '));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Table name → owning feature, from the `@Entity('table')` declarations. */
function tableOwners(files: string[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/@(?:View)?Entity\(\s*(?:\{\s*name:\s*)?'([a-z_][a-z0-9_]*)'/g)) {
      owners.set(match[1], featureOf(file));
    }
  }
  return owners;
}

function foreignTables(file: string, owners: Map<string, string>): string[] {
  const mine = featureOf(file);
  const tables = literals(file).flatMap((text) => [...text.matchAll(SQL_TABLE)].map((m) => m[1]));
  return [...new Set(tables.filter((t) => owners.has(t) && owners.get(t) !== mine))].sort();
}

describe('SQL boundaries between features', () => {
  const files = sourceFiles(MODULES);
  const owners = tableOwners(files);
  const crossing = new Map(files.map((f) => [relative(ROOT, f).split(sep).join('/'), foreignTables(f, owners)] as const)
    .filter(([, tables]) => tables.length > 0));

  it('knows the tables of the features', () => {
    expect(owners.get('batches')).toBe('batches');
    expect(owners.get('organizations')).toBe('organizations');
  });

  it("a feature's SQL names only its own tables, outside the named read models", () => {
    const strays = [...crossing].filter(([file]) => !(file in READ_MODELS)).map(([file, tables]) => `${file}: ${tables.join(', ')}`);
    expect(strays).toEqual([]);
  });

  it('every listed read model still reads across features (else take it off the list)', () => {
    expect(Object.keys(READ_MODELS).filter((file) => !crossing.has(file))).toEqual([]);
  });
});
