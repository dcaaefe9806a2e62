import { createRequire } from 'node:module';
import type { TSchema } from '@sinclair/typebox';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { createSchemaValidator } from './config-loader.js';

const requireFromKit = createRequire(import.meta.url);

// What require() would return for an imported CommonJS helper, whichever way the loader maps it:
// node and esbuild make `default` the module.exports, vite (the tests) its exports.default.
const MODULE_EXPORTS = 'const moduleExports = (ns) => (ns.default && ns.default.__esModule ? ns.default : ns);';

/**
 * The source of an ES module exporting `exportName()`, which returns `schema` compiled by ajv
 * with createSchemaValidator's options: the same checks, defaults and errors as compiling it at
 * run time, without ajv's compiler. ajv's run-time helpers (ucs2length, equal) are imported by
 * absolute path, for a bundler or a test to load; the module is not meant to be shipped as is.
 */
export function standaloneValidatorModule(schema: TSchema, exportName: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) throw new Error(`not a JavaScript name: ${exportName}`);
  const ajv = createSchemaValidator({ source: true });
  // A default import of a CommonJS module is its module.exports, whose `default` is the function.
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  // ajv writes `require("ajv/dist/runtime/x")` even with code.esm; an ES module has no require.
  const imports: string[] = [];
  const body = code.replace(/require\("(ajv\/dist\/runtime\/[\w.-]+)"\)/g, (_match: string, specifier: string) => {
    const local = `ajvRuntime${imports.length}`;
    imports.push(`import * as ${local} from ${JSON.stringify(requireFromKit.resolve(specifier))};`);
    return `moduleExports(${local})`;
  });
  if (/\brequire\(/.test(body)) throw new Error(`ajv's standalone code for ${exportName} still calls require()`);
  return `${imports.join('\n')}\n${MODULE_EXPORTS}\n${body}\nexport function ${exportName}() {\n  return validate;\n}\n`;
}
