import { FUNCTIONS } from '../expr/ast.js';
import { functionSpec } from '../expr/functions.js';

/** Functions of several arguments take an `args` array; every other `fn` (unknown ones included, so their error names the function) takes `arg`. */
const MULTI = FUNCTIONS.filter((f) => functionSpec(f).arity > 1);

/**
 * The JSON Schemas (draft 2020-12) of sparselaw's documents. They are built here, from the same
 * function list the parser uses, and written to `schema/*.schema.json` by `npm run build`
 * (scripts/write-schema.mjs), so the published files cannot drift from the code.
 *
 * Every schema that can fail with a message of its own carries a `description`; the validator
 * (src/law/validate.ts) turns a failure into "expected <description>, got <value>" at the failing
 * JSON path. What JSON Schema cannot say (an expression's variables are among the law's inputs, a
 * term name parses as an expression, per-output arrays have one entry per output) is checked in
 * code after the schema, with the same kind of message.
 */

export const EXPRESSION_SCHEMA_ID = 'urn:sparselaw:schema:expression:1';
export const LAW_SCHEMA_ID = 'urn:sparselaw:schema:law:2';

/** The version of each document kind this sparselaw writes. */
export const EXPRESSION_VERSION = 1;
export const LAW_VERSION = 2;

const NODE_FIELDS = ['num', 'var', 'neg', 'op', 'fn'] as const;

function nodeShape(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const expressionSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: EXPRESSION_SCHEMA_ID,
  title: 'sparselaw expression document, version 1',
  type: 'object',
  properties: {
    format: { const: 'sparselaw' },
    version: { const: EXPRESSION_VERSION },
    kind: { const: 'expression' },
    variables: { $ref: '#/$defs/variableList' },
    expression: { $ref: '#/$defs/node' },
    text: { type: 'string', description: 'print(expression), for people only: loading ignores its content' },
  },
  required: ['format', 'version', 'kind', 'variables', 'expression'],
  additionalProperties: false,
  $defs: {
    variableName: {
      description: `a variable name (letters, digits and _, not starting with a digit, and not one of the functions ${FUNCTIONS.join(', ')})`,
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      not: { enum: [...FUNCTIONS] },
    },
    variableList: {
      type: 'array',
      items: { $ref: '#/$defs/variableName' },
      uniqueItems: true,
    },
    constant: {
      description: 'a number >= 0 (a negative constant is written {"neg": {"num": 2}}, exactly as the parser reads "-2")',
      type: 'number',
      minimum: 0,
    },
    operator: { description: 'an operator: one of + - * / ^', enum: ['+', '-', '*', '/', '^'] },
    function: { description: `a function: one of ${FUNCTIONS.join(', ')}`, enum: [...FUNCTIONS] },
    /*
     * One node: exactly one of the fields num, var, neg, op, fn says its shape. The if/then chain
     * (rather than oneOf) makes a validator report the one failure inside the intended shape.
     */
    node: {
      type: 'object',
      if: { required: ['num'] },
      then: nodeShape({ num: { $ref: '#/$defs/constant' } }, ['num']),
      else: {
        if: { required: ['var'] },
        then: nodeShape({ var: { $ref: '#/$defs/variableName' } }, ['var']),
        else: {
          if: { required: ['neg'] },
          then: nodeShape({ neg: { $ref: '#/$defs/node' } }, ['neg']),
          else: {
            if: { required: ['op'] },
            then: nodeShape({ op: { $ref: '#/$defs/operator' }, left: { $ref: '#/$defs/node' }, right: { $ref: '#/$defs/node' } }, ['op', 'left', 'right']),
            else: {
              if: { required: ['fn'] },
              then: {
                if: { properties: { fn: { enum: [...MULTI] } } },
                then: nodeShape(
                  { fn: { $ref: '#/$defs/function' }, args: { type: 'array', items: { $ref: '#/$defs/node' }, description: 'the arguments: an array of expression nodes, as many as the function takes' } },
                  ['fn', 'args'],
                ),
                else: nodeShape({ fn: { $ref: '#/$defs/function' }, arg: { $ref: '#/$defs/node' } }, ['fn', 'arg']),
              },
              else: {
                description: `an expression node: an object with one of the fields ${NODE_FIELDS.map((f) => `"${f}"`).join(', ')}`,
                not: {},
              },
            },
          },
        },
      },
    },
  },
} as const;

const ref = (def: string) => ({ $ref: `${EXPRESSION_SCHEMA_ID}#/$defs/${def}` });
const numbers = (description: string, minimum?: number) => ({
  type: 'array',
  description,
  items: minimum === undefined ? { type: 'number' } : { type: 'number', minimum, description: `a number >= ${minimum}` },
});
const counts = { type: 'array', items: { type: 'integer', minimum: 0, description: 'an integer >= 0' } };

export const lawSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: LAW_SCHEMA_ID,
  title: 'sparselaw law document, version 2',
  description: 'One closed-form expression per output over named inputs, with how it was found.',
  type: 'object',
  properties: {
    format: { const: 'sparselaw' },
    version: { const: LAW_VERSION },
    kind: { const: 'law' },
    generator: { type: 'string', description: 'the sparselaw that wrote the document' },
    inputs: ref('variableList'),
    outputs: { type: 'array', items: { $ref: '#/$defs/output' }, minItems: 1, description: 'a non-empty list of outputs' },
    library: { type: 'string', description: 'the library spec the terms came from, e.g. poly:3' },
    metrics: { $ref: '#/$defs/metrics' },
    front: { type: 'array', items: { $ref: '#/$defs/frontPoint' } },
    warnings: { type: 'array', items: { type: 'string' } },
    meta: { type: 'object', description: 'free-form provenance (command, data file, seed, environment, ...)' },
  },
  required: ['format', 'version', 'kind', 'inputs', 'outputs'],
  additionalProperties: false,
  $defs: {
    output: {
      type: 'object',
      properties: {
        name: ref('variableName'),
        text: { type: 'string', description: '"name = expression" printed, for people only' },
        terms: { type: 'array', items: { $ref: '#/$defs/term' } },
        expression: ref('node'),
      },
      required: ['name', 'expression'],
      additionalProperties: false,
    },
    term: {
      description: 'a surviving library term: its expression (over the inputs) as text, and its coefficient',
      type: 'object',
      properties: {
        term: { type: 'string', minLength: 1, description: 'an expression over the inputs, e.g. "cos_theta * sin_theta"' },
        coefficient: { type: 'number' },
      },
      required: ['term', 'coefficient'],
      additionalProperties: false,
    },
    metrics: {
      type: 'object',
      if: { required: ['kind'], properties: { kind: { const: 'discovery' } } },
      then: { $ref: '#/$defs/discoveryMetrics' },
      else: {
        if: { required: ['kind'], properties: { kind: { const: 'training' } } },
        then: { $ref: '#/$defs/trainingMetrics' },
        else: {
          properties: { kind: { enum: ['discovery', 'training'], description: 'the kind of metrics: "discovery" or "training"' } },
          required: ['kind'],
        },
      },
    },
    discoveryMetrics: {
      description: 'metrics of a law discovered from data; arrays have one entry per output. Further fields are carried through',
      type: 'object',
      properties: {
        kind: { const: 'discovery' },
        trainRows: { type: 'integer', minimum: 0 },
        validationRows: { type: 'integer', minimum: 0 },
        terms: counts,
        trainMse: numbers('train mean squared error per output', 0),
        validationMse: numbers('validation mean squared error per output', 0),
        lambda: {
          description: 'the L0 strength: one number, or one per output (lambda = auto)',
          anyOf: [{ type: 'number', minimum: 0 }, { type: 'array', items: { type: 'number', minimum: 0 } }],
        },
        selectionRule: { type: 'string' },
        formulation: { type: 'string' },
      },
      required: ['kind', 'terms', 'trainMse', 'validationMse', 'lambda'],
    },
    trainingMetrics: {
      description: 'metrics of a control law trained by reinforcement learning. Further fields are carried through',
      type: 'object',
      properties: {
        kind: { const: 'training' },
        evaluationReturns: numbers('the return of each final evaluation episode'),
        evaluationMean: { type: 'number' },
        terms: { type: 'integer', minimum: 0 },
        gatesBinary: { type: 'boolean' },
        episodes: { type: 'integer', minimum: 0 },
        seconds: { type: 'number', minimum: 0 },
      },
      required: ['kind', 'evaluationReturns', 'evaluationMean', 'terms'],
    },
    frontPoint: {
      description: 'one point of the lambda path; arrays have one entry per output',
      type: 'object',
      properties: {
        lambda: { type: 'number', minimum: 0 },
        terms: counts,
        trainMse: numbers('train mean squared error per output', 0),
        validationMse: numbers('validation mean squared error per output', 0),
      },
      required: ['lambda', 'terms', 'trainMse', 'validationMse'],
      additionalProperties: false,
    },
  },
} as const;
