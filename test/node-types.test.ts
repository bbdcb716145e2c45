import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_TYPES } from '@parley/schemas';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A node type lives in its own modules (schema, executor, editor) and the three registries; the
 * rest of the code asks the registries. This finds string literals whose expected type is the set
 * of node types (`node.type === 'jump'`, `type: 'end'`) in production code elsewhere. The compiler
 * tells them from the same words used otherwise ('message' events, `{ block: 'end' }`).
 */

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PACKAGES = ['shared-schemas', 'engine', 'db', 'bus', 'runtime', 'admin-api', 'admin-ui'];
const nodeTypes = new Set<string>(NODE_TYPES);
const folders = NODE_TYPES.map((type) => type.replaceAll('_', '-'));

/** Folders and files that belong to one node type, plus the registries that list them all. */
const OWN = [
  ...folders.map((folder) => `shared-schemas/src/nodes/${folder}/`),
  ...folders.map((folder) => `engine/src/nodes/${folder}.ts`),
  ...folders.map((folder) => `admin-ui/src/features/editor/nodes/${folder}/`),
  'shared-schemas/src/nodes/registry.ts',
  'engine/src/nodes/registry.ts',
  'admin-ui/src/features/editor/nodes/registry.ts',
];

/** Flow documents written out as data: the starter flow and the flow templates. */
const DATA = ['admin-api/src/modules/flows/blank-flow.ts', 'shared-schemas/src/flow-templates/'];

function isProduction(file: string): boolean {
  return (
    !/\.test\.tsx?$/.test(file) &&
    !/(^|\/)(test|__fixtures__|fixtures)\//.test(file) &&
    ![...OWN, ...DATA].some((own) => file === own || (own.endsWith('/') && file.startsWith(own)))
  );
}

/** Whether a type is the node types (or a union holding all of them): only then is a literal one. */
/** Whether the types together are (at least) the union of every node type. */
function expectsNodeType(...types: (ts.Type | undefined)[]): boolean {
  const members = types.flatMap((type) => (type === undefined ? [] : type.isUnion() ? type.types : [type]));
  const literals = new Set(members.flatMap((member) => (member.isStringLiteral() ? [member.value] : [])));
  return NODE_TYPES.every((nodeType) => literals.has(nodeType));
}

/** The type a literal is compared with: the other side of `===`/`!==`, or a switch's subject. */
function comparedWith(node: ts.Node, checker: ts.TypeChecker): ts.Type | undefined {
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && equality.has(parent.operatorToken.kind)) {
    return checker.getTypeAtLocation(parent.left === node ? parent.right : parent.left);
  }
  if (ts.isCaseClause(parent)) return checker.getTypeAtLocation(parent.parent.parent.expression);
  return undefined;
}

/** The `type` a node-shaped object literal may take, for `{ type: 'end', ... }`. */
function propertyExpects(node: ts.Node, checker: ts.TypeChecker): ts.Type[] {
  const property = node.parent;
  if (!ts.isPropertyAssignment(property) || property.name.getText() !== 'type') return [];
  const shape = checker.getContextualType(property.parent);
  if (shape === undefined) return [];
  const members = shape.isUnion() ? shape.types : [shape];
  return members.flatMap((member) => {
    const symbol = member.getProperty('type');
    return symbol === undefined ? [] : [checker.getTypeOfSymbol(symbol)];
  });
}

const equality = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

function namedNodeTypes(pkg: string): string[] {
  const configPath = path.join(root, pkg, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error(`Cannot read ${configPath}`);
  const files = config.fileNames.filter((file) => isProduction(path.relative(root, file)));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) continue;
    const visit = (node: ts.Node): void => {
      if (
        (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
        nodeTypes.has(node.text) &&
        (expectsNodeType(checker.getContextualType(node)) ||
          expectsNodeType(comparedWith(node, checker)) ||
          expectsNodeType(...propertyExpects(node, checker)))
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${path.relative(root, file)}:${line + 1} names '${node.text}'`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('node types', () => {
  it('are named only in their own modules and the registries', () => {
    expect(
      readdirSync(path.join(root, 'shared-schemas/src/nodes')).filter((f) => folders.includes(f)),
    ).toHaveLength(NODE_TYPES.length);
    expect(PACKAGES.flatMap(namedNodeTypes)).toEqual([]);
  }, 180_000);
});
