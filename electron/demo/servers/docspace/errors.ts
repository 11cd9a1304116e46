/**
 * The DocSpace test server's failures (api.ts answers them): an HttpError becomes the portal's error
 * envelope with its status, a ValidationError the model-validation problem in the success envelope.
 */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'System.InvalidOperationException',
  ) {
    super(message);
  }
}

export class ValidationError extends HttpError {
  constructor(readonly errors: Record<string, string[]>) {
    super(400, 'One or more validation errors occurred.', 'ValidationProblemDetails');
  }
}

export const NOT_FOUND_FOLDER = 'The required folder was not found';
export const NOT_FOUND_FILE = 'The required file was not found';

/** A request's JSON body. */
export type Body = Record<string, unknown>;
