declare module 'asl-validator' {
  /** asl-validator@4 has no types of its own; it mutates its input, so pass it a clone. */
  export default function validator(definition: unknown): Promise<{ isValid: boolean; errorsText: (separator?: string) => string }>;
}
