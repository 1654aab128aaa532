/** Maps coded failures to GraphQL errors whose `extensions.code` is the protocol's code. */
import { GraphQLError } from 'graphql';

interface Coded {
  code: string;
  message: string;
  details?: { path?: string };
}

function isCoded(error: unknown): error is Coded {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

export function toGraphQLError(error: unknown): GraphQLError {
  if (isCoded(error)) {
    const path = error.details?.path;
    return new GraphQLError(error.message, {
      extensions: { code: error.code, ...(path !== undefined && { path }) },
    });
  }
  return new GraphQLError('internal error', { extensions: { code: 'INTERNAL' } });
}

export function badInput(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
