import { Type, type Static } from 'typebox';

/** RFC 9457 problem details: the one shape every error answer has. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URI naming the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.Optional(Type.String({ description: 'Stable machine-readable code' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'Where in the request: `body.bags.0`, `params.sscc`, `querystring.limit`' }),
          value: Type.Optional(Type.String({ description: 'The value refused there, when an operation names it' })),
          reason: Type.String(),
        }),
        { description: 'One item per invalid field' },
      ),
    ),
    ledgerIndex: Type.Optional(Type.Integer({ description: 'A refusal by the policy: its decision in the transparency log' })),
    retainedUntil: Type.Optional(Type.String({ format: 'date', description: 'Erasure refused for customs retention: the date (UTC) until which the law keeps the data' })),
  },
  { $id: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;
/** RFC 9457 extension members some problems carry. */
export type ProblemExtensions = Pick<Problem, 'ledgerIndex' | 'retainedUntil'>;

/** An error raised at the HTTP edge that already knows its status. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; value?: string; reason: string }[],
    readonly extensions?: ProblemExtensions,
  ) {
    super(message);
  }
}
