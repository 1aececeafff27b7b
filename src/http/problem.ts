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
  },
  { $id: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;

/** An error raised at the HTTP edge that already knows its status. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; value?: string; reason: string }[],
  ) {
    super(message);
  }
}
