/** A template that does not parse or fails as it runs, in Go's words. */
export class GoTemplateError extends Error {
  /** The output written before an execution failed. */
  partial = '';
}
