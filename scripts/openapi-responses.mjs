// Writes src/openapi-responses.generated.ts: for every API route (a controller method with an HTTP
// decorator, outside @ApiExcludeController classes) its OpenAPI summary — the route's own
// @ApiOperation when it has one, else the first sentence of its doc comment, else its name in words
// — and the JSON schema of its 2xx response, derived from the handler's TypeScript return type
// (Promise unwrapped; interfaces and classes as objects with their properties, unions as anyOf,
// string-literal unions as enums, Date as date-time). Run after adding or changing a route:
//   node scripts/openapi-responses.mjs
// test/openapi-error-codes.e2e-spec.ts fails on a route the document leaves without a summary or
// a 2xx schema.
import ts from 'typescript';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram(config.fileNames.filter((f) => f.includes('/src/')), config.options);
const checker = program.getTypeChecker();
const HTTP = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
const MAX_DEPTH = 6;

const decoratorsOf = (node) => (ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : []);
const decoratorName = (d) => (ts.isCallExpression(d.expression) ? d.expression.expression.getText() : d.expression.getText());

function words(name) {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function verbAndPath(classPath, decorators) {
  const http = decorators.find((d) => HTTP.has(decoratorName(d)));
  const arg = ts.isCallExpression(http.expression) && http.expression.arguments[0] ? http.expression.arguments[0].getText().replace(/^['"`]|['"`]$/g, '') : '';
  const path = `/${[classPath, arg].filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');
  return `${decoratorName(http).toUpperCase()} ${path}`;
}

function firstSentence(text) {
  const flat = text.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.。:：])(\s|$)/.exec(flat);
  const sentence = (m ? m[1] : flat).replace(/[.:：]$/, '');
  return sentence.length > 160 ? `${sentence.slice(0, 157)}…` : sentence;
}

function docOf(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const comment = docs.map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? '')).join(' ').trim();
  if (comment) return comment;
  // A plain // comment right above the decorators also says what the route does.
  const full = node.getSourceFile().getFullText();
  const ranges = ts.getLeadingCommentRanges(full, node.getFullStart()) ?? [];
  const lines = ranges.map((r) => full.slice(r.pos, r.end)).filter((c) => c.startsWith('//')).map((c) => c.replace(/^\/\/\s?/, ''));
  return lines.join(' ').trim();
}

function schemaOf(type, depth, seen) {
  if (depth > MAX_DEPTH) return { type: 'object' };
  const flags = type.getFlags();
  if (flags & ts.TypeFlags.Any || flags & ts.TypeFlags.Unknown) return {};
  if (flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [type.value] };
  if (flags & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [type.value] };
  if (flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean' };
  if (flags & ts.TypeFlags.String || flags & ts.TypeFlags.TemplateLiteral) return { type: 'string' };
  if (flags & ts.TypeFlags.Number) return { type: 'number' };
  if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
  if (flags & ts.TypeFlags.BigInt) return { type: 'string' };
  if (flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return { nullable: true };
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.getFlags() & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = parts.length < type.types.length;
    if (parts.every((t) => t.getFlags() & ts.TypeFlags.StringLiteral)) return { type: 'string', enum: parts.map((t) => t.value), ...(nullable ? { nullable: true } : {}) };
    if (parts.every((t) => t.getFlags() & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean', ...(nullable ? { nullable: true } : {}) };
    const schemas = parts.map((t) => schemaOf(t, depth + 1, seen));
    const one = schemas.length === 1 ? schemas[0] : { anyOf: schemas };
    return nullable ? { ...one, nullable: true } : one;
  }
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  if (name === 'Date') return { type: 'string', format: 'date-time' };
  if (name === 'Buffer' || name === 'Uint8Array' || name === 'Readable') return { type: 'string', format: 'binary' };
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type);
    return { type: 'array', items: args.length ? schemaOf(checker.isTupleType(type) ? args[0] : args[0], depth + 1, seen) : {} };
  }
  if (type.isIntersection() || flags & ts.TypeFlags.Object) {
    if (seen.has(type)) return { type: 'object' };
    const next = new Set(seen).add(type);
    const index = checker.getIndexInfosOfType(type);
    const properties = {};
    const required = [];
    for (const prop of checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (!decl) continue;
      const propType = checker.getTypeOfSymbolAtLocation(prop, decl);
      if (propType.getCallSignatures().length) continue;
      properties[prop.getName()] = schemaOf(propType, depth + 1, next);
      if (!(prop.getFlags() & ts.SymbolFlags.Optional)) required.push(prop.getName());
    }
    const out = { type: 'object' };
    if (Object.keys(properties).length) out.properties = properties;
    if (required.length) out.required = required;
    if (index.length) out.additionalProperties = schemaOf(index[0].type, depth + 1, next);
    return out;
  }
  return {};
}

function unwrapPromise(type) {
  const name = type.getSymbol()?.getName();
  if (name === 'Promise') return checker.getTypeArguments(type)[0] ?? type;
  return type;
}

const routes = {};
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || !file.fileName.includes('/src/')) continue;
  ts.forEachChild(file, function visit(node) {
    if (!ts.isClassDeclaration(node) || !node.name) return;
    const classDecorators = decoratorsOf(node).map(decoratorName);
    const controller = decoratorsOf(node).find((d) => decoratorName(d) === 'Controller');
    const classPath = controller && ts.isCallExpression(controller.expression) && controller.expression.arguments[0]
      ? controller.expression.arguments[0].getText().replace(/^['"`]|['"`]$/g, '') : '';
    if (!classDecorators.includes('Controller') || classDecorators.includes('ApiExcludeController')) return;
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const decorators = decoratorsOf(member);
      const names = decorators.map(decoratorName);
      if (!names.some((n) => HTTP.has(n)) || names.includes('ApiExcludeEndpoint')) continue;
      const method = member.name.getText();
      const entry = {};
      if (!names.includes('ApiOperation')) {
        const doc = docOf(member);
        // No doc comment: the handler's name in words and the path it answers, e.g. "List · GET /api/v1/batches".
        entry.summary = doc ? firstSentence(doc) : `${words(method)} · ${verbAndPath(classPath, decorators)}`;
      }
      const produces = decorators.find((d) => decoratorName(d) === 'ApiProduces');
      const signature = checker.getSignatureFromDeclaration(member);
      const returned = signature ? unwrapPromise(checker.getReturnTypeOfSignature(signature)) : undefined;
      const returnedName = returned?.getSymbol()?.getName();
      if (produces) {
        const types = produces.expression.arguments.map((a) => a.getText().replace(/^['"]|['"]$/g, ''));
        entry.content = Object.fromEntries(types.map((t) => [t, { schema: t.includes('json') ? {} : { type: 'string', format: t.startsWith('text/') ? undefined : 'binary' } }]));
        for (const c of Object.values(entry.content)) if (c.schema.format === undefined) delete c.schema.format;
      } else if (!returned || returnedName === 'FastifyReply' || (returned.getFlags() & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
        // The handler writes the reply itself: say what it writes when the code shows a type, else a JSON body.
        entry.schema = { type: 'object', description: 'Written by the handler; see the route description' };
      } else {
        entry.schema = schemaOf(returned, 0, new Set());
      }
      routes[`${node.name.getText()}_${method}`] = { ...entry, file: relative(root, file.fileName) };
    }
  });
}

// Routes served outside Nest (the scan edge, the public certificate pages): their JSON is a service method's return type.
const PUBLIC_ROUTES = {
  'GET /t/{code}': { cls: 'ScanService', method: 'scan', html: true },
  'GET /api/v1/scan/{code}': { cls: 'ScanService', method: 'scan' },
  'GET /01/{gtin14}/10/{lot}': { cls: 'ScanService', method: 'scan', html: true, linkset: true },
  'GET /.well-known/gs1resolver': { fn: 'resolverDescription' },
  'GET /c/{token}': { cls: 'CertificatePublicService', method: 'byToken', html: true },
  'GET /api/v1/certificates/verify/{token}': { cls: 'CertificatePublicService', method: 'byToken' },
};
const publicRoutes = {};
for (const file of program.getSourceFiles()) {
  if (file.isDeclarationFile || !file.fileName.includes('/src/')) continue;
  ts.forEachChild(file, (node) => {
    for (const [route, want] of Object.entries(PUBLIC_ROUTES)) {
      let declaration;
      if (want.fn && ts.isFunctionDeclaration(node) && node.name?.getText() === want.fn) declaration = node;
      if (want.cls && ts.isClassDeclaration(node) && node.name?.getText() === want.cls) {
        declaration = node.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === want.method);
      }
      if (!declaration) continue;
      const signature = checker.getSignatureFromDeclaration(declaration);
      const schema = schemaOf(unwrapPromise(checker.getReturnTypeOfSignature(signature)), 0, new Set());
      const content = { 'application/json': { schema } };
      if (want.html) content['text/html'] = { schema: { type: 'string', description: 'The same, as a zh-CN HTML page' } };
      if (want.linkset) content['application/linkset+json'] = { schema: { type: 'object', description: 'RFC 9264 linkset (linkType=linkset)' } };
      publicRoutes[route] = { content };
    }
  });
}
const missing = Object.keys(PUBLIC_ROUTES).filter((r) => !publicRoutes[r]);
if (missing.length) throw new Error(`public routes without their type: ${missing.join(', ')}`);

const sorted = Object.fromEntries(Object.entries(routes).sort(([a], [b]) => a.localeCompare(b)));
const body = `// Generated by scripts/openapi-responses.mjs from the controllers' return types and doc comments: do not edit.
// Re-run \`node scripts/openapi-responses.mjs\` after adding or changing a route.
export interface GeneratedRoute {
  summary?: string;
  schema?: Record<string, unknown>;
  content?: Record<string, { schema: Record<string, unknown> }>;
}

export const GENERATED_ROUTES: Record<string, GeneratedRoute> = ${JSON.stringify(
  Object.fromEntries(Object.entries(sorted).map(([k, { file, ...v }]) => [k, v])))
  .replace(/^\{/, '{\n ').replace(/\},"(?=[A-Za-z]+Controller_)/g, '},\n "').replace(/\}$/, '\n}')};
`;
const publicBody = `
/** Routes outside Nest (scan edge, public certificate pages), by "METHOD path" as the document names them. */
export const GENERATED_PUBLIC_ROUTES: Record<string, GeneratedRoute> = ${JSON.stringify(publicRoutes)};
`;
writeFileSync(join(root, 'src/openapi-responses.generated.ts'), body + publicBody);
console.log(`${Object.keys(sorted).length} routes; ${Object.values(sorted).filter((r) => r.summary).length} summaries generated`);
